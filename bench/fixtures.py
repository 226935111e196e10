"""Benchmark data in the bench database (call after ``django.setup()``).

The large course comes from ``manage.py seed_demo --large-course N`` when that command
supports it; otherwise ``build_course`` makes it here from the page models. Either way
this module adds the learners, the bare Wagtail page with the lesson's body, and the
small courses that show the lesson's query count does not grow with the course.
"""
from dataclasses import dataclass

LARGE_SLUG = "benchmark-course"
LEARNER_EMAIL = "bench-learner-{}@example.org"


def lesson_body(n: int) -> list:
    """A lesson of typical length: headings, paragraphs, a list, a callout, a reflection."""
    para = (
        "Facilitators listen first and guide gently. A participant who feels heard is "
        "more willing to try a tool, and the choice to change stays theirs."
    )
    return [
        ("heading", {"text": f"Part {n}: what this looks like in a meeting", "level": "h2"}),
        ("text", f"<p>{para}</p><p>{para} <strong>Lesson {n}.</strong></p>"),
        ("text", "<ul><li>Notice the urge.</li><li>Name it.</li><li>Let it pass.</li></ul>"),
        ("callout", {"kind": "key", "title": "Key idea", "text": f"<p>{para}</p>"}),
        ("heading", {"text": "Try it", "level": "h3"}),
        ("text", f"<p>{para}</p><p>{para}</p>"),
        ("reflection", {"prompt": "What would you say first to someone new to the meeting?"}),
    ]


def build_course(*, slug: str, title: str, lessons: int, per_module: int = 10):
    """A published course of ``lessons`` lessons in modules of ``per_module``."""
    from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage

    index = CourseIndexPage.objects.get()
    course = index.add_child(
        instance=CoursePage(title=title, slug=slug, summary=f"{title}: a benchmark course.")
    )
    made = 0
    module_no = 0
    while made < lessons:
        module_no += 1
        module = course.add_child(
            instance=ModulePage(title=f"{title}: module {module_no}", slug=f"module-{module_no}")
        )
        for _ in range(min(per_module, lessons - made)):
            made += 1
            module.add_child(
                instance=LessonPage(
                    title=f"Lesson {made}: listening first", slug=f"lesson-{made}", body=lesson_body(made)
                )
            )
    return CoursePage.objects.get(pk=course.pk)


def live_lessons(course) -> list:
    from courses.models import LessonPage

    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))


def make_learner(i: int):
    """A learner with a verified email address (as allauth requires to sign in)."""
    from allauth.account.models import EmailAddress

    from accounts.models import User

    email = LEARNER_EMAIL.format(i)
    user = User(username=email, email=email, certificate_name=f"Bench Learner {i}")
    user.set_unusable_password()  # they sign in through a session made for them
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def enrol_with_progress(user, course, *, before, completed: int = 3):
    """Enrol ``user`` and complete a few lessons; in a course taken in order, every
    required lesson before ``before`` too, so that ``before`` is open to them."""
    from courses import services
    from courses.models import Enrollment

    source = Enrollment.Source.FREE if course.is_free else Enrollment.Source.STAFF
    enrollment, _ = services.enrollment_create(user=user, course=course, source=source)
    lessons = live_lessons(course)
    stop = lessons.index(before)
    todo = lessons[:stop] if course.sequential else lessons[: min(completed, stop)]
    for lesson in todo:
        services.lesson_complete(enrollment=enrollment, lesson=lesson)
    return enrollment


def make_bare_page(lesson):
    """A ContentPage under the home page whose body is exactly the lesson's body."""
    from lms.models import ContentPage, HomePage

    home = HomePage.objects.get()
    page = home.add_child(
        instance=ContentPage(title=lesson.title, slug="bench-bare", body=list(lesson.body.raw_data))
    )
    page = ContentPage.objects.get(pk=page.pk)
    if list(page.body.raw_data) != list(lesson.body.raw_data):
        raise SystemExit("bench-bare's body differs from the measured lesson's body")
    return page


def session_cookie(user) -> str:
    """A signed-in session in the database, as the login form would leave it."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@dataclass
class BenchData:
    course: object  # the large course
    lesson: object  # the measured lesson, in the middle of it
    bare: object  # the ContentPage with the same body
    learners: list  # users enrolled in the large course
    cookies: list  # one session cookie per learner
    scaling: dict  # {"lessons_5": (course, lesson), ...}
    lessons: int  # lessons in the large course


def prepare(*, learners: int) -> BenchData:
    """Everything the measurements need, given that the large course exists."""
    from courses.models import CoursePage

    course = CoursePage.objects.get(slug=LARGE_SLUG)
    lessons = live_lessons(course)
    if not lessons:
        raise SystemExit(f"course {LARGE_SLUG!r} has no live lessons")
    lesson = lessons[len(lessons) // 2]
    users = [make_learner(i) for i in range(learners)]
    for user in users:
        enrol_with_progress(user, course, before=lesson)
    scaling = {}
    for n in (5, 60):
        small = build_course(slug=f"benchmark-scale-{n}", title=f"Scale {n}", lessons=n)
        middle = live_lessons(small)[n // 2]
        enrol_with_progress(users[0], small, before=middle, completed=2)
        scaling[f"lessons_{n}"] = (small, middle)
    return BenchData(
        course=course,
        lesson=lesson,
        bare=make_bare_page(lesson),
        learners=users,
        cookies=[session_cookie(u) for u in users],
        scaling=scaling,
        lessons=len(lessons),
    )


def seed_large_course(lessons: int, env: dict) -> str:
    """Create the large course; return what made it (the demo command, or this module)."""
    from .database import manage

    if "--large-course" in manage("help", "seed_demo", env=env, check=False):
        manage("seed_demo", "--large-course", str(lessons), env=env)
        return "manage.py seed_demo --large-course"
    build_course(slug=LARGE_SLUG, title="Benchmark course", lessons=lessons)
    return "bench.fixtures.build_course (seed_demo has no --large-course yet)"
