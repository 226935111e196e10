"""Keeping grading moving: the sweeper re-enqueues attempts whose message was lost, backs
off, gives up after MAX_GRADING_TRIES; it submits open attempts whose time is over; and
the grading task retries transient database errors, then marks the attempt failed.

The clock is passed in (``now=``), so no test waits. On-commit callbacks are captured:
``execute=False`` is a lost message (the enqueue never reaches the broker).
"""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from courses import jobs
from courses.assessment import services, tasks
from courses.models import QuizAttempt
from tests.factories import build_quiz, single, true_false, written

from .conftest import answer_key

pytestmark = pytest.mark.django_db
Status = QuizAttempt.Status
STUCK = services.STUCK_AFTER
SECOND = timedelta(seconds=1)
NOTHING = {"expired": 0, "requeued": 0, "failed": 0}


def _grade_enqueues(callbacks) -> int:
    """How many of the captured on-commit callbacks enqueue grading."""
    return sum(1 for c in callbacks if getattr(c, "func", None) == jobs.grade_attempt.enqueue)


@pytest.fixture
def stuck(quiz, learner, django_capture_on_commit_callbacks):
    """A submitted attempt whose grading message was lost, and when it was submitted."""
    now = timezone.now()
    attempt = services.attempt_start(user=learner, quiz=quiz, now=now)
    with django_capture_on_commit_callbacks(execute=False) as lost:
        services.attempt_submit(attempt_id=attempt.pk, user=learner, answers=answer_key(attempt), now=now)
    assert _grade_enqueues(lost) == 1  # it was enqueued; the message just never arrived
    attempt.refresh_from_db()
    assert attempt.status == Status.SUBMITTED and attempt.queued_at == now
    return attempt, now


def test_a_stuck_attempt_is_requeued_after_stuck_after_and_graded(stuck, django_capture_on_commit_callbacks):
    attempt, submitted = stuck
    # Not yet: a worker may simply be busy.
    with django_capture_on_commit_callbacks(execute=True) as sent:
        assert services.attempts_sweep(now=submitted + STUCK - SECOND) == NOTHING
    assert sent == []
    attempt.refresh_from_db()
    assert attempt.status == Status.SUBMITTED and attempt.grading_tries == 0

    swept_at = submitted + STUCK + SECOND
    with django_capture_on_commit_callbacks(execute=True) as sent:
        assert services.attempts_sweep(now=swept_at) == {"expired": 0, "requeued": 1, "failed": 0}
    assert _grade_enqueues(sent) == 1
    attempt.refresh_from_db()
    assert attempt.status == Status.GRADED and attempt.passed is True
    assert attempt.grading_tries == 1 and attempt.queued_at == swept_at

    # A graded attempt is no longer the sweeper's business.
    with django_capture_on_commit_callbacks(execute=True) as sent:
        assert services.attempts_sweep(now=swept_at + STUCK * 10) == NOTHING
    assert sent == []


def test_the_sweeper_backs_off_between_tries(stuck, django_capture_on_commit_callbacks):
    attempt, submitted = stuck
    first = submitted + STUCK + SECOND
    with django_capture_on_commit_callbacks(execute=False) as lost:
        assert services.attempts_sweep(now=first)["requeued"] == 1
    assert _grade_enqueues(lost) == 1  # ... and that message is lost too

    # Right away, and after one more STUCK_AFTER: nothing (the second try waits twice as long).
    for later in (first + SECOND, first + STUCK + SECOND):
        with django_capture_on_commit_callbacks(execute=False) as sent:
            assert services.attempts_sweep(now=later) == NOTHING
        assert sent == []
    attempt.refresh_from_db()
    assert (attempt.grading_tries, attempt.queued_at, attempt.status) == (1, first, Status.SUBMITTED)

    second = first + STUCK * 2 + SECOND
    with django_capture_on_commit_callbacks(execute=False) as sent:
        assert services.attempts_sweep(now=second)["requeued"] == 1
    assert _grade_enqueues(sent) == 1
    attempt.refresh_from_db()
    assert (attempt.grading_tries, attempt.queued_at) == (2, second)
    # The third waits three times as long.
    with django_capture_on_commit_callbacks(execute=False):
        assert services.attempts_sweep(now=second + STUCK * 3 - SECOND) == NOTHING
        assert services.attempts_sweep(now=second + STUCK * 3 + SECOND)["requeued"] == 1


