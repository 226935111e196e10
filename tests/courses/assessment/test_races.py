"""Requests and tasks that meet at the same moment, on real PostgreSQL: two browser tabs,
a double-clicked submit, a redelivered grading message, a save that arrives while the
attempt is being submitted, the sweeper racing a worker.

Threads (each with its own database connection) are released together by a barrier, as
in tests/courses/test_enrolment.py; where an order must be forced, the test holds the
attempt's row lock until every thread is queued behind it.
"""
import threading
import time

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from courses.assessment import services, tasks
from courses.models import Enrollment, ModulePage, QuizAttempt
from courses.services import lesson_complete
from tests.concurrency import outcomes
from tests.factories import answer_key, build_course, build_quiz, enrolled_learner, lessons_of

# serialized_rollback: the flush after a transactional test would otherwise take the
# migrations' page tree away from the tests that run after it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
Status = QuizAttempt.Status
THREADS = 8


def together(fn, n: int = THREADS) -> list[tuple[str, object]]:
    """Run ``fn(i)`` in ``n`` threads released at once; ("ok", value) or ("error", exc) each."""
    return outcomes(n, fn)


def ok(results):
    return [value for kind, value in results if kind == "ok"]


def errors(results):
    return [value for kind, value in results if kind == "error"]


@pytest.fixture
def setting():
    course = build_course(title="Races", modules=1, lessons_per_module=1)
    module = ModulePage.objects.child_of(course).get()
    return course, module


def enrolled(course):
    return enrolled_learner(course)


def failed_once(setting, *, attempts_allowed: int):
    """A quiz allowing ``attempts_allowed`` attempts, and a learner whose first attempt is
    submitted with every answer wrong: (quiz, learner, first attempt)."""
    course, module = setting
    quiz = build_quiz(module, attempts_allowed=attempts_allowed)
    user = enrolled(course)
    first = services.attempt_start(user=user, quiz=quiz)
    # Autocommit here: the grading enqueued on commit runs at once (eagerly).
    services.attempt_submit(attempt_id=first.pk, user=user, answers=answer_key(first, right=False))
    return quiz, user, first


@pytest.fixture
def counters(monkeypatch):
    """Counts grading enqueues (``attempt_grade_task.delay``) and finished grades."""
    counts = {"enqueued": [], "graded": []}
    real_delay = tasks.attempt_grade_task.delay
    real_set_final = services.grading.set_final

    def delay(*args, **kwargs):
        counts["enqueued"].append(args)
        return real_delay(*args, **kwargs)

    def set_final(attempt, *args, **kwargs):
        counts["graded"].append(attempt.pk)
        return real_set_final(attempt, *args, **kwargs)

    monkeypatch.setattr(tasks.attempt_grade_task, "delay", delay)
    monkeypatch.setattr(services.grading, "set_final", set_final)
    return counts


# --- starting --------------------------------------------------------------------------------


def test_concurrent_starts_open_exactly_one_attempt(setting):
    course, module = setting
    quiz = build_quiz(module)
    user = enrolled(course)
    results = together(lambda i: services.attempt_start(user=user, quiz=quiz))
    assert errors(results) == []
    assert QuizAttempt.objects.filter(user=user, quiz=quiz).count() == 1
    only = QuizAttempt.objects.get(user=user, quiz=quiz)
    assert {a.pk for a in ok(results)} == {only.pk}
    assert only.number == 1


def test_concurrent_starts_after_the_last_allowed_attempt_open_none(setting):
    quiz, user, first = failed_once(setting, attempts_allowed=1)
    first.refresh_from_db()
    assert first.status == Status.GRADED and first.passed is False

    results = together(lambda i: services.attempt_start(user=user, quiz=quiz))
    assert ok(results) == []
    assert all(isinstance(e, services.AttemptRefused) for e in errors(results)), errors(results)
    assert QuizAttempt.objects.filter(user=user, quiz=quiz).count() == 1


