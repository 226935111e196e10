"""Grading quiz attempts through real Redis and real Celery worker processes.

A submit is graded by the worker; a worker killed with SIGKILL while it grades loses
nothing (acks_late: the message is redelivered and the attempt ends graded, once); and a
message the broker lost is found by the sweeper, run by the worker like any other task.

To block a grading run mid-way, the test holds the learner's enrolment row: grading
writes the grade, then waits for that row to update the learner's progress, inside one
transaction that is not committed yet (the pattern of tests/integration/test_worker.py).
"""
import os
import signal
import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses import jobs
from courses.assessment import services, tasks
from courses.models import Enrollment, ModulePage, QuizAttempt
from tests.factories import answer_key, build_course, build_quiz, enrolled_learner, lessons_of
from tests.integration.probes import SHORT_VISIBILITY, database_sessions, pid_exists, sessions_waiting_for_locks, unacked_task_ids
from tests.marks import INTEGRATION

pytestmark = INTEGRATION
Status = QuizAttempt.Status
GRADE_TASK = "courses.assessment.tasks.attempt_grade_task"
# For the rescuer only: restore unacknowledged messages older than 2 s, checking every second.


def _setting(title: str):
    """A course whose one lesson the learner has done: passing its quiz completes it."""
    course = build_course(title=title, modules=1, lessons_per_module=1)
    quiz = build_quiz(ModulePage.objects.child_of(course).get(), title=f"{title} check")
    user = enrolled_learner(course, done=lessons_of(course), email=f"learner-{uuid.uuid4().hex[:10]}@example.org")
    return quiz, user, Enrollment.objects.get(user=user, course=course)


def _fresh(attempt) -> QuizAttempt:
    return QuizAttempt.objects.get(pk=attempt.pk)


def _completion_emails(mailbox, user, course_title):
    return [m for m in mailbox.to(user.email) if m["Subject"] == f"You have completed {course_title}"]


class RoutedGradeTask:
    """Stands in for ``attempt_grade_task`` in this process's services, so that the
    submit's own on-commit enqueue goes to ``queue`` (served by a worker of the test's
    own): the real task, the real message, only another queue."""

    def __init__(self, queue: str):
        self.queue = queue
        self.task = tasks.attempt_grade_task
        self.sent: list[str] = []

    def delay(self, *args):
        self.sent.append(self.task.apply_async(args, queue=self.queue).id)


@pytest.fixture
def routed(monkeypatch):
    def route(queue: str) -> RoutedGradeTask:
        stand_in = RoutedGradeTask(queue)
        monkeypatch.setattr(jobs.grade_attempt, "task", stand_in)
        return stand_in

    return route


# --- the ordinary path -------------------------------------------------------------------------


def test_a_submit_through_the_pages_is_graded_by_the_worker(live_worker):
    quiz, user, enrollment = _setting("Graded by worker")
    browser = Client()
    browser.force_login(user)
    start = browser.post(reverse("courses:quiz_start", args=[quiz.id]))
    attempt = QuizAttempt.objects.get(user=user, quiz=quiz)
    assert start["Location"] == reverse("courses:attempt", args=[attempt.pk])

    form = {
        f"q-{qid}": ("true" if a else "false") if isinstance(a, bool) else a
        for qid, a in answer_key(attempt).items()
    }
    submitted = browser.post(reverse("courses:attempt_submit", args=[attempt.pk]), form)
    assert submitted["Location"] == reverse("courses:attempt_result", args=[attempt.pk])

    status_url = reverse("courses:attempt_status", args=[attempt.pk])
    live_worker.wait_until(lambda: browser.get(status_url).json()["ready"], what="the status to say ready")
    assert browser.get(status_url).json() == {"status": "graded", "ready": True}
    graded = _fresh(attempt)
    assert graded.passed is True and graded.percent == 100 and graded.grading_tries == 0
    page = browser.get(reverse("courses:attempt_result", args=[attempt.pk])).content.decode()
    assert "Your score: <strong>100%</strong>" in page and "You passed" in page

    # Passing completed the course: the worker's follow-up task says so, once.
    live_worker.wait_until(
        lambda: _completion_emails(live_worker.mailbox, user, "Graded by worker"), what="the completion email"
    )
    live_worker.drain()
    assert len(_completion_emails(live_worker.mailbox, user, "Graded by worker")) == 1
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED


