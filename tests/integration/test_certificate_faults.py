"""Certificates finished by the sweep after real faults: a worker SIGKILLed while it
renders the PDF or sends the "issued" email, and a broker restarted with the messages in it.

The victim worker serves a queue of its own (the certificate's task is routed there from
this process) and gets a storage or mail backend that waits once the task reaches it
(tests/integration/blocking.py), so the kill lands at a known point: inside the task's
transaction, holding the certificate's row lock. It is a prefork worker, whose parent
still answers pings and ``inspect`` while its pool process is held. The sweep runs in the shared worker, as
beat would have it run. "Exactly once" is counted in the files the workers wrote: PDFs in
their MEDIA_ROOT, messages in their mailbox.
"""
import uuid

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from certification import jobs, services, tasks
from certification.models import Certificate, PendingWork, Programme
from courses.services import enrollment_create, lesson_complete
from kernel.jobs import Job
from tests.factories import UserFactory, build_course, lessons_of
from tests.integration.probes import SHORT_VISIBILITY, unacked_task_ids
from tests.integration.processes import start_redis
from tests.marks import INTEGRATION

pytestmark = INTEGRATION
RENDER_TASK = "certification.tasks.certificate_render_task"
EMAIL_TASK = "certification.tasks.certificate_issued_email_task"


class Routed:
    """Stands in for a certification task in this process's services: the real task and
    message, sent to ``queue`` (served by the test's own worker)."""

    def __init__(self, task, queue: str):
        self.task = task
        self.name = task.name
        self.queue = queue
        self.sent: list[str] = []

    def delay(self, *args):
        self.sent.append(self.task.apply_async(args, queue=self.queue).id)


@pytest.fixture
def route(monkeypatch):
    def route(name: str, queue: str) -> Routed:
        stand_in = Routed(getattr(tasks, name), queue)
        [job] = [job for job in vars(jobs).values() if isinstance(job, Job) and job.path.endswith(f".{name}")]
        monkeypatch.setattr(job, "task", stand_in)
        return stand_in

    return route


@pytest.fixture
def block_dir(tmp_path):
    path = tmp_path / "blocked"
    path.mkdir()
    return path


def _programme(title: str, course=None) -> Programme:
    programme = Programme.objects.create(
        title=title, slug=f"p-{uuid.uuid4().hex[:8]}", validity_months=24, requires_code_of_conduct=False,
        signatory_name="Amara Osei", signatory_title="Training lead",
    )
    if course is not None:
        programme.courses.add(course)
        programme.save()
    return programme


def _learner():
    return UserFactory(email=f"holder-{uuid.uuid4().hex[:10]}@example.org")


def _fresh(certificate) -> Certificate:
    return Certificate.objects.get(pk=certificate.pk)


def _issued_emails(mailbox, user, programme):
    return [m for m in mailbox.to(user.email) if m["Subject"] == f"Your {programme.title} certificate"]


def _pdfs(media, certificate):
    return sorted((media / "certificates").glob(f"{certificate.code}-*.pdf"))


def _row_free(certificate) -> bool:
    """Nobody holds the certificate's row lock (the killed worker's session has ended)."""
    try:
        with transaction.atomic():
            list(Certificate.objects.select_for_update(nowait=True).filter(pk=certificate.pk).values_list("pk"))
        return True
    except DatabaseError:
        return False


def _sweep(live_worker):
    """The sweep, run by the shared worker as beat would; returns once it and everything
    it enqueued have run."""
    tasks.certification_sweep_task.delay()
    live_worker.drain()


def _kill_blocked(victim, live_worker, block_dir, what, task_name, certificate):
    """Wait for the victim to block in ``what`` holding the certificate, check the sweep
    passes it by, then SIGKILL the victim and everything in its process group."""
    live_worker.wait_until(lambda: list(block_dir.glob(f"{what}-*")), what=f"the task to reach the {what}",
                           services=[victim.service])
    (task,) = live_worker.wait_until(victim.active, what="the task in inspect().active()", services=[victim.service])
    assert task["name"] == task_name
    assert task["id"] in unacked_task_ids(live_worker.redis.client)  # delivered, not acknowledged
    assert not _row_free(certificate)

    # A busy worker holds the row: the sweep, due as it is, leaves it alone.
    _sweep(live_worker)
    assert _fresh(certificate).sweep_tries == 0

    victim.service.kill_group()
    live_worker.wait_until(lambda: not victim.service.group_members(), what="the victim to die")
    live_worker.wait_until(lambda: _row_free(certificate), what="the killed worker's session to end")
    return task


