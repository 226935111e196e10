"""Where the lesson page's time goes: ``.venv/bin/python -m bench.profile`` after ``make bench``.

Runs in-process against the ``lms_bench`` database that the last run left behind and
prints CPU milliseconds (this process only, so other load on the machine inflates it less
than wall time) for whole requests and for the parts of the lesson page: building the
course outline, rendering it, rendering the lesson body. Then the project's own functions
by cumulative time under cProfile.
"""
import cProfile
import os
import pstats
import time

from . import database

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DATABASE_URL", database.database_url())

ROUNDS = int(os.environ.get("BENCH_PROFILE_ROUNDS", "30"))


def cpu_ms(fn, rounds: int = ROUNDS) -> tuple[float, float]:
    fn()  # warm
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        fn()
    return (1000 * (time.perf_counter() - wall) / rounds, 1000 * (time.process_time() - cpu) / rounds)


def main() -> None:
    import django

    django.setup()
    from django.template.loader import get_template
    from django.test import RequestFactory

    from accounts.models import User
    from courses import outline, selectors
    from courses.models import CoursePage, Enrollment

    from . import fixtures, queries

    course = CoursePage.objects.get(slug=fixtures.LARGE_SLUG)
    lessons = fixtures.live_lessons(course)
    lesson = lessons[len(lessons) // 2]
    user = User.objects.get(email=fixtures.LEARNER_EMAIL.format(0))
    enrollment = Enrollment.objects.get(user=user, course=course)
    learner, visitor = queries.client(fixtures.session_cookie(user)), queries.client()
    request = RequestFactory(HTTP_HOST="127.0.0.1").get(lesson.url)
    request.user = user
    state = selectors.course_state(course=course, user=user, request=request, enrollment=enrollment)
    outline_template = get_template("courses/includes/outline.html")

    parts = {
        "request: lesson (learner)": lambda: learner.get(lesson.url),
        "request: course (visitor)": lambda: visitor.get(course.url),
        "request: bare_wagtail (visitor)": lambda: visitor.get("/bench-bare/"),
        "request: hello": lambda: visitor.get("/bench/hello/"),
        "lesson part: build_outline (2 queries)": lambda: outline.build_outline(course, course_url=course.url),
        "lesson part: course_state (3 queries)": lambda: selectors.course_state(
            course=course, user=user, request=request, enrollment=enrollment),
        "lesson part: render outline.html": lambda: outline_template.render(
            {"modules": selectors.outline_view(state, current_id=lesson.id, only_current=True),
             "level": 3, "linkable": True}),
        "lesson part: render body blocks": lambda: [b.render() for b in lesson.body
                                                    if b.block_type != "reflection"],
    }
    print(f"Course {course.slug}: {len(state.outline.items)} items; lesson {lesson.url}\n")
    print(f"{'':<44}{'wall ms':>9}{'cpu ms':>9}")
    for label, fn in parts.items():
        wall, cpu = cpu_ms(fn)
        print(f"{label:<44}{wall:>9.1f}{cpu:>9.1f}")

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(10):
        learner.get(lesson.url)
    profiler.disable()
    print(f"\nProject code under cProfile, 10 lesson requests (cumulative s), from {database.ROOT}:")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(str(database.ROOT / "courses"), 15)


if __name__ == "__main__":
    main()
