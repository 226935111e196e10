"""The CE sweep backs off while a mail server refuses: the "issued" email and the email
about what is left are tried again at growing intervals (20 minutes, doubling, at most a
day), not on every two-minute sweep; once a send goes through, the tries count from 0
and nothing more is sent or enqueued.

The sweep runs at ``now=`` (simulated time); what it enqueues is delivered with
``django_capture_on_commit_callbacks(execute=True)`` and runs eagerly, retries included,
against a mail server that refuses every connection (``mail_server_down``).
"""
import logging
from contextlib import suppress
from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from continuing_education import services
from continuing_education.models import CECertificate, CECheck

from .conftest import complete_course, give_licence, hour_start, ready_learner, study

pytestmark = pytest.mark.django_db
TICK = timedelta(minutes=2)  # the beat's schedule for the sweep
ISSUED_SUBJECT = "Your CE certificate for Meeting Basics"


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the sweep at ``now`` and deliver what it enqueued; a refused send is what a
    worker would log before the task's own retry (``Retry``, raised eagerly here)."""

    def run(now):
        with suppress(ConnectionRefusedError, Retry), django_capture_on_commit_callbacks(execute=True):
            counts = services.ce_sweep(now=now)
        return counts

    return run


def fresh(certificate) -> CECertificate:
    return CECertificate.objects.get(pk=certificate.pk)


def minutes(delta: timedelta) -> float:
    return delta / timedelta(minutes=1)


def test_the_sweep_is_scheduled_every_two_minutes(settings):
    # The ticks below are the beat's: if its schedule changes, so must this test.
    schedule = settings.CELERY_BEAT_SCHEDULE
    entry = next(e for e in schedule.values() if e["task"] == "continuing_education.tasks.ce_sweep_task")
    assert entry["schedule"] in (120, 120.0, TICK)


# --- the "issued" email ------------------------------------------------------------------------------


@pytest.fixture
def unannounced(learner, course, approval):
    """Issued and rendered; its "issued" email message was lost."""
    ready_learner(learner, course)
    services.ce_evaluate(user_id=learner.pk, course_id=course.pk)
    certificate = CECertificate.objects.get(holder=learner)
    assert services.ce_certificate_render(certificate_id=certificate.pk) is True
    certificate = fresh(certificate)
    assert certificate.issued_notified_at is None and certificate.sweep_tries == 0
    assert certificate.sweep_after is not None  # the email is still to come
    return certificate


def test_a_refused_issued_email_is_tried_at_growing_intervals_then_sent_once(
    unannounced, sweep, mail_server_down, mailoutbox, caplog
):
    # Rendered just now with the email still to come: the sweep looks again in 10 minutes.
    start = unannounced.sweep_after
    assert timedelta(minutes=9) < start - timezone.now() <= timedelta(minutes=10)
    assert sweep(start - timedelta(seconds=1))["email"] == 0
    tried_at = []
    with caplog.at_level(logging.ERROR, logger="continuing_education.services.sweep"):
        now = start
        while now < start + timedelta(days=1):  # a day of sweeps, every two minutes
            if sweep(now)["email"]:
                tried_at.append(now)
            now += TICK
    # Not one every sweep (720 in a day) but then, then 20 minutes later, 40, 80 ...
    assert [round(minutes(t - start)) for t in tried_at] == [0, 20, 60, 140, 300, 620, 1260]
    certificate = fresh(unannounced)
    assert certificate.sweep_tries == 7 and certificate.issued_notified_at is None
    assert minutes(certificate.sweep_after - tried_at[-1]) == 1280
    assert mailoutbox == []
    stubborn = [r.getMessage() for r in caplog.records if r.name == "continuing_education.services.sweep"]
    assert len(stubborn) == 3 and "the email of CE certificate" in stubborn[0] and "after 5 tries" in stubborn[0]

    # At most a day apart from then on.
    for _ in range(3):
        due = fresh(unannounced).sweep_after
        assert sweep(due - timedelta(seconds=1))["email"] == 0
        assert sweep(due)["email"] == 1
    assert minutes(fresh(unannounced).sweep_after - due) == 24 * 60

    # The mail server is back: the next try sends it, and a success clears the backoff.
    mail_server_down.undo()
    due = fresh(unannounced).sweep_after
    assert sweep(due)["email"] == 1
    certificate = fresh(unannounced)
    assert certificate.issued_notified_at is not None
    assert (certificate.sweep_after, certificate.sweep_tries) == (None, 0)
    assert [m.subject for m in mailoutbox] == [ISSUED_SUBJECT]
    for later in (due + TICK, due + timedelta(days=1)):
        assert sweep(later) == {"evaluate": 0, "render": 0, "email": 0}
    assert len(mailoutbox) == 1