def _late_copy_changes_nothing(live_worker, worker_factory, queue, task):
    """The killed worker's message, still unacknowledged, is restored to a worker started
    now: the task runs again and finds its work done."""
    rescuer = worker_factory(
        pool="solo", queues=queue, prefix="rescuer", extra_env={"CELERY_BROKER_TRANSPORT_OPTIONS": SHORT_VISIBILITY}
    )
    redis = live_worker.redis.client
    live_worker.wait_until(
        lambda: task["id"] not in unacked_task_ids(redis) and redis.llen(queue) == 0,
        what="the late copy to be run", services=[rescuer.service],
    )
    rescuer.stop()  # warm: a message it had taken is run first (solo), or given back
    assert rescuer.service.proc.returncode == 0, rescuer.log_tail()
    # Nowhere any more: the rescuer ran it and acknowledged it.
    assert redis.llen(queue) == 0 and task["id"] not in unacked_task_ids(redis)
    live_worker.drain()


# --- a worker killed mid-task ---------------------------------------------------------------------


def test_a_worker_killed_while_storing_the_pdf_leaves_it_to_the_sweep(
    live_worker, worker_factory, worker_media, route, block_dir
):
    programme, holder = _programme("Killed While Rendering"), _learner()
    queue = f"itest-render-{uuid.uuid4().hex[:8]}"
    routed = route("certificate_render_task", queue)
    certificate, created = services.certificate_issue(user=holder, programme=programme, period=1, now=timezone.now())
    assert created and len(routed.sent) == 1 and live_worker.redis.client.llen(queue) == 1
    # The clock moves on: the render is overdue by the time the victim takes it.
    Certificate.objects.filter(pk=certificate.pk).update(sweep_after=timezone.now())

    victim = worker_factory(pool="prefork", concurrency=1, queues=queue, prefix="render-victim", extra_env={
        "TEST_DEFAULT_STORAGE": "tests.integration.blocking.BlockingStorage", "BLOCK_DIR": str(block_dir),
    })
    task = _kill_blocked(victim, live_worker, block_dir, "storage", RENDER_TASK, certificate)
    assert task["id"] == routed.sent[0]
    lost = _fresh(certificate)
    assert (lost.pdf_revision, lost.pdf.name, lost.issued_notified_at) == (0, "", None)
    assert _pdfs(worker_media, certificate) == [] and _issued_emails(live_worker.mailbox, holder, programme) == []

    _sweep(live_worker)  # renders it (the shared worker), which sends the email
    live_worker.wait_until(lambda: _issued_emails(live_worker.mailbox, holder, programme), what="the issued email")
    done = _fresh(certificate)
    assert done.pdf_revision == 1 and done.issued_notified_at is not None
    assert (done.sweep_after, done.sweep_tries) == (None, 0)

    _late_copy_changes_nothing(live_worker, worker_factory, queue, task)
    _sweep(live_worker)
    assert _pdfs(worker_media, certificate) == [worker_media / done.pdf.name]
    assert len(_issued_emails(live_worker.mailbox, holder, programme)) == 1
    assert _fresh(certificate).pdf.name == done.pdf.name
    live_worker.wait_until(lambda: live_worker.redis.client.hlen("unacked") == 0, what="no unacknowledged messages")


