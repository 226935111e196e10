"""Benchmark data in the bench database (call after ``django.setup()``).

The large course comes from ``manage.py seed_demo --large-course N`` when that command
supports it; otherwise ``build_course`` makes it here from the page models. Either way
this module adds the learners, the bare Wagtail page with the lesson's body, and the
small courses that show the lesson's query count does not grow with the course.
"""
import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

LARGE_SLUG = "benchmark-course"
LEARNER_EMAIL = "bench-learner-{}@example.org"
EXAM_SLUG = "exam-rush-course"
EXAMINEE_EMAIL = "bench-examinee-{}@example.org"


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

    index = CourseIndexPage.objects.get(locale__language_code="en")
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


def make_learner(i: int, *, email_pattern: str = LEARNER_EMAIL):
    """A learner with a verified email address (as allauth requires to sign in)."""
    from allauth.account.models import EmailAddress

    from accounts.models import User

    email = email_pattern.format(i)
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

    home = HomePage.objects.get(locale__language_code="en")
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
    lesson_es: object = None  # the measured lesson's Spanish translation (under /es/)
    lesson_ce: object = None  # a lesson with the same body in a course with CE hours


def translate_lesson(lesson):
    """The lesson in Spanish, with the home page, catalogue, course and module above it
    (published copies for translation; the course's other lessons stay untranslated, as
    in a course being translated). The learners' progress is the English lesson's."""
    from wagtail.models import Locale

    spanish = Locale.objects.get(language_code="es")
    chain = [*lesson.get_ancestors().filter(depth__gt=1).order_by("depth"), lesson]
    for page in chain:
        page = page.specific
        translated = page.get_translation_or_none(spanish)
        if translated is None:
            translated = page.copy_for_translation(spanish)
        translated = translated.specific
        if page.pk == lesson.pk:
            translated.title = f"Lección {lesson.title}"
        translated.save_revision().publish()
    return type(lesson).objects.get(translation_key=lesson.translation_key, locale=spanish)


# The lesson of a course with CE hours, for the ``lesson_ce`` measurement: the same body as
# the measured lesson (so the bare Wagtail page is its fair floor), in a 20-lesson course under
# a current CE approval, the learners enrolled with time on task already measured, so the page
# shows the time-on-task display with every figure filled in.
CE_SLUG = "benchmark-ce-course"


def ce_lesson(users: list, measured):
    """The CE course's middle lesson (its body the measured lesson's), learners enrolled."""
    from django.utils import timezone

    from continuing_education.models import AccreditingBody, Approval, CourseApproval
    from courses.models import Enrollment

    course = build_course(slug=CE_SLUG, title="CE benchmark course", lessons=20)
    lesson = live_lessons(course)[10]
    lesson.body = list(measured.body.raw_data)
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    body, _ = AccreditingBody.objects.get_or_create(name="Bench Accrediting Body", defaults={"short_name": "BAB"})
    today = timezone.localdate()
    approval = Approval.objects.create(
        body=body, provider_number="BENCH-1", statement="Benchmark approval (not a real provider number).",
        approved_from=today - timedelta(days=30), approved_until=today + timedelta(days=365),
    )
    CourseApproval.objects.create(approval=approval, course=course, hours=Decimal("6"))
    for user in users:
        enrol_with_progress(user, course, before=lesson)
    Enrollment.objects.filter(course=course).update(time_spent_seconds=2 * 3600 + 600)
    return lesson


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
        lesson_es=translate_lesson(lesson),
        lesson_ce=ce_lesson(users, lesson),
    )


def seed_large_course(lessons: int, env: dict) -> str:
    """Create the large course; return what made it (the demo command, or this module)."""
    from .database import manage

    if "--large-course" in manage("help", "seed_demo", env=env, check=False):
        manage("seed_demo", "--large-course", str(lessons), env=env)
        return "manage.py seed_demo --large-course"
    build_course(slug=LARGE_SLUG, title="Benchmark course", lessons=lessons)
    return "bench.fixtures.build_course (a seed_demo without --large-course)"


# --- the exam rush ------------------------------------------------------------------------


def _option(label: str, correct: bool = False) -> dict:
    return {"label": label, "correct": correct, "feedback": "" if correct else "Not quite."}


