"""Tasks through real Redis and a real Celery worker process, against the real test database.

The worker is another process: it sees only committed rows (hence transactional tests) and
its emails land in files (``mailbox``). Results are awaited by polling the database or the
mailbox, within a bound, never by sleeping a fixed time; ``drain`` proves the worker has
finished everything queued, so "exactly one" really means no second one is on its way.
"""
import os
import signal
import uuid

from django.db import transaction

from accounts.models import User
from accounts.tasks import send_welcome_email_task
from courses import services
from courses.models import Enrollment, LessonPage, ModulePage
from courses.tasks import course_completed_email_task
from lms.worker_priority import session_group_nice
from tests.factories import UserFactory, build_course, lesson_body, lessons_of
from tests.integration.probes import SHORT_VISIBILITY, database_sessions, pid_exists, sessions_waiting_for_locks, unacked_task_ids
from tests.marks import INTEGRATION

pytestmark = INTEGRATION


def test_test_process_publishes_to_the_private_broker(live_worker):
    """The premise of every other test here: nothing runs eagerly in this process."""
    from django.conf import settings

    from lms.celery import app

    assert app.conf.task_always_eager is False
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert app.conf.broker_url == live_worker.redis.url
    with app.connection_for_write() as conn:
        assert (conn.transport_cls, conn.hostname) == ("redis", "127.0.0.1")
        assert conn.port == live_worker.redis.port


def test_the_worker_yields_the_cpu_to_web_requests(live_worker, celery_worker, settings):
    """``lms/worker_priority.py``: the worker, leading its own session as honcho and
    systemd start it, runs at nice WORKER_NICE (at least) and so does its session group;
    this process (standing in for the web server) keeps its own."""
    pid = celery_worker.service.pid
    assert settings.WORKER_NICE == 10
    assert os.getpriority(os.PRIO_PROCESS, pid) == max(10, os.getpriority(os.PRIO_PROCESS, 0))
    if session_group_nice(pid) is not None:  # None: no autogroup, or a CPU cgroup shares the CPU
        assert session_group_nice(pid) == 10


def _learner() -> User:
    return UserFactory(email=f"learner-{uuid.uuid4().hex[:10]}@example.org")


def _fresh(enrollment: Enrollment) -> Enrollment:
    return Enrollment.objects.get(pk=enrollment.pk)


def test_completing_the_last_lesson_sends_one_completion_email(live_worker):
    course = build_course(title="Completion by worker", modules=1, lessons_per_module=2)
    first, last = lessons_of(course)
    user = _learner()
    enrollment, _ = services.enrollment_create(user=user, course=course)

    assert services.lesson_complete(enrollment=enrollment, lesson=first) is True
    assert _fresh(enrollment).status == Enrollment.Status.ACTIVE
    assert services.lesson_complete(enrollment=enrollment, lesson=last) is True
    completed = _fresh(enrollment)
    assert (completed.status, completed.progress_percent) == (Enrollment.Status.COMPLETED, 100)

    # The worker claims the notification (course_completed_email_task) ...
    notified_at = live_worker.wait_until(
        lambda: _fresh(enrollment).completion_notified_at, what="completion_notified_at"
    )
    # ... and its follow-up task sends the email.
    live_worker.wait_until(lambda: live_worker.mailbox.to(user.email), what="the completion email")

    # Completing the lesson again and redelivered copies of the task send nothing more.
    assert services.lesson_complete(enrollment=_fresh(enrollment), lesson=last) is False
    course_completed_email_task.delay(enrollment.pk)
    course_completed_email_task.delay(enrollment.pk)
    live_worker.drain()

    messages = live_worker.mailbox.to(user.email)
    assert len(messages) == 1
    assert messages[0]["Subject"] == "You have completed Completion by worker"
    assert _fresh(enrollment).completion_notified_at == notified_at