# --- a worker killed while grading ---------------------------------------------------------


def _grading_blocked_in(worker, live_worker, wait_until):
    """While the caller holds the enrolment row: wait until the worker's grading waits for
    it, with the grade written but not committed. Returns the task (as inspect reports
    it) and the worker's blocked database sessions."""
    waiting = wait_until(sessions_waiting_for_locks, "grading to wait for the enrolment row")
    (task,) = wait_until(worker.active, "the grading task in inspect().active()")
    assert task["name"] == GRADE_TASK
    assert task["id"] in unacked_task_ids(live_worker.redis.client)  # delivered, not acknowledged
    return task, waiting


def test_a_worker_killed_while_grading_loses_nothing(live_worker, worker_factory, routed):
    """The whole worker dies (SIGKILL to it and its pool) in the middle of grading: its
    transaction is rolled back, the message stays unacknowledged in Redis, and a worker
    started later restores it once the visibility timeout has passed and grades the
    attempt, once."""
    title = "Killed while grading"
    quiz, user, enrollment = _setting(title)
    queue = f"itest-grade-{uuid.uuid4().hex[:8]}"
    route = routed(queue)
    redis = live_worker.redis.client

    attempt = services.attempt_start(user=user, quiz=quiz)
    services.attempt_submit(attempt_id=attempt.pk, user=user, answers=answer_key(attempt))
    assert _fresh(attempt).status == Status.SUBMITTED
    assert len(route.sent) == 1 and redis.llen(queue) == 1  # enqueued on commit, not yet taken

    with transaction.atomic():
        Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        victim = worker_factory(pool="prefork", concurrency=1, queues=queue, prefix="grader")
        task, waiting = _grading_blocked_in(
            victim, live_worker, lambda p, what: live_worker.wait_until(p, what=what, services=[victim.service])
        )
        assert task["id"] == route.sent[0]

        victim.service.kill_group()
        live_worker.wait_until(lambda: not victim.service.group_members(), what="the victim's pool to die")
    # Lock released; the dead worker's session ends and its uncommitted grade with it.
    live_worker.wait_until(lambda: not (waiting & database_sessions()), what="the killed worker's session to end")

    lost = _fresh(attempt)
    assert (lost.status, lost.graded_at, lost.results) == (Status.SUBMITTED, None, {})
    assert redis.llen(queue) == 0 and task["id"] in unacked_task_ids(redis)  # neither queued nor lost

    rescuer = worker_factory(
        pool="solo", queues=queue, prefix="rescuer", extra_env={"CELERY_BROKER_TRANSPORT_OPTIONS": SHORT_VISIBILITY}
    )
    live_worker.wait_until(
        lambda: _fresh(attempt).status == Status.GRADED, what="the attempt to be graded", services=[rescuer.service]
    )
    rescuer.stop()
    assert rescuer.service.proc.returncode == 0, rescuer.log_tail()
    live_worker.wait_until(
        lambda: _completion_emails(live_worker.mailbox, user, title), what="the completion email"
    )
    graded = _fresh(attempt)
    assert graded.passed is True and graded.grading_tries == 0

    # A late copy of the message changes nothing.
    route.task.delay(attempt.pk)  # the real task, to the shared worker
    live_worker.drain()
    again = _fresh(attempt)
    assert (again.graded_at, again.results, again.score_awarded) == (
        graded.graded_at, graded.results, graded.score_awarded
    )
    assert len(_completion_emails(live_worker.mailbox, user, title)) == 1
    assert redis.llen(queue) == 0
    live_worker.wait_until(lambda: redis.hlen("unacked") == 0, what="no unacknowledged messages")


