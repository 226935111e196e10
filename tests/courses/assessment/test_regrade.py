"""Regrading from the admin after staff fix an answer key: a failing learner who was right
passes, a passing one keeps the pass and the score, and a second run changes nothing."""
import copy

import pytest
from django.contrib.auth.models import Group

from courses.assessment import services
from courses.models import Enrollment, QuizAttempt, QuizPage
from courses.services import enrollment_create, lesson_complete
from tests.factories import UserFactory, build_quiz, lessons_of, option, true_false

from .conftest import answer_key

pytestmark = pytest.mark.django_db
RIGHT, MISKEYED = "The participant", "The facilitator"


def miskeyed_single():
    """Authored by mistake with the wrong option ticked as correct."""
    return (
        "single",
        {"scenario": "", "prompt": "Who decides what a participant shares?", "explanation": "", "points": 1,
         "options": [option(RIGHT, False), option(MISKEYED, True), option("The group", False)]},
    )


@pytest.fixture
def quiz(module):
    return build_quiz(module, title="Key check", questions=[miskeyed_single(), true_false()], pass_mark=70)


@pytest.fixture
def staff(client):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Assessment reviewers"))
    client.force_login(user)
    return user


def take(quiz, user, label, capture) -> QuizAttempt:
    """An attempt with the true/false right and ``label`` chosen for the single-choice question."""
    attempt = services.attempt_start(user=user, quiz=quiz)
    answers = answer_key(attempt)
    single = next(q for q in attempt.questions if q["type"] == "single")
    answers[single["id"]] = next(o["id"] for o in single["options"] if o["label"] == label)
    with capture(execute=True):
        services.attempt_submit(attempt_id=attempt.pk, user=user, answers=answers)
    attempt.refresh_from_db()
    return attempt


def fix_key(quiz, *, publish=True):
    """What staff do in the editor: tick the right option (block and option ids stay)."""
    quiz = QuizPage.objects.get(pk=quiz.pk)
    data = copy.deepcopy(list(quiz.questions.raw_data))
    for item in data[0]["value"]["options"]:
        item["value"]["correct"] = item["value"]["label"] == RIGHT
    quiz.questions = data
    revision = quiz.save_revision()
    if publish:
        revision.publish()


def snapshot(attempt):
    attempt.refresh_from_db()
    return (attempt.status, attempt.score_awarded, attempt.percent, attempt.passed, attempt.results,
            attempt.questions, attempt.regraded_at)


def regrade(client, quiz, capture):
    with capture(execute=True):
        return client.post(f"/admin/quiz-reviews/quiz/{quiz.pk}/regrade/")


def test_regrade_after_fixing_the_key(client, staff, quiz, learner, course, django_capture_on_commit_callbacks):
    enrollment = Enrollment.objects.get(user=learner)
    lesson_complete(enrollment=enrollment, lesson=lessons_of(course)[0])
    was_wrongly_failed = take(quiz, learner, RIGHT, django_capture_on_commit_callbacks)
    assert was_wrongly_failed.passed is False and was_wrongly_failed.percent == 50
    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 50

    lucky = UserFactory()
    enrollment_create(user=lucky, course=course)
    passed_on_the_wrong_key = take(quiz, lucky, MISKEYED, django_capture_on_commit_callbacks)
    assert passed_on_the_wrong_key.passed is True and passed_on_the_wrong_key.score_awarded == 2

    fix_key(quiz)
    confirm = client.get(f"/admin/quiz-reviews/quiz/{quiz.pk}/regrade/")
    assert confirm.status_code == 200
    assert "Regrade the 2 finished attempts" in confirm.content.decode()
    assert "not published yet" not in confirm.content.decode()

    response = regrade(client, quiz, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == f"/admin/quiz-reviews/quiz/{quiz.pk}/stats/"
    assert "in the background" in client.get(response["Location"]).content.decode()

    was_wrongly_failed.refresh_from_db()
    assert was_wrongly_failed.passed is True and was_wrongly_failed.percent == 100
    assert was_wrongly_failed.regraded_at is not None
    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 100 and enrollment.status == Enrollment.Status.COMPLETED

    passed_on_the_wrong_key.refresh_from_db()
    assert passed_on_the_wrong_key.passed is True  # a fix never takes a pass away ...
    assert passed_on_the_wrong_key.score_awarded == 2 and passed_on_the_wrong_key.percent == 100  # ... nor the score

    before = [snapshot(was_wrongly_failed), snapshot(passed_on_the_wrong_key)]
    assert regrade(client, quiz, django_capture_on_commit_callbacks).status_code == 302
    assert [snapshot(was_wrongly_failed), snapshot(passed_on_the_wrong_key)] == before


def test_an_unpublished_fix_is_not_used_and_the_page_says_so(
    client, staff, quiz, learner, django_capture_on_commit_callbacks
):
    attempt = take(quiz, learner, RIGHT, django_capture_on_commit_callbacks)
    fix_key(quiz, publish=False)
    assert "not published yet" in client.get(f"/admin/quiz-reviews/quiz/{quiz.pk}/regrade/").content.decode()
    before = snapshot(attempt)
    regrade(client, quiz, django_capture_on_commit_callbacks)
    assert snapshot(attempt) == before and attempt.passed is False


def test_a_get_never_regrades(client, staff, quiz, learner, django_capture_on_commit_callbacks):
    attempt = take(quiz, learner, RIGHT, django_capture_on_commit_callbacks)
    fix_key(quiz)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/admin/quiz-reviews/quiz/{quiz.pk}/regrade/")
    attempt.refresh_from_db()
    assert attempt.passed is False and attempt.regraded_at is None
