"""The certification sweep finishes work whose message was lost (certification/services/sweep.py).

A message is "lost" here by never running the on-commit callbacks that would enqueue it
(the test's transaction never commits); running them with
``django_capture_on_commit_callbacks(execute=True)`` delivers them, and the tasks run
eagerly. Time moves through the sweep's ``now=``. The same faults with a real worker
killed and a real broker restarted are in tests/integration/test_certificate_faults.py.
"""
import logging
import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts.services import user_set_certificate_name
from certification import services, tasks
from certification.models import Certificate, ConductAcceptance, PendingWork
from certification.services import certification_sweep, issuing, pending
from tests.factories import UserFactory

from .conftest import complete_course

pytestmark = pytest.mark.django_db
ISSUED_SUBJECT = "Your Meeting Facilitator certificate"
NOTHING = {"evaluate": 0, "reissue": 0, "render": 0, "email": 0, "settled": 0}


def later(minutes: float = 11):
    return timezone.now() + timedelta(minutes=minutes)


def issued_emails(mailoutbox):
    return [m for m in mailoutbox if m.subject == ISSUED_SUBJECT]


def fresh(certificate) -> Certificate:
    return Certificate.objects.get(pk=certificate.pk)


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the sweep at ``now`` and deliver what it enqueued (and what that enqueues)."""

    def run(now=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return certification_sweep(now=now or later(), **kwargs)

    return run


@pytest.fixture
def unrendered(learner, programme):
    """Issued, but the render message was lost."""
    certificate, created = services.certificate_issue(user=learner, programme=programme, period=1, now=timezone.now())
    assert created and fresh(certificate).pdf_revision == 0
    return certificate


# --- certificates -------------------------------------------------------------------------------


def test_a_lost_render_is_left_to_a_busy_worker_then_done_once(unrendered, sweep, mailoutbox):
    assert unrendered.sweep_after > timezone.now() + timedelta(minutes=9)
    assert sweep(now=timezone.now()) == NOTHING  # a worker may still be on its way

    assert sweep() == {**NOTHING, "render": 1}
    certificate = fresh(unrendered)
    assert certificate.pdf and certificate.pdf_revision == 1
    assert (certificate.sweep_after, certificate.sweep_tries) == (None, 0)  # nothing left
    assert len(issued_emails(mailoutbox)) == 1  # the render's own follow-up

    assert sweep(now=later(60 * 24 * 3)) == NOTHING
    assert len(issued_emails(mailoutbox)) == 1 and fresh(certificate).pdf.name == certificate.pdf.name


def test_a_lost_issued_email_is_sent_once(unrendered, sweep, mailoutbox):
    assert services.certificate_render(certificate_id=unrendered.pk) is True  # its email message is lost
    certificate = fresh(unrendered)
    assert certificate.pdf_revision == 1 and certificate.issued_notified_at is None
    assert certificate.sweep_after is not None and issued_emails(mailoutbox) == []

    assert sweep() == {**NOTHING, "email": 1}
    assert len(issued_emails(mailoutbox)) == 1
    certificate = fresh(unrendered)
    assert certificate.issued_notified_at is not None and certificate.sweep_after is None
    assert sweep(now=later(60 * 24 * 3)) == NOTHING and len(issued_emails(mailoutbox)) == 1


def test_a_revoked_certificate_is_neither_rendered_nor_announced(unrendered, sweep, mailoutbox):
    services.certificate_revoke(certificate_id=unrendered.pk, by=UserFactory(), reason="error")
    assert fresh(unrendered).sweep_after is None
    # Due all the same (say, revoked by an older release): the sweep only settles it.
    Certificate.objects.filter(pk=unrendered.pk).update(sweep_after=timezone.now(), sweep_tries=2)
    assert sweep() == {**NOTHING, "settled": 1}
    certificate = fresh(unrendered)
    assert not certificate.pdf and (certificate.sweep_after, certificate.sweep_tries) == (None, 0)
    assert issued_emails(mailoutbox) == []


def test_an_expired_certificate_gets_its_pdf_but_no_late_announcement(learner, programme, sweep, mailoutbox):
    long_ago = timezone.now() - timedelta(days=800)
    certificate, _ = services.certificate_issue(user=learner, programme=programme, period=1, now=long_ago)
    services.certificate_render(certificate_id=certificate.pk)  # email lost
    Certificate.objects.filter(pk=certificate.pk).update(sweep_after=timezone.now())
    assert sweep() == {**NOTHING, "settled": 1}
    assert issued_emails(mailoutbox) == [] and fresh(certificate).sweep_after is None


def test_a_lost_reissue_is_done_by_the_sweep(learner, unrendered, sweep, mailoutbox):
    sweep()  # rendered (revision 1) and announced
    user_set_certificate_name(user=learner, name="Zoë Okafor")  # the reissue message is lost
    assert PendingWork.objects.filter(user=learner, kind=PendingWork.Kind.REISSUE).exists()
    assert fresh(unrendered).revision == 1

    assert sweep() == {**NOTHING, "reissue": 1}  # ... which reissues: revision 2, rendered
    certificate = fresh(unrendered)
    assert (certificate.holder_name, certificate.revision, certificate.pdf_revision) == ("Zoë Okafor", 2, 2)
    assert certificate.sweep_after is None
    assert not PendingWork.objects.exists()
    assert len(issued_emails(mailoutbox)) == 1  # not announced again


def test_a_reissue_whose_render_was_lost_is_rendered(learner, unrendered, sweep):
    sweep()
    learner.certificate_name = "Zoë Okafor"
    learner.save()
    assert services.certificates_reissue_for_name(user_id=learner.pk) == 1  # render message lost
    certificate = fresh(unrendered)
    assert (certificate.revision, certificate.pdf_revision) == (2, 1) and certificate.sweep_after is not None
    assert sweep() == {**NOTHING, "render": 1}
    assert fresh(unrendered).pdf_revision == 2 and fresh(unrendered).sweep_after is None


# --- people -------------------------------------------------------------------------------------


@pytest.mark.parametrize("last_step", ["course completed", "code of conduct accepted"])
def test_a_lost_evaluation_issues_the_certificate(
    last_step, learner, programme, course, code_of_conduct, sweep, mailoutbox, django_capture_on_commit_callbacks
):
    steps = {
        "course completed": lambda: complete_course(learner, course),
        "code of conduct accepted": lambda: services.conduct_accept(user=learner, code=code_of_conduct),
    }
    with django_capture_on_commit_callbacks(execute=True):  # evaluated: not met yet
        [first] = [step for name, step in steps.items() if name != last_step]
        first()
    assert not PendingWork.objects.exists() and not Certificate.objects.exists()
    steps[last_step]()  # asks for an evaluation whose message never arrives
    [work] = PendingWork.objects.all()
    assert (work.user, work.kind, work.sweep_tries) == (learner, PendingWork.Kind.EVALUATE, 0)
    assert not Certificate.objects.exists()

    assert sweep(now=timezone.now()) == NOTHING
    assert sweep() == {**NOTHING, "evaluate": 1}
    certificate = Certificate.objects.get(holder=learner, programme=programme)
    assert certificate.pdf and certificate.issued_notified_at is not None
    assert len(issued_emails(mailoutbox)) == 1
    assert not PendingWork.objects.exists()  # done: the task deleted it
    assert sweep(now=later(60 * 24 * 3)) == NOTHING


def test_an_evaluation_that_arrives_deletes_its_request(learner, code_of_conduct, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.conduct_accept(user=learner, code=code_of_conduct)
    assert not PendingWork.objects.exists()


def test_a_request_made_during_an_evaluation_outlives_it(learner, programme, course, code_of_conduct, monkeypatch):
    """Asked for again while a task evaluates (from what it could not see yet): the row
    stays for the second task, or the sweep."""
    pending.request(user_id=learner.pk, kind=PendingWork.Kind.EVALUATE)
    evaluate = issuing._evaluate

    def meanwhile(**kwargs):
        result = evaluate(**kwargs)
        pending.request(user_id=learner.pk, kind=PendingWork.Kind.EVALUATE)  # a newer request
        return result

    monkeypatch.setattr(issuing, "_evaluate", meanwhile)
    services.programmes_evaluate(user_id=learner.pk)
    assert PendingWork.objects.filter(user=learner).count() == 1
    monkeypatch.setattr(issuing, "_evaluate", evaluate)
    services.programmes_evaluate(user_id=learner.pk)
    assert not PendingWork.objects.exists()


def test_a_name_change_is_recorded_with_its_request(learner, unrendered, monkeypatch):
    """The request is written in the name change's transaction: if it cannot be, the name
    is not changed either (nothing half done)."""

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(pending, "request", broken)
    with pytest.raises(RuntimeError):
        user_set_certificate_name(user=learner, name="Someone Else")
    learner.refresh_from_db()
    assert learner.certificate_name == "Zoë Ñúñez-O'Brien"


# --- backing off, capping, sharing ----------------------------------------------------------------


def test_each_try_waits_twice_as_long_up_to_a_day_and_stubborn_work_is_logged(unrendered, caplog):
    waits = []  # (the messages enqueued are all lost: this transaction never commits)
    with caplog.at_level(logging.ERROR, logger="certification.sweep"):
        for _ in range(10):
            now = fresh(unrendered).sweep_after
            assert certification_sweep(now=now - timedelta(seconds=1)) == NOTHING  # not yet
            assert certification_sweep(now=now)["render"] == 1
            waits.append(fresh(unrendered).sweep_after - now)
    minutes = [w / timedelta(minutes=1) for w in waits]
    assert minutes == [20, 40, 80, 160, 320, 640, 1280, 1440, 1440, 1440]
    assert fresh(unrendered).sweep_tries == 10
    stubborn = [r for r in caplog.records if r.name == "certification.sweep"]
    assert len(stubborn) == 6 and "still not done after 5 tries" in stubborn[0].getMessage()


def test_one_run_takes_at_most_its_limit_oldest_first(programme):
    certificates = []
    for minutes in (3, 1, 2):
        certificate, _ = services.certificate_issue(user=UserFactory(), programme=programme, period=1, now=timezone.now())
        Certificate.objects.filter(pk=certificate.pk).update(sweep_after=timezone.now() - timedelta(minutes=minutes))
        certificates.append(certificate.pk)
    assert certification_sweep(limit=2)["render"] == 2
    assert Certificate.objects.filter(sweep_tries=1).count() == 2
    assert set(Certificate.objects.filter(sweep_tries=0).values_list("pk", flat=True)) == {certificates[1]}


def test_an_unreachable_broker_leaves_the_request_for_the_sweep(
    learner, code_of_conduct, broker_down, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.WARNING, logger="kernel.jobs"):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.conduct_accept(user=learner, code=code_of_conduct) is True
    assert ConductAcceptance.objects.filter(user=learner).exists()
    assert PendingWork.objects.filter(user=learner, kind=PendingWork.Kind.EVALUATE).exists()
    assert "left to its sweep" in caplog.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_certificate_a_worker_holds_is_passed_by(learner, programme, monkeypatch):
    """A worker rendering or emailing holds the certificate's row lock: the sweep skips it
    rather than wait or send a duplicate, and takes it on a later run."""
    sent = []
    monkeypatch.setattr(tasks.certificate_render_task, "delay", lambda pk: sent.append(pk))
    certificate, _ = services.certificate_issue(user=learner, programme=programme, period=1, now=timezone.now())
    sent.clear()  # its own render message
    locked, release = threading.Event(), threading.Event()

    def worker():
        try:
            with transaction.atomic():
                Certificate.objects.select_for_update().get(pk=certificate.pk)
                locked.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert locked.wait(30)
        assert certification_sweep(now=later()) == NOTHING
        assert fresh(certificate).sweep_tries == 0 and sent == []
    finally:
        release.set()
        thread.join(30)
    assert certification_sweep(now=later())["render"] == 1 and sent == [certificate.pk]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_enqueue_each_item_once(programme, monkeypatch):
    from tests.concurrency import run_together

    sent = []
    monkeypatch.setattr(tasks.certificate_render_task, "delay", lambda pk: sent.append(pk))
    ids = [
        services.certificate_issue(user=UserFactory(), programme=programme, period=1, now=timezone.now())[0].pk
        for _ in range(6)
    ]
    sent.clear()  # the issues' own messages
    results, errors = run_together(2, lambda _: certification_sweep(now=later()))
    assert errors == []
    assert sorted(sent) == sorted(ids)
    assert sum(r["render"] for r in results) == 6