def exam_questions(count: int = 20) -> list:
    """``count`` objective questions (StreamField raw values), the four kinds in turn:
    single choice, multiple choice, true/false, short text. No written answers, so every
    attempt is graded by the worker alone."""
    made = []
    for n in range(1, count + 1):
        kind = ("single", "multiple", "true_false", "short_text")[(n - 1) % 4]
        base = {"scenario": "", "prompt": f"Question {n}: what does a good facilitator do here?",
                "explanation": "Listening first keeps the choice with the participant.", "points": 1}
        if kind == "single":
            value = {**base, "options": [_option("Listen first", True), _option("Advise at once"),
                                         _option("Move on"), _option("Ask the group to decide")]}
        elif kind == "multiple":
            value = {**base, "points": 2, "scoring": "partial" if n % 8 == 2 else "all_or_nothing",
                     "options": [_option("Keep confidences", True), _option("Take turns", True),
                                 _option("Cross-talk"), _option("Give advice unasked")]}
        elif kind == "true_false":
            value = {**base, "answer": "true" if n % 8 == 3 else "false"}
        else:
            value = {**base, "accepted": ["listen", "listening", "listen first"]}
        made.append((kind, value))
    return made


def build_exam_course(*, questions: int = 20, lessons: int = 2):
    """A published course: one module of ``lessons`` lessons and a final quiz (required,
    no time limit, unlimited attempts) of ``questions`` objective questions."""
    from courses.models import QuizPage

    course = build_course(slug=EXAM_SLUG, title="Exam rush course", lessons=lessons)
    module = course.get_children().specific().get()
    quiz = module.add_child(
        instance=QuizPage(title="Final check", slug="final-check", questions=exam_questions(questions),
                          pass_mark=70)
    )
    return course, QuizPage.objects.get(pk=quiz.pk)


def exam_answers(questions: list, *, right_share: float, rng: random.Random) -> dict:
    """JSON answers to every question of an attempt's snapshot, each right with
    probability ``right_share`` (as the submit view's JSON clients send them)."""
    answers = {}
    for q in questions:
        right = rng.random() < right_share
        kind = q["type"]
        if kind == "single":
            options = [o["id"] for o in q["options"] if o["correct"] is right]
            answers[q["id"]] = rng.choice(options)
        elif kind == "multiple":
            good = [o["id"] for o in q["options"] if o["correct"]]
            bad = [o["id"] for o in q["options"] if not o["correct"]]
            answers[q["id"]] = good if right else rng.choice([good[:1], good[:1] + bad[:1], bad])
        elif kind == "true_false":
            answers[q["id"]] = q["answer"] if right else not q["answer"]
        elif kind == "short_text":
            answers[q["id"]] = rng.choice(q["accepted"]).capitalize() if right else "advise them"
        else:
            raise SystemExit(f"the exam quiz has a {kind} question: it would wait for a reviewer")
    return answers


@dataclass
class Examinee:
    user_id: int
    cookie: str  # session cookie value
    attempt_id: int
    answers: dict  # {question id: answer}, JSON-ready


@dataclass
class ExamData:
    course: object
    quiz: object
    examinees: list  # [Examinee], in the order they submit


def prepare_exam(*, learners: int, questions: int = 20, seed: int = 2024) -> ExamData:
    """The exam course, and ``learners`` signed-in learners who completed its lessons and
    have an attempt open at its quiz (started with ``attempt_start``). About three in four
    answer well enough to pass (pass mark 70%), so passing (enrolment completed, a
    congratulation email task) and failing both happen during the rush."""
    from courses import services
    from courses.assessment.services import attempt_start

    course, quiz = build_exam_course(questions=questions)
    lessons = live_lessons(course)
    rng = random.Random(seed)
    examinees = []
    for i in range(learners):
        user = make_learner(i, email_pattern=EXAMINEE_EMAIL)
        enrollment, _ = services.enrollment_create(user=user, course=course)
        for lesson in lessons:
            services.lesson_complete(enrollment=enrollment, lesson=lesson)
        attempt = attempt_start(user=user, quiz=quiz)
        right_share = rng.choice((0.95, 0.9, 0.85, 0.8, 0.75, 0.5))
        answers = exam_answers(attempt.questions, right_share=right_share, rng=rng)
        examinees.append(Examinee(user.pk, session_cookie(user), attempt.pk, answers))
    return ExamData(course=course, quiz=quiz, examinees=examinees)
