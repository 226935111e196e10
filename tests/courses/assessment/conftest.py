import pytest
from django.contrib.auth.models import Group

from courses.assessment import services
from courses.models import ModulePage, QuizAttempt, QuizPage
from courses.services import enrollment_create
from tests.factories import UserFactory, answer_key, build_course, build_quiz


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


@pytest.fixture
def signed_in_reviewer(client):
    """A member of the "Assessment reviewers" group, signed in on ``client``."""
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Assessment reviewers"))
    client.force_login(user)
    return user


def submitted_for_review(quiz, learner, capture) -> QuizAttempt:
    """The learner's attempt at a quiz with a written question, submitted (objective part
    right) and graded: the written answer waits for a reviewer."""
    attempt = services.attempt_start(user=learner, quiz=quiz)
    with capture(execute=True):
        services.attempt_submit(attempt_id=attempt.pk, user=learner, answers=answer_key(attempt))
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.NEEDS_REVIEW
    return attempt
