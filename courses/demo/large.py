"""The "Benchmark Course": N lessons in modules of 10, reusing the demo lesson bodies.

Used by benchmarks (``seed_demo --large-course N``). Running it again with the same N
changes nothing; with another N it adds the missing lessons or removes the surplus ones, so
the course always holds exactly N lessons.

The course page is published through a revision like the demo courses; its modules and
lessons are saved live without one, which takes a third of the writes.
"""
import re
from decimal import Decimal

from courses.models import CoursePage, Enrollment, LessonPage, ModulePage
from courses.services import enrollment_refresh_progress

from . import facilitator
from .build import Builder

SLUG = "benchmark-course"
TITLE = "Benchmark Course"
LESSONS_PER_MODULE = 10
_NUMBERED = re.compile(r"^(module|lesson)-(\d+)$")


def module_slug(number: int) -> str:
    return f"module-{number}"  # URLs like /courses/benchmark-course/module-11/lesson-101/


def lesson_slug(number: int) -> str:
    return f"lesson-{number}"


def ensure_large_course(builder: Builder, catalogue, lessons: int) -> CoursePage:
    if lessons < 1:
        raise ValueError("The benchmark course needs at least one lesson.")
    changes_before = builder.counts["created"] + builder.counts["removed"]
    sources = facilitator.COURSE.lessons
    bodies = [builder.resolve(lesson.body) for lesson in sources]
    module_count = -(-lessons // LESSONS_PER_MODULE)  # ceiling division
    course = builder.ensure_page(
        catalogue,
        CoursePage,
        slug=SLUG,
        title=TITLE,
        summary="A generated course for measuring performance; its lessons repeat the demo "
        "lessons. Not a real course.",
        audience="Developers and benchmarks.",
        estimated_hours=Decimal("10.0"),
        sequential=False,
        cover_image=builder.cover("benchmark"),
        price_amount=None,
    )
    for m in range(1, module_count + 1):
        module = builder.ensure_page(
            course, ModulePage, slug=module_slug(m), title=f"Module {m}", revisions=False
        )
        first = (m - 1) * LESSONS_PER_MODULE + 1
        last = min(lessons, m * LESSONS_PER_MODULE)
        for n in range(first, last + 1):
            source = sources[(n - 1) % len(sources)]
            builder.ensure_page(
                module,
                LessonPage,
                slug=lesson_slug(n),
                title=f"Lesson {n}: {source.title}",
                body=bodies[(n - 1) % len(bodies)],
                estimated_minutes=source.minutes,
                required=True,
                revisions=False,
            )
        _remove_numbered_after(builder, module, "lesson", last)
    _remove_numbered_after(builder, course, "module", module_count)
    if builder.counts["created"] + builder.counts["removed"] != changes_before:
        # Pages saved live send no "published" signal: bring learners' progress up to date.
        for enrollment_id in Enrollment.objects.filter(course=course).values_list("id", flat=True):
            enrollment_refresh_progress(enrollment_id=enrollment_id)
    return course


def _remove_numbered_after(builder: Builder, parent, kind: str, last: int):
    for slug in list(builder.children(parent)):
        match = _NUMBERED.match(slug)
        if match and match[1] == kind and int(match[2]) > last:
            builder.remove(parent, slug)
