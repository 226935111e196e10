"""The attempt state machine through its services: start, save, submit, grade, progress."""
from datetime import timedelta

import pytest
from django.utils import timezone

from courses.assessment import services
from courses.models import Enrollment, QuizAttempt
from tests.factories import lessons_of, multiple, short_text, single, true_false

from .conftest import answer_key

pytestmark = pytest.mark.django_db
Status = QuizAttempt.Status


def submit(attempt, user, *, right=True, captured=None):
    return services.attempt_submit(attempt_id=attempt.pk, user=user, answers=answer_key(attempt, right=right))


def test_a_right_attempt_is_graded_passed_and_completes_the_course(
    quiz, learner, course, django_capture_on_commit_callbacks
):
    enrollment = Enrollment.objects.get(user=learner)
    from courses.services import lesson_complete

    lesson_complete(enrollment=enrollment, lesson=lessons_of(course)[0])
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE  # the quiz is still to pass
    assert enrollment.progress_percent == 50

    attempt = services.attempt_start(user=learner, quiz=quiz)
    assert attempt.status == Status.IN_PROGRESS and attempt.number == 1
    with django_capture_on_commit_callbacks(execute=True):
        submit(attempt, learner)
    attempt.refresh_from_db()
    assert attempt.status == Status.GRADED
    assert attempt.passed is True and attempt.percent == 100
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED and enrollment.progress_percent == 100


def test_a_wrong_attempt_fails_and_the_course_stays_open(quiz, learner, django_capture_on_commit_callbacks):
    attempt = services.attempt_start(user=learner, quiz=quiz)
    with django_capture_on_commit_callbacks(execute=True):
        submit(attempt, learner, right=False)
    attempt.refresh_from_db()
    assert attempt.status == Status.GRADED and attempt.passed is False and attempt.percent == 0
    assert Enrollment.objects.get(user=learner).status == Enrollment.Status.ACTIVE


def test_starting_twice_resumes_the_open_attempt(quiz, learner):
    first = services.attempt_start(user=learner, quiz=quiz)
    again = services.attempt_start(user=learner, quiz=quiz)
    assert again.pk == first.pk
    assert QuizAttempt.objects.count() == 1


def test_the_snapshot_does_not_change_when_the_quiz_is_edited(quiz, learner, django_capture_on_commit_callbacks):
    attempt = services.attempt_start(user=learner, quiz=quiz)
    answers = answer_key(attempt)
    # An author swaps which option is right and adds a question, then publishes.
    quiz.questions = [single(right="Someone else"), true_false(answer=False), short_text()]
    quiz.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        services.attempt_submit(attempt_id=attempt.pk, user=learner, answers=answers)
    attempt.refresh_from_db()
    assert len(attempt.questions) == 2
    assert attempt.passed is True  # graded against what the learner saw


def test_saved_answers_survive_and_submit_needs_every_answer(quiz, learner):
    attempt = services.attempt_start(user=learner, quiz=quiz)
    key = answer_key(attempt)
    first_id = attempt.questions[0]["id"]
    services.attempt_save_answers(attempt_id=attempt.pk, user=learner, answers={first_id: key[first_id]})
    attempt.refresh_from_db()
    assert attempt.answers == {first_id: key[first_id]}
    with pytest.raises(services.AnswerError) as error:
        services.attempt_submit(attempt_id=attempt.pk, user=learner, answers={})
    assert error.value.question_id == attempt.questions[1]["id"]
    attempt.refresh_from_db()
    assert attempt.status == Status.IN_PROGRESS  # nothing stored


def test_bad_answers_are_refused_and_nothing_is_stored(quiz, learner):
    attempt = services.attempt_start(user=learner, quiz=quiz)
    single_q = next(q for q in attempt.questions if q["type"] == "single")
    for bad in ({single_q["id"]: "not-an-option"}, {"no-such-question": "x"}, {single_q["id"]: ["a", "b"]}):
        with pytest.raises(services.AnswerError):
            services.attempt_save_answers(attempt_id=attempt.pk, user=learner, answers=bad)
    attempt.refresh_from_db()
    assert attempt.answers == {}


def test_another_learners_attempt_is_not_found(quiz, learner, course):
    from courses.services import enrollment_create
    from tests.factories import UserFactory

    intruder = UserFactory()
    enrollment_create(user=intruder, course=course)
    attempt = services.attempt_start(user=learner, quiz=quiz)
    with pytest.raises(QuizAttempt.DoesNotExist):
        services.attempt_save_answers(attempt_id=attempt.pk, user=intruder, answers={})
    with pytest.raises(QuizAttempt.DoesNotExist):
        services.attempt_submit(attempt_id=attempt.pk, user=intruder, answers=answer_key(attempt))


def test_a_closed_attempt_cannot_be_submitted_again(quiz, learner, django_capture_on_commit_callbacks):
    attempt = services.attempt_start(user=learner, quiz=quiz)
    with django_capture_on_commit_callbacks(execute=True):
        submit(attempt, learner, right=False)
    with pytest.raises(services.AttemptClosed):
        submit(attempt, learner, right=True)
    attempt.refresh_from_db()
    assert attempt.passed is False