def test_after_max_grading_tries_the_attempt_is_marked_failed(
    stuck, learner, client, django_capture_on_commit_callbacks
):
    attempt, now = stuck
    requeued = 0
    for n in range(1, services.MAX_GRADING_TRIES + 3):
        now += STUCK * n + SECOND  # long enough for the n-th try's back-off
        with django_capture_on_commit_callbacks(execute=False) as sent:  # every message is lost
            counts = services.attempts_sweep(now=now)
        requeued += counts["requeued"]
        attempt.refresh_from_db()
        if attempt.status == Status.FAILED:
            assert counts == {"expired": 0, "requeued": 0, "failed": 1}
            assert _grade_enqueues(sent) == 0
            break
    assert attempt.status == Status.FAILED
    assert requeued == services.MAX_GRADING_TRIES - 1
    assert attempt.grading_tries == services.MAX_GRADING_TRIES
    assert attempt.grading_error == "Grading did not finish after repeated tries."
    # Failed attempts stay for staff: the sweeper neither retries them nor counts them again.
    with django_capture_on_commit_callbacks(execute=False) as sent:
        assert services.attempts_sweep(now=now + STUCK * 100) == NOTHING
    assert sent == []
    # The learner is told their answers are safe, and nothing about the error.
    client.force_login(learner)
    page = client.get(reverse("courses:attempt_result", args=[attempt.pk])).content.decode()
    assert "Your answers are safely stored" in page
    assert "repeated tries" not in page


def test_a_failed_attempt_requeued_by_staff_is_graded(stuck, django_capture_on_commit_callbacks):
    attempt, _ = stuck
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        status=Status.FAILED, grading_tries=services.MAX_GRADING_TRIES, grading_error="boom"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.attempt_requeue(attempt_id=attempt.pk) is True
    attempt.refresh_from_db()
    assert attempt.status == Status.GRADED and attempt.grading_tries == 0 and attempt.grading_error == ""
    assert services.attempt_requeue(attempt_id=attempt.pk) is False


def test_an_overdue_open_attempt_is_submitted_timed_out_and_graded(
    module, learner, django_capture_on_commit_callbacks
):
    quiz = build_quiz(
        module, title="Timed", time_limit_minutes=10,
        questions=[single(points=2), true_false(), written(min_length=20)],
    )
    start = timezone.now()
    attempt = services.attempt_start(user=learner, quiz=quiz, now=start)
    key = answer_key(attempt)
    by_type = {q["type"]: q["id"] for q in attempt.questions}
    # The single choice answered right; the written answer only a draft below the minimum;
    # true or false never answered.
    services.attempt_save_answers(
        attempt_id=attempt.pk, user=learner, now=start,
        answers={by_type["single"]: key[by_type["single"]], by_type["written"]: "Be kind."},
    )
    deadline = start + timedelta(minutes=10)

    # Within the grace period the learner's own submit may still arrive: left alone.
    with django_capture_on_commit_callbacks(execute=True) as sent:
        assert services.attempts_sweep(now=deadline + services.GRACE - SECOND) == NOTHING
    assert sent == []
    assert QuizAttempt.objects.get(pk=attempt.pk).status == Status.IN_PROGRESS

    swept_at = deadline + services.GRACE + SECOND
    with django_capture_on_commit_callbacks(execute=True) as sent:
        assert services.attempts_sweep(now=swept_at) == {"expired": 1, "requeued": 0, "failed": 0}
    assert _grade_enqueues(sent) == 1
    attempt.refresh_from_db()
    assert attempt.timed_out is True and attempt.submitted_at == swept_at
    # Graded (not waiting for a reviewer: the draft earns nothing) on what was saved in time.
    assert attempt.status == Status.GRADED
    assert attempt.answers == {by_type["single"]: key[by_type["single"]], by_type["written"]: "Be kind."}
    assert attempt.results[by_type["single"]] == {"awarded": "2.00", "possible": "2.00", "correct": True}
    assert attempt.results[by_type["true_false"]] == {"awarded": "0.00", "possible": "1.00", "correct": False}
    assert attempt.results[by_type["written"]] == {"awarded": "0.00", "possible": "5.00", "correct": False}
    assert (attempt.score_awarded, attempt.score_possible) == (Decimal("2.00"), Decimal("8.00"))
    assert attempt.percent == Decimal("25.00") and attempt.passed is False

    # The learner's late submit finds it closed and changes nothing.
    with pytest.raises(services.AttemptClosed):
        services.attempt_submit(attempt_id=attempt.pk, user=learner, answers=key, now=swept_at + SECOND)