def test_welcome_task_enqueued_twice_welcomes_once(live_worker):
    user = _learner()
    assert user.welcomed_at is None

    send_welcome_email_task.delay(user.pk)
    send_welcome_email_task.delay(user.pk)

    welcomed_at = live_worker.wait_until(
        lambda: User.objects.get(pk=user.pk).welcomed_at, what="welcomed_at"
    )
    live_worker.drain()

    messages = live_worker.mailbox.to(user.email)
    assert len(messages) == 1
    assert messages[0]["Subject"] == "Welcome to Facilitator Training"
    assert User.objects.get(pk=user.pk).welcomed_at == welcomed_at


def test_publishing_a_lesson_refreshes_progress_in_the_worker(live_worker):
    course = build_course(title="Growing course", modules=1, lessons_per_module=2)
    first, second = lessons_of(course)
    finished_user, halfway_user, withdrawn_user = _learner(), _learner(), _learner()

    finished, _ = services.enrollment_create(user=finished_user, course=course)
    services.lesson_complete(enrollment=finished, lesson=first)
    services.lesson_complete(enrollment=finished, lesson=second)
    halfway, _ = services.enrollment_create(user=halfway_user, course=course)
    services.lesson_complete(enrollment=halfway, lesson=first)
    withdrawn, _ = services.enrollment_create(user=withdrawn_user, course=course)
    services.lesson_complete(enrollment=withdrawn, lesson=first)
    Enrollment.objects.filter(pk=withdrawn.pk).update(status=Enrollment.Status.WITHDRAWN)
    # Let the completion email go out first, so what follows starts from a quiet queue.
    live_worker.wait_until(
        lambda: live_worker.mailbox.to(finished_user.email), what="the completion email"
    )
    live_worker.drain()
    before = _fresh(finished)
    assert (before.status, before.progress_percent) == (Enrollment.Status.COMPLETED, 100)
    assert before.completion_notified_at is not None
    assert (_fresh(halfway).progress_percent, _fresh(withdrawn).progress_percent) == (50, 50)

    # An author adds a third required lesson and publishes it (then a fourth, below).
    module = ModulePage.objects.child_of(course).get()
    new_lesson = module.add_child(
        instance=LessonPage(title="Growing course lesson 1.3", body=lesson_body(3), live=False)
    )
    assert new_lesson.required
    new_lesson.save_revision().publish()

    # Completion once reached stands: the finished learner stays at 100%.
    live_worker.wait_until(
        lambda: (_fresh(finished).progress_percent, _fresh(halfway).progress_percent) == (100, 33),
        what="progress 100% and 33% after the publish",
    )
    # And again: the worker, which has now read this course, must see the next change too.
    fourth = module.add_child(
        instance=LessonPage(title="Growing course lesson 1.4", body=lesson_body(4), live=False)
    )
    fourth.save_revision().publish()
    live_worker.wait_until(
        lambda: (_fresh(finished).progress_percent, _fresh(halfway).progress_percent) == (100, 25),
        what="progress 100% and 25% after the second publish",
    )
    live_worker.drain()

    after = _fresh(finished)
    # Completion is not taken back, and it is not announced again.
    assert after.status == Enrollment.Status.COMPLETED
    assert after.completed_at == before.completed_at
    assert after.completion_notified_at == before.completion_notified_at
    assert len(live_worker.mailbox.to(finished_user.email)) == 1
    assert _fresh(halfway).status == Enrollment.Status.ACTIVE
    # Withdrawn learners are left as they were.
    assert _fresh(withdrawn).progress_percent == 50