def test_concurrent_starts_with_one_attempt_left_open_one(setting):
    quiz, user, _ = failed_once(setting, attempts_allowed=2)

    results = together(lambda i: services.attempt_start(user=user, quiz=quiz))
    assert errors(results) == []
    second = QuizAttempt.objects.get(user=user, quiz=quiz, number=2)
    assert {a.pk for a in ok(results)} == {second.pk}
    assert QuizAttempt.objects.filter(user=user, quiz=quiz).count() == 2


# --- submitting and grading --------------------------------------------------------------------


def test_concurrent_submits_one_succeeds_and_grades_once(setting, counters):
    course, module = setting
    quiz = build_quiz(module)
    user = enrolled(course)
    attempt = services.attempt_start(user=user, quiz=quiz)
    key = answer_key(attempt)

    results = together(lambda i: services.attempt_submit(attempt_id=attempt.pk, user=user, answers=key))
    assert len(ok(results)) == 1
    assert len(errors(results)) == THREADS - 1
    assert all(isinstance(e, services.AttemptClosed) for e in errors(results)), errors(results)
    assert counters["enqueued"] == [(attempt.pk,)]
    assert counters["graded"] == [attempt.pk]
    attempt.refresh_from_db()
    assert attempt.status == Status.GRADED and attempt.passed is True
    assert attempt.submitted_at == ok(results)[0].submitted_at


def test_concurrent_grading_grades_once_with_one_result(setting, counters, monkeypatch):
    course, module = setting
    quiz = build_quiz(module)
    user = enrolled(course)
    enrollment = Enrollment.objects.get(user=user)
    lesson_complete(enrollment=enrollment, lesson=lessons_of(course)[0])  # passing completes the course
    attempt = services.attempt_start(user=user, quiz=quiz)
    # The message for the worker is held back, as if several copies were on their way.
    monkeypatch.setattr(tasks.attempt_grade_task, "delay", lambda *args, **kwargs: None)
    services.attempt_submit(attempt_id=attempt.pk, user=user, answers=answer_key(attempt))
    assert QuizAttempt.objects.get(pk=attempt.pk).status == Status.SUBMITTED
    mail.outbox.clear()

    results = together(lambda i: services.attempt_grade(attempt_id=attempt.pk))
    assert errors(results) == []
    assert counters["graded"] == [attempt.pk]
    graded = ok(results)
    assert {a.status for a in graded} == {Status.GRADED}
    assert len({(a.graded_at, a.score_awarded, a.percent, a.passed) for a in graded}) == 1
    attempt.refresh_from_db()
    assert (attempt.graded_at, attempt.passed) == (graded[0].graded_at, True)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    completion = [m for m in mail.outbox if user.email in m.to]
    assert len(completion) == 1, [m.subject for m in mail.outbox]


def test_concurrent_grade_tasks_grade_once(setting, counters, monkeypatch):
    """The same, through the task (as redelivered copies of one message run it)."""
    course, module = setting
    quiz = build_quiz(module)
    user = enrolled(course)
    attempt = services.attempt_start(user=user, quiz=quiz)
    monkeypatch.setattr(tasks.attempt_grade_task, "delay", lambda *args, **kwargs: None)
    services.attempt_submit(attempt_id=attempt.pk, user=user, answers=answer_key(attempt, right=False))

    results = together(lambda i: tasks.attempt_grade_task.apply(args=(attempt.pk,)).get())
    assert ok(results) == [Status.GRADED] * THREADS
    assert counters["graded"] == [attempt.pk]


# --- saving while the attempt is submitted ----------------------------------------------------


def _waiting_for_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND cardinality(pg_blocking_pids(pid)) > 0"
        )
        return cursor.fetchone()[0]