def test_an_open_attempt_without_a_time_limit_is_never_expired(quiz, learner, django_capture_on_commit_callbacks):
    attempt = services.attempt_start(user=learner, quiz=quiz, now=timezone.now() - timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.attempts_sweep(now=timezone.now() + timedelta(days=30)) == NOTHING
    assert QuizAttempt.objects.get(pk=attempt.pk).status == Status.IN_PROGRESS


def test_the_sweep_task_runs_the_sweep(stuck, django_capture_on_commit_callbacks):
    attempt, submitted = stuck
    QuizAttempt.objects.filter(pk=attempt.pk).update(queued_at=timezone.now() - STUCK - SECOND)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.attempts_sweep_task.apply().get() == {"expired": 0, "requeued": 1, "failed": 0}
    assert QuizAttempt.objects.get(pk=attempt.pk).status == Status.GRADED


# --- the grading task and transient errors -------------------------------------------------


@pytest.fixture
def eager_retries():
    """Run a task's retries in-process, one after the other, as a worker would run them
    (with exceptions propagating, an eager task's first ``Retry`` would escape instead)."""
    from lms.celery import app

    saved = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = saved


def test_a_transient_database_error_is_retried_then_marked_failed(stuck, monkeypatch, eager_retries):
    attempt, _ = stuck
    calls, countdowns = [], []

    def database_down(*, attempt_id, now=None):
        calls.append(attempt_id)
        raise OperationalError("server closed the connection unexpectedly")

    real_retry = tasks.attempt_grade_task.retry

    def retry(*args, **kwargs):
        countdowns.append(kwargs.get("countdown"))
        return real_retry(*args, **kwargs)

    monkeypatch.setattr(services, "attempt_grade", database_down)
    monkeypatch.setattr(tasks.attempt_grade_task, "retry", retry)
    result = tasks.attempt_grade_task.apply(args=(attempt.pk,))  # eager: retries run at once
    with pytest.raises(OperationalError):
        result.get()
    assert calls == [attempt.pk] * (tasks.GRADE_RETRIES + 1)
    assert countdowns == [1, 2, 4, 8]  # backing off
    attempt.refresh_from_db()
    assert attempt.status == Status.FAILED
    assert attempt.grading_tries == tasks.GRADE_RETRIES + 1
    assert "OperationalError" in attempt.grading_error and "server closed" in attempt.grading_error


def test_a_transient_error_that_clears_is_graded_on_retry(stuck, monkeypatch, eager_retries):
    attempt, _ = stuck
    real_grade = services.attempt_grade
    calls = []

    def flaky(*, attempt_id, now=None):
        calls.append(attempt_id)
        if len(calls) < 3:
            raise OperationalError("the database is restarting")
        return real_grade(attempt_id=attempt_id, now=now)

    monkeypatch.setattr(services, "attempt_grade", flaky)
    assert tasks.attempt_grade_task.apply(args=(attempt.pk,)).get() == Status.GRADED
    assert len(calls) == 3
    attempt.refresh_from_db()
    assert attempt.status == Status.GRADED and attempt.passed is True
    assert attempt.grading_tries == 2 and "restarting" in attempt.grading_error


def test_a_broken_question_is_failed_at_once_not_retried(stuck, monkeypatch):
    attempt, _ = stuck
    broken = [dict(q) for q in attempt.questions]
    broken[0]["points"] = 0  # a snapshot no scoring rule can use
    QuizAttempt.objects.filter(pk=attempt.pk).update(questions=broken)
    retried = []
    monkeypatch.setattr(tasks.attempt_grade_task, "retry", lambda *a, **k: retried.append(k))
    assert tasks.attempt_grade_task.apply(args=(attempt.pk,)).get() == Status.FAILED
    assert retried == []
    attempt.refresh_from_db()
    assert attempt.status == Status.FAILED and attempt.grading_error.startswith("InvalidQuestion")


def test_a_redelivered_grade_task_changes_nothing(stuck):
    attempt, _ = stuck
    assert tasks.attempt_grade_task.apply(args=(attempt.pk,)).get() == Status.GRADED
    attempt.refresh_from_db()
    before = (attempt.graded_at, attempt.results, attempt.score_awarded, attempt.grading_tries)
    assert tasks.attempt_grade_task.apply(args=(attempt.pk,)).get() == Status.GRADED
    attempt.refresh_from_db()
    assert (attempt.graded_at, attempt.results, attempt.score_awarded, attempt.grading_tries) == before
    assert tasks.attempt_grade_task.apply(args=(attempt.pk + 1000,)).get() is None  # deleted meanwhile