def test_after_a_week_the_issued_email_is_no_longer_tried(unannounced, sweep, mail_server_down, mailoutbox):
    week = unannounced.issued_at + timedelta(days=7)
    CECertificate.objects.filter(pk=unannounced.pk).update(sweep_after=week - timedelta(hours=1), sweep_tries=12)
    assert sweep(week - timedelta(minutes=30))["email"] == 1
    assert sweep(week + timedelta(days=1, minutes=1)) == {"evaluate": 0, "render": 0, "email": 0}
    assert mailoutbox == []


def test_a_render_done_counts_the_tries_from_zero_and_leaves_the_email_to_a_later_sweep(
    learner, course, approval, sweep, mail_server_down
):
    ready_learner(learner, course)
    services.ce_evaluate(user_id=learner.pk, course_id=course.pk)  # render and email messages lost
    certificate = CECertificate.objects.get(holder=learner)
    CECertificate.objects.filter(pk=certificate.pk).update(sweep_tries=4)
    counts = sweep(certificate.issued_at + timedelta(minutes=11))
    assert (counts["render"], counts["email"]) == (1, 1)
    certificate = fresh(certificate)
    assert certificate.pdf_revision == 1 and certificate.issued_notified_at is None
    # The render succeeded: tries from 0, the email (still to come) looked at again after 10 minutes.
    assert certificate.sweep_tries == 0
    assert timedelta(minutes=9) < certificate.sweep_after - timezone.now() <= timedelta(minutes=10)


def test_a_revoked_certificate_is_not_tried(unannounced, sweep, mail_server_down):
    CECertificate.objects.filter(pk=unannounced.pk).update(revoked_at=timezone.now(), revocation_reason="error")
    assert sweep(unannounced.issued_at + timedelta(hours=1)) == {"evaluate": 0, "render": 0, "email": 0}


# --- the email about what is left ---------------------------------------------------------------------


def test_a_refused_what_is_left_email_is_tried_at_growing_intervals_then_sent_once(
    learner, course, approval, sweep, mail_server_down, mailoutbox
):
    # Completed, licensed, the time studied: only the evaluation is missing.
    study(learner, course, hour_start(timezone.now() - timedelta(days=3)), 2)
    give_licence(learner)
    complete_course(learner, course)  # its evaluation message is lost
    services.ce_request(user_id=learner.pk, course_id=course.pk)
    check = CECheck.objects.get(user=learner)
    start = check.due_at
    tried_at = []
    now = start
    while now < start + timedelta(days=1):
        if sweep(now)["evaluate"]:
            tried_at.append(now)
        now += TICK
    assert [round(minutes(t - start)) for t in tried_at] == [0, 20, 60, 140, 300, 620, 1260]
    check = CECheck.objects.get(user=learner)
    assert check.tries == 7 and check.notified_state == "" and mailoutbox == []

    mail_server_down.undo()
    assert sweep(check.due_at)["evaluate"] == 1
    check = CECheck.objects.get(user=learner)
    assert (check.due_at, check.tries) == (None, 0) and check.notified_state
    assert [m.subject for m in mailoutbox if "what is left" in m.subject] == [mailoutbox[0].subject]
    assert sweep(check.notified_at + timedelta(days=2)) == {"evaluate": 0, "render": 0, "email": 0}
    assert len(mailoutbox) == 1 and not CECertificate.objects.exists()