def test_attempt_limit_and_waiting_time(module, learner, django_capture_on_commit_callbacks):
    from tests.factories import build_quiz

    quiz = build_quiz(module, title="Limited", attempts_allowed=2, wait_minutes=10)
    now = timezone.now()
    first = services.attempt_start(user=learner, quiz=quiz, now=now)
    with django_capture_on_commit_callbacks(execute=True):
        services.attempt_submit(attempt_id=first.pk, user=learner, answers=answer_key(first, right=False), now=now)
    with pytest.raises(services.AttemptRefused, match="try again in 9 minutes"):
        services.attempt_start(user=learner, quiz=quiz, now=now + timedelta(minutes=1))
    second = services.attempt_start(user=learner, quiz=quiz, now=now + timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        services.attempt_submit(
            attempt_id=second.pk, user=learner, answers=answer_key(second, right=False), now=now + timedelta(minutes=12)
        )
    with pytest.raises(services.AttemptRefused, match="used all 2 attempts"):
        services.attempt_start(user=learner, quiz=quiz, now=now + timedelta(hours=1))


def test_time_limit_submits_saved_answers_only(module, learner, django_capture_on_commit_callbacks):
    from tests.factories import build_quiz

    quiz = build_quiz(module, title="Timed", time_limit_minutes=5)
    now = timezone.now()
    attempt = services.attempt_start(user=learner, quiz=quiz, now=now)
    key = answer_key(attempt)
    first_id = attempt.questions[0]["id"]
    services.attempt_save_answers(attempt_id=attempt.pk, user=learner, answers={first_id: key[first_id]}, now=now)
    late = now + timedelta(minutes=5, seconds=31)
    with pytest.raises(services.AttemptClosed):
        services.attempt_save_answers(attempt_id=attempt.pk, user=learner, answers=key, now=late)
    with django_capture_on_commit_callbacks(execute=True):
        services.attempt_submit(attempt_id=attempt.pk, user=learner, answers=key, now=late)
    attempt.refresh_from_db()
    assert attempt.timed_out and attempt.status == Status.GRADED
    assert attempt.answers == {first_id: key[first_id]}  # the late answers were not taken
    assert attempt.score_awarded == 1


def test_within_the_grace_period_answers_are_still_taken(module, learner, django_capture_on_commit_callbacks):
    from tests.factories import build_quiz

    quiz = build_quiz(module, title="Timed", time_limit_minutes=5)
    now = timezone.now()
    attempt = services.attempt_start(user=learner, quiz=quiz, now=now)
    with django_capture_on_commit_callbacks(execute=True):
        services.attempt_submit(
            attempt_id=attempt.pk, user=learner, answers=answer_key(attempt), now=now + timedelta(minutes=5, seconds=20)
        )
    attempt.refresh_from_db()
    assert not attempt.timed_out and attempt.passed


def test_grading_twice_gives_one_grade(quiz, learner, django_capture_on_commit_callbacks):
    attempt = services.attempt_start(user=learner, quiz=quiz)
    with django_capture_on_commit_callbacks(execute=False):
        submit(attempt, learner)
    first = services.attempt_grade(attempt_id=attempt.pk)
    graded_at = first.graded_at
    second = services.attempt_grade(attempt_id=attempt.pk)
    second.refresh_from_db()
    assert second.graded_at == graded_at and second.percent == first.percent


def test_bank_draws_and_shuffles(module, learner):
    from courses.models import QuestionBank
    from tests.factories import build_quiz

    bank = QuestionBank.objects.create(
        title="Safety", questions=[single(prompt=f"Question {n}?") for n in range(6)] + [multiple("partial")]
    )
    quiz = build_quiz(module, title="Drawn", questions=[true_false()], bank=bank, draw_count=3, shuffle_options=True)
    attempt = services.attempt_start(user=learner, quiz=quiz)
    assert len(attempt.questions) == 4
    bank_ids = {child.id for child in bank.questions}
    assert len({q["id"] for q in attempt.questions} & bank_ids) == 3


def test_the_quiz_page_says_why_it_cannot_start_and_only_a_wait_has_an_end(module, learner):
    """A wait shows when the quiz opens again; an attempt with a trainer or being marked
    does not (it opens when the result is in, not at the end of a wait)."""
    from courses.assessment.selectors import quiz_overview
    from tests.factories import build_quiz

    quiz = build_quiz(module, title="Reflective", wait_minutes=10)
    now = timezone.now()
    attempt = services.attempt_start(user=learner, quiz=quiz, now=now)
    QuizAttempt.objects.filter(pk=attempt.pk).update(status=QuizAttempt.Status.NEEDS_REVIEW, submitted_at=now)
    overview = quiz_overview(quiz=quiz, user=learner, now=now + timedelta(minutes=1))
    assert "trainer is reading your written answers" in overview.reason and overview.opens_at is None
    QuizAttempt.objects.filter(pk=attempt.pk).update(status=QuizAttempt.Status.SUBMITTED)
    overview = quiz_overview(quiz=quiz, user=learner, now=now + timedelta(minutes=1))
    assert "being marked" in overview.reason and overview.opens_at is None
    QuizAttempt.objects.filter(pk=attempt.pk).update(status=QuizAttempt.Status.GRADED, passed=False, graded_at=now)
    overview = quiz_overview(quiz=quiz, user=learner, now=now + timedelta(minutes=1))
    assert "try again in 9 minutes" in overview.reason
    assert overview.opens_at == now + timedelta(minutes=10)