def test_task_survives_its_worker_process_being_killed(live_worker, worker_factory):
    """acks_late + reject_on_worker_lost: a pool process killed with SIGKILL mid-task puts
    the message back, and the replacement process runs it to completion, once."""
    queue = f"itest-lost-{uuid.uuid4().hex[:8]}"
    lost = worker_factory(pool="prefork", concurrency=1, queues=queue, prefix="lost")
    user = _learner()
    redis = live_worker.redis.client

    def wait_until(predicate, what):
        return live_worker.wait_until(predicate, what=what, services=[lost.service])

    def running_in() -> set[int]:
        return {t["worker_pid"] for t in lost.active() if t["id"] == task_id}

    with transaction.atomic():
        # Hold the user's row: the welcome task blocks in user_welcome's
        # select_for_update, i.e. mid-task, with its message delivered and unacknowledged.
        User.objects.select_for_update().get(pk=user.pk)
        task_id = send_welcome_email_task.apply_async((user.pk,), queue=queue).id

        first_sessions = wait_until(sessions_waiting_for_locks, "the task to wait on the row lock")
        (first_pid,) = wait_until(running_in, "the task in inspect().active()")
        assert task_id in unacked_task_ids(redis)  # delivered, not acknowledged

        os.kill(first_pid, signal.SIGKILL)
        wait_until(lambda: not pid_exists(first_pid), "the pool process to die")

        # The parent replaces the process and the message is delivered again: the task
        # runs in the new process and reaches the same lock (a new database session).
        wait_until(
            lambda: sessions_waiting_for_locks() - first_sessions,
            "the redelivered task to wait on the row lock",
        )
        second_pids = wait_until(running_in, "the redelivered task in inspect().active()")
        assert first_pid not in second_pids
        assert User.objects.get(pk=user.pk).welcomed_at is None
    # Lock released: the redelivered task finishes.

    wait_until(lambda: User.objects.get(pk=user.pk).welcomed_at, "welcomed_at")
    lost.stop()  # warm shutdown: acknowledges what it finished, puts back what it did not
    assert lost.service.proc.returncode == 0, lost.log_tail()
    live_worker.drain()

    assert len(live_worker.mailbox.to(user.email)) == 1
    assert redis.llen(queue) == 0  # nothing left to run again
    live_worker.wait_until(lambda: redis.hlen("unacked") == 0, what="no unacknowledged messages")
    # The killed process's database session ends once the lock it waited for is free.
    live_worker.wait_until(
        lambda: not (first_sessions & database_sessions()), what="the killed process's session to end"
    )
    assert "WorkerLostError" in lost.log_tail(200)


# For the rescuer only: restore unacknowledged messages older than 2 s, checking every second.


def test_task_held_by_a_killed_worker_is_picked_up_by_the_next_one(live_worker, worker_factory):
    """The whole worker dies (SIGKILL to it and its pool: nothing can reject the message):
    the message stays unacknowledged in Redis, and a worker started later restores it once
    the visibility timeout has passed (shortened for that worker) and runs it, once."""
    queue = f"itest-killed-{uuid.uuid4().hex[:8]}"
    victim = worker_factory(pool="prefork", concurrency=1, queues=queue, prefix="victim")
    user = _learner()
    redis = live_worker.redis.client

    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        task_id = send_welcome_email_task.apply_async((user.pk,), queue=queue).id
        waiting = live_worker.wait_until(
            sessions_waiting_for_locks, what="the task to wait on the row lock", services=[victim.service]
        )
        assert [t["id"] for t in victim.active()] == [task_id]
        assert task_id in unacked_task_ids(redis)

        victim.service.kill_group()
        live_worker.wait_until(
            lambda: not victim.service.group_members(), what="the victim's pool process to die"
        )
    # Lock released; the dead worker's database session ends with it.
    live_worker.wait_until(
        lambda: not (waiting & database_sessions()), what="the killed worker's session to end"
    )

    # The message is neither queued nor lost: it waits, unacknowledged, for its visibility timeout.
    assert redis.llen(queue) == 0
    assert task_id in unacked_task_ids(redis)
    assert User.objects.get(pk=user.pk).welcomed_at is None

    rescuer = worker_factory(
        pool="solo", queues=queue, prefix="rescuer",
        extra_env={"CELERY_BROKER_TRANSPORT_OPTIONS": SHORT_VISIBILITY},
    )
    live_worker.wait_until(
        lambda: User.objects.get(pk=user.pk).welcomed_at, what="welcomed_at", services=[rescuer.service]
    )
    rescuer.stop()
    assert rescuer.service.proc.returncode == 0, rescuer.log_tail()
    live_worker.drain()

    assert len(live_worker.mailbox.to(user.email)) == 1
    assert redis.llen(queue) == 0
    live_worker.wait_until(lambda: redis.hlen("unacked") == 0, what="no unacknowledged messages")
