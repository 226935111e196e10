"""Factories for tests: users, course page trees built with ``parent.add_child``, learners
enrolled through the learning services, quizzes and an answer key for their attempts."""
from collections.abc import Iterable

import factory
from allauth.account.models import EmailAddress

from accounts.models import User
from courses import services as learning
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage, QuizPage


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"learner{n}@example.org")
    username = factory.LazyAttribute(lambda o: o.email)
    certificate_name = factory.Sequence(lambda n: f"Learner Número {n}")
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-passphrase")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


def lesson_body(n: int = 0):
    return [
        ("heading", {"text": f"Part {n}", "level": "h2"}),
        ("text", f"<p>Lesson text {n}. Facilitators listen first and guide gently.</p>"),
        ("callout", {"kind": "key", "title": "Key idea", "text": "<p>Choice belongs to the participant.</p>"}),
        ("reflection", {"prompt": "What would you say first?"}),
    ]


def build_course(
    *,
    title: str = "Facilitator Training",
    modules: int = 2,
    lessons_per_module: int = 2,
    sequential: bool = False,
    price=None,
    quiz: bool = False,
    index: CourseIndexPage | None = None,
) -> CoursePage:
    """A published course with ``modules`` × ``lessons_per_module`` published lessons."""
    index = index or CourseIndexPage.objects.get()
    course = index.add_child(
        instance=CoursePage(
            title=title,
            summary=f"{title}: a short course.",
            sequential=sequential,
            price_amount=price,
        )
    )
    for m in range(modules):
        module = course.add_child(instance=ModulePage(title=f"{title} module {m + 1}"))
        for i in range(lessons_per_module):
            module.add_child(
                instance=LessonPage(title=f"{title} lesson {m + 1}.{i + 1}", body=lesson_body(i))
            )
        if quiz:
            build_quiz(module, title=f"{title} module {m + 1} check")
    return course


def lessons_of(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.descendant_of(course).order_by("path"))


def enrolled_learner(course: CoursePage, *, done: Iterable[LessonPage] = (), **fields) -> User:
    """A learner (``UserFactory(**fields)``) enrolled in ``course`` by the service the enrol
    button calls, who has completed the lessons ``done``."""
    user = UserFactory(**fields)
    enrollment, _ = learning.enrollment_create(user=user, course=course)
    for lesson in done:
        learning.lesson_complete(enrollment=enrollment, lesson=lesson)
    return user


# --- quizzes -------------------------------------------------------------------------------


def option(label: str, correct: bool = False, feedback: str = ""):
    return {"label": label, "correct": correct, "feedback": feedback}


def single(prompt="Who decides what a participant shares?", points=1, scenario="", right="The participant"):
    return (
        "single",
        {
            "scenario": scenario,
            "prompt": prompt,
            "explanation": "Sharing is always the participant's choice.",
            "points": points,
            "options": [
                option(right, True, "Yes: choice belongs to the participant."),
                option("The facilitator", False, "Facilitators invite; they never require."),
                option("The group", False, "The group listens; it does not decide for anyone."),
            ],
        },
    )


def multiple(scoring="all_or_nothing", points=2):
    return (
        "multiple",
        {
            "scenario": "",
            "prompt": "Which of these keep a meeting safe?",
            "explanation": "Confidentiality and turn-taking protect everyone.",
            "points": points,
            "scoring": scoring,
            "options": [
                option("Confidentiality", True),
                option("Turn-taking", True),
                option("Cross-talk", False, "Cross-talk interrupts a share."),
            ],
        },
    )


def true_false(answer=True):
    return (
        "true_false",
        {"scenario": "", "prompt": "A facilitator may end a meeting early if it becomes unsafe.",
         "explanation": "Safety comes first.", "points": 1, "answer": "true" if answer else "false"},
    )


def short_text():
    return (
        "short_text",
        {"scenario": "", "prompt": "One word: what do members keep about what others share?",
         "explanation": "", "points": 1, "accepted": ["confidentiality", "confidence"]},
    )


def written(min_length=20):
    return (
        "written",
        {
            "scenario": "A member arrives visibly intoxicated and wants to share.",
            "prompt": "Describe what you would do and why.",
            "min_length": min_length,
            "explanation": "Kindness, safety, a private word, an invitation to come back.",
            "rubric": [
                {"criterion": "Keeps the member and the group safe", "points": 3},
                {"criterion": "Respects the member's dignity", "points": 2},
            ],
        },
    )


def build_quiz(parent, *, questions=None, title="Module check", **fields):
    """A published quiz under ``parent`` (a module or a course)."""
    quiz = QuizPage(title=title, questions=questions if questions is not None else [single(), true_false()], **fields)
    return parent.add_child(instance=quiz)


WRITTEN_ANSWER = "I would speak to them quietly and kindly, away from the group, and keep everyone safe."


def answer_key(attempt, *, right: bool = True, written: str = WRITTEN_ANSWER) -> dict:
    """Answers for every question of an attempt's snapshot: all right or all wrong (a
    written answer, ``written``, waits for a reviewer either way)."""
    answers = {}
    for q in attempt.questions:
        if q["type"] == "single":
            answers[q["id"]] = next(o["id"] for o in q["options"] if o["correct"] is right)
        elif q["type"] == "multiple":
            answers[q["id"]] = [o["id"] for o in q["options"] if o["correct"] is right]
        elif q["type"] == "true_false":
            answers[q["id"]] = q["answer"] if right else not q["answer"]
        elif q["type"] == "short_text":
            answers[q["id"]] = q["accepted"][0].upper() if right else "no idea"
        else:
            answers[q["id"]] = written
    return answers