def test_a_pool_process_killed_while_grading_is_replaced_and_grades_once(live_worker, worker_factory, routed):
    """Only the pool process dies: its parent rejects the message (reject_on_worker_lost),
    it is delivered again at once, and the replacement process grades the attempt."""
    title = "Pool process killed"
    quiz, user, enrollment = _setting(title)
    queue = f"itest-pool-{uuid.uuid4().hex[:8]}"
    route = routed(queue)
    worker = worker_factory(pool="prefork", concurrency=1, queues=queue, prefix="pool")

    def wait_until(predicate, what):
        return live_worker.wait_until(predicate, what=what, services=[worker.service])

    attempt = services.attempt_start(user=user, quiz=quiz)
    with transaction.atomic():
        Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        # Submitted from another connection, as a web request would be, so that the
        # grading message goes out now (this transaction is still open).
        def submit():
            try:
                services.attempt_submit(attempt_id=attempt.pk, user=user, answers=answer_key(attempt))
            finally:
                connection.close()

        thread = threading.Thread(target=submit)
        thread.start()
        thread.join(timeout=30)
        task, first_sessions = _grading_blocked_in(worker, live_worker, wait_until)
        first_pid = task["worker_pid"]

        os.kill(first_pid, signal.SIGKILL)
        wait_until(lambda: not pid_exists(first_pid), "the pool process to die")
        # Redelivered to the replacement process: it reaches the same lock, in a new session.
        wait_until(lambda: sessions_waiting_for_locks() - first_sessions, "the redelivered grading to wait")
        second = wait_until(lambda: [t for t in worker.active() if t["id"] == task["id"]], "the redelivered task")
        assert second[0]["worker_pid"] != first_pid
        assert _fresh(attempt).status == Status.SUBMITTED
    wait_until(lambda: _fresh(attempt).status == Status.GRADED, "the attempt to be graded")
    worker.stop()
    assert worker.service.proc.returncode == 0, worker.log_tail()
    live_worker.drain()

    assert route.sent == [task["id"]]
    assert len(_completion_emails(live_worker.mailbox, user, title)) == 1
    assert "WorkerLostError" in worker.log_tail(200)
    live_worker.wait_until(lambda: live_worker.redis.client.hlen("unacked") == 0, what="no unacknowledged messages")


# --- a message the broker lost ------------------------------------------------------------------


def test_a_lost_grading_message_is_recovered_by_the_sweeper_in_the_worker(live_worker, routed):
    title = "Lost message"
    quiz, user, enrollment = _setting(title)
    queue = f"itest-void-{uuid.uuid4().hex[:8]}"  # nobody listens here
    routed(queue)  # the submit enqueues there
    redis = live_worker.redis.client

    attempt = services.attempt_start(user=user, quiz=quiz)
    services.attempt_submit(attempt_id=attempt.pk, user=user, answers=answer_key(attempt))
    assert redis.llen(queue) == 1
    redis.delete(queue)  # the broker restarts without the message
    live_worker.drain()
    assert _fresh(attempt).status == Status.SUBMITTED  # nothing will grade it by itself

    # The sweeper leaves it alone until it has waited STUCK_AFTER ...
    tasks.attempts_sweep_task.delay()
    live_worker.drain()
    assert (_fresh(attempt).status, _fresh(attempt).grading_tries) == (Status.SUBMITTED, 0)

    # ... then (the clock moved on: its queued_at is put back instead) enqueues it again.
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        queued_at=timezone.now() - services.STUCK_AFTER - timedelta(seconds=5)
    )
    # (The sweeper runs in the worker, whose services enqueue to the ordinary queue.)
    tasks.attempts_sweep_task.delay()
    live_worker.wait_until(lambda: _fresh(attempt).status == Status.GRADED, what="the swept attempt to be graded")
    live_worker.drain()

    graded = _fresh(attempt)
    assert graded.passed is True and graded.grading_tries == 1
    assert len(_completion_emails(live_worker.mailbox, user, title)) == 1
    # A later sweep has nothing to do.
    tasks.attempts_sweep_task.delay()
    live_worker.drain()
    assert _fresh(attempt).grading_tries == 1 and _fresh(attempt).graded_at == graded.graded_at