def _wait_for(predicate, what: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def test_saves_racing_a_submit_never_change_the_submitted_answers(setting):
    course, module = setting
    quiz = build_quiz(module)
    for _round in range(4):
        user = enrolled(course)
        attempt = services.attempt_start(user=user, quiz=quiz)
        right, wrong = answer_key(attempt, right=True), answer_key(attempt, right=False)

        def act(i):
            if i == 0:
                return services.attempt_submit(attempt_id=attempt.pk, user=user, answers=right)
            return services.attempt_save_answers(attempt_id=attempt.pk, user=user, answers=wrong)

        results = together(act)
        assert results[0][0] == "ok", results[0]
        submitted = results[0][1]
        assert submitted.answers == right
        assert all(isinstance(e, services.AttemptClosed) for e in errors(results)), errors(results)
        attempt.refresh_from_db()
        assert attempt.answers == right
        assert attempt.status == Status.GRADED and attempt.passed is True


def test_saves_queued_behind_a_submit_are_refused(setting):
    """Forced order: the submit holds the row first, seven saves queue behind it."""
    course, module = setting
    quiz = build_quiz(module)
    user = enrolled(course)
    attempt = services.attempt_start(user=user, quiz=quiz)
    right, wrong = answer_key(attempt, right=True), answer_key(attempt, right=False)
    results: dict[int, tuple] = {}

    def run(i, fn):
        try:
            results[i] = ("ok", fn())
        except Exception as error:  # noqa: BLE001
            results[i] = ("error", error)
        finally:
            connection.close()

    threads = []
    with transaction.atomic():
        QuizAttempt.objects.select_for_update().get(pk=attempt.pk)  # as if a request held it
        submit = threading.Thread(
            target=run, args=(0, lambda: services.attempt_submit(attempt_id=attempt.pk, user=user, answers=right))
        )
        submit.start()
        threads.append(submit)
        _wait_for(lambda: _waiting_for_locks() == 1, "the submit to queue for the row")
        for i in range(1, THREADS):
            save = threading.Thread(
                target=run,
                args=(i, lambda: services.attempt_save_answers(attempt_id=attempt.pk, user=user, answers=wrong)),
            )
            save.start()
            threads.append(save)
        _wait_for(lambda: _waiting_for_locks() == THREADS, "every save to queue behind it")
    for t in threads:
        t.join(timeout=60)
    assert results[0][0] == "ok", results[0]
    for i in range(1, THREADS):
        assert results[i][0] == "error" and isinstance(results[i][1], services.AttemptClosed), results[i]
    attempt.refresh_from_db()
    assert attempt.answers == right and attempt.status == Status.GRADED


# --- the sweeper and a worker ------------------------------------------------------------------


def test_the_sweeper_leaves_an_attempt_a_worker_is_grading(setting, monkeypatch):
    course, module = setting
    quiz = build_quiz(module)
    user = enrolled(course)
    attempt = services.attempt_start(user=user, quiz=quiz)
    sent = []
    monkeypatch.setattr(tasks.attempt_grade_task, "delay", lambda *args, **kwargs: sent.append(args))
    services.attempt_submit(attempt_id=attempt.pk, user=user, answers=answer_key(attempt))
    later = timezone.now() + services.STUCK_AFTER * 2
    sent.clear()

    swept = []
    with transaction.atomic():
        QuizAttempt.objects.select_for_update().get(pk=attempt.pk)  # a worker is grading it
        def sweep():
            try:
                swept.append(services.attempts_sweep(now=later))
            finally:
                connection.close()

        sweeper = threading.Thread(target=sweep)
        sweeper.start()
        sweeper.join(timeout=30)
        assert not sweeper.is_alive(), "the sweeper waited for the worker's lock"
    assert swept == [{"expired": 0, "requeued": 0, "failed": 0}]
    assert sent == []
    assert QuizAttempt.objects.get(pk=attempt.pk).grading_tries == 0

    # Once the worker has let go, the sweeper does its job.
    assert services.attempts_sweep(now=later)["requeued"] == 1
    assert sent == [(attempt.pk,)]