def test_a_worker_killed_while_sending_the_issued_email_leaves_it_to_the_sweep(
    live_worker, worker_factory, worker_media, route, block_dir
):
    programme, holder = _programme("Killed While Emailing"), _learner()
    void = f"itest-void-{uuid.uuid4().hex[:8]}"
    route("certificate_render_task", void)  # nobody listens there: it is rendered below
    queue = f"itest-email-{uuid.uuid4().hex[:8]}"
    routed = route("certificate_issued_email_task", queue)
    certificate, _ = services.certificate_issue(user=holder, programme=programme, period=1, now=timezone.now())
    assert services.certificate_render(certificate_id=certificate.pk) is True  # here, as a worker would
    assert len(routed.sent) == 1 and _fresh(certificate).pdf_revision == 1
    live_worker.redis.client.delete(void)
    Certificate.objects.filter(pk=certificate.pk).update(sweep_after=timezone.now())

    victim = worker_factory(pool="prefork", concurrency=1, queues=queue, prefix="email-victim", extra_env={
        "EMAIL_BACKEND": "tests.integration.blocking.BlockingEmailBackend", "BLOCK_DIR": str(block_dir),
    })
    task = _kill_blocked(victim, live_worker, block_dir, "email", EMAIL_TASK, certificate)
    assert task["id"] == routed.sent[0]
    assert _fresh(certificate).issued_notified_at is None
    assert _issued_emails(live_worker.mailbox, holder, programme) == []

    _sweep(live_worker)
    live_worker.wait_until(lambda: _issued_emails(live_worker.mailbox, holder, programme), what="the issued email")
    done = _fresh(certificate)
    assert done.issued_notified_at is not None and (done.sweep_after, done.sweep_tries) == (None, 0)

    _late_copy_changes_nothing(live_worker, worker_factory, queue, task)
    _sweep(live_worker)
    assert len(_issued_emails(live_worker.mailbox, holder, programme)) == 1
    assert _fresh(certificate).issued_notified_at == done.issued_notified_at
    assert len(_pdfs(worker_media, certificate)) == 1
    live_worker.wait_until(lambda: live_worker.redis.client.hlen("unacked") == 0, what="no unacknowledged messages")


# --- a broker restarted with the messages in it -------------------------------------------------


@pytest.fixture
def restartable_redis(integration_dir, live_worker, redis_server):
    """A private Redis this test may stop and start; this process publishes there until
    the test ends."""
    server = start_redis(integration_dir)
    live_worker.broker.use(server.url)
    try:
        yield server
    finally:
        live_worker.broker.use(redis_server.url)
        server.client.close()
        server.stop()


def test_a_broker_restart_that_loses_the_messages_is_finished_by_the_sweep(
    live_worker, worker_factory, worker_media, restartable_redis
):
    course = build_course(title="Broker Restart Course", modules=1, lessons_per_module=1)
    programme = _programme("Broker Restart", course)
    evaluated, rendered = _learner(), _learner()

    # One learner completes the course: the evaluation is asked for (and its message sent).
    enrollment, _ = enrollment_create(user=evaluated, course=course)
    lesson_complete(enrollment=enrollment, lesson=lessons_of(course)[0])
    assert PendingWork.objects.filter(user=evaluated, kind=PendingWork.Kind.EVALUATE).exists()
    # Another's certificate is issued (its render message sent).
    certificate, _ = services.certificate_issue(user=rendered, programme=programme, period=1, now=timezone.now())
    broker = restartable_redis.client
    assert broker.llen("celery") >= 2  # (the course completion email too) no worker has taken them

    restartable_redis.stop()
    restartable_redis.start_again()
    assert broker.llen("celery") == 0  # lost with the restart

    worker = worker_factory(pool="solo", prefix="after-restart", extra_env={
        "CELERY_BROKER_URL": restartable_redis.url, "TEST_REDIS_URL": restartable_redis.url,
    })
    live_worker.drain()  # (the drain's barriers go through the restarted broker to this worker)
    assert not Certificate.objects.filter(holder=evaluated).exists()
    assert _fresh(certificate).pdf_revision == 0
    # Nothing happens by itself; once overdue, the sweep (run by the worker) finds both.
    PendingWork.objects.update(sweep_after=timezone.now())
    Certificate.objects.update(sweep_after=timezone.now())
    tasks.certification_sweep_task.delay()

    for holder in (evaluated, rendered):
        live_worker.wait_until(
            lambda: _issued_emails(live_worker.mailbox, holder, programme), what=f"the email to {holder.email}",
            services=[worker.service, restartable_redis.service],
        )
    live_worker.drain()
    tasks.certification_sweep_task.delay()  # a later sweep has nothing to do
    live_worker.drain()

    assert not PendingWork.objects.exists()
    for holder in (evaluated, rendered):
        issued = Certificate.objects.get(holder=holder, programme=programme)
        assert issued.pdf_revision == 1 and issued.issued_notified_at is not None and issued.sweep_after is None
        assert issued.sweep_tries == 0
        assert len(_pdfs(worker_media, issued)) == 1
        assert len(_issued_emails(live_worker.mailbox, holder, programme)) == 1
    worker.stop()  # while its broker is still there
    assert worker.service.proc.returncode == 0, worker.log_tail()
