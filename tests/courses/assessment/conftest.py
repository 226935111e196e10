import pytest

from courses.assessment import services
from courses.models import ModulePage, QuizAttempt, QuizPage
from courses.services import enrollment_create
from tests.factories import UserFactory, build_course, build_quiz


@pytest.fixture
def course(catalogue):
    return build_course(title="Meeting Basics", modules=1, lessons_per_module=1)


@pytest.fixture
def module(course):
    return ModulePage.objects.child_of(course).get()


@pytest.fixture
def quiz(module) -> QuizPage:
    return build_quiz(module)


@pytest.fixture
def learner(course):
    user = UserFactory()
    enrollment_create(user=user, course=course)
    return user


def answer_key(attempt, *, right=True) -> dict:
    """Answers for every question of an attempt's snapshot: all right or all wrong."""
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
            answers[q["id"]] = "I would speak to them quietly and kindly, away from the group, and keep everyone safe."
    return answers


def submitted_for_review(quiz, learner, capture) -> QuizAttempt:
    """The learner's attempt at a quiz with a written question, submitted (objective part
    right) and graded: the written answer waits for a reviewer."""
    attempt = services.attempt_start(user=learner, quiz=quiz)
    with capture(execute=True):
        services.attempt_submit(attempt_id=attempt.pk, user=learner, answers=answer_key(attempt))
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.NEEDS_REVIEW
    return attempt
