"""The periodic sweep (beat, ``ce_sweep_task``).

- A learner's course whose check is due (``CECheck.due_at``): the moment the daily cap
  lets the rest of the hours be credited has come, or an evaluation's message was lost.
  Its evaluation is enqueued (the task issues the certificate), and the check waits
  longer after each try (``backoff``) until the task settles it.
- A CE certificate still without its PDF for the current revision, or (issued in the last
  week) without its "issued" email, ``STUCK_AFTER`` after it was issued. It backs off as
  certification's sweep does: after each try the certificate waits ``backoff(tries)``
  (``sweep_after``, ``sweep_tries``: 20 minutes, doubling, at most a day), so a mail
  server refusing for days gets a handful of tries, not one every sweep; a step done
  (``sweep_settle``, called by the render and the email) counts the tries from 0 again.

Rows are taken under their lock with ``skip_locked``, so two sweeps share the work out
(and pass by a certificate a worker is rendering or emailing); it enqueues only, and the
tasks check the state again, so a duplicate does nothing. At most ``limit`` of each per
run, oldest due first.
"""
import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .. import jobs
from ..models import CECertificate, CECheck
from .issuing import STUCK_AFTER, backoff

logger = logging.getLogger(__name__)

BATCH = 100
EMAIL_WITHIN = timedelta(days=7)
STUBBORN_TRIES = 5


def ce_sweep(*, now: datetime | None = None, limit: int = BATCH) -> dict[str, int]:
    """Returns counts for the log: evaluations, renders and emails enqueued."""
    now = now or timezone.now()
    counts = {"evaluate": 0, "render": 0, "email": 0}
    due = CECheck.objects.filter(due_at__lte=now).order_by("due_at").values_list("pk", flat=True)
    for check_id in list(due[:limit]):
        with transaction.atomic():
            check = CECheck.objects.select_for_update(skip_locked=True).filter(pk=check_id, due_at__lte=now).first()
            if check is None:  # a task is on it, or it was settled meanwhile
                continue
            tries = check.tries + 1
            CECheck.objects.filter(pk=check.pk).update(tries=tries, due_at=now + backoff(tries))
            jobs.evaluate_ce.enqueue_on_commit(check.user_id, check.course_id)
            counts["evaluate"] += 1
            if tries >= STUBBORN_TRIES:
                logger.error("CE sweep: the evaluation of user %s in course %s is still not done after %d tries.",
                             check.user_id, check.course_id, tries)
    _sweep_certificates(now, limit, counts)
    return counts


def outstanding(certificate: CECertificate, now: datetime) -> list[str]:
    """What is left to do for a certificate: "render" (no PDF for its current revision),
    "email" (the "issued" email, while the certificate is less than a week old)."""
    if certificate.revoked_at is not None:
        return []
    steps = []
    if not certificate.pdf or certificate.pdf_revision < certificate.revision:
        steps.append("render")
    if certificate.issued_notified_at is None and certificate.issued_at >= now - EMAIL_WITHIN:
        steps.append("email")
    return steps


def sweep_settle(certificate: CECertificate, now: datetime) -> list[str]:
    """A step was done: the tries count from 0 again, and the sweep looks again after
    ``STUCK_AFTER`` if something is still left (its task may be on its way), else never.
    Returns the fields to save (the caller holds the row lock)."""
    certificate.sweep_tries = 0
    certificate.sweep_after = now + STUCK_AFTER if outstanding(certificate, now) else None
    return ["sweep_after", "sweep_tries"]


def _sweep_certificates(now: datetime, limit: int, counts: dict[str, int]) -> None:
    due = Q(sweep_after__isnull=True) | Q(sweep_after__lte=now)
    work = (Q(pdf="") | Q(pdf_revision__lt=F("revision"))) | Q(issued_notified_at__isnull=True, issued_at__gte=now - EMAIL_WITHIN)
    found = (
        CECertificate.objects.filter(due, work, revoked_at__isnull=True, issued_at__lte=now - STUCK_AFTER)
        .order_by(F("sweep_after").asc(nulls_first=True), "issued_at", "pk").values_list("pk", flat=True)
    )
    for certificate_id in list(found[:limit]):
        with transaction.atomic():
            certificate = CECertificate.objects.select_for_update(skip_locked=True).filter(due, pk=certificate_id).first()
            steps = outstanding(certificate, now) if certificate is not None else []
            if not steps:  # a worker is on it, or it was done meanwhile
                continue
            tries = certificate.sweep_tries + 1
            # An update, not save(): nothing the verification page shows changed.
            CECertificate.objects.filter(pk=certificate.pk).update(sweep_tries=tries, sweep_after=now + backoff(tries))
            for step in steps:
                job = jobs.render_ce_certificate if step == "render" else jobs.ce_certificate_issued_email
                job.enqueue_on_commit(certificate.pk)
                counts[step] += 1
            if tries >= STUBBORN_TRIES:
                logger.error("CE sweep: the %s of CE certificate %s is still not done after %d tries.",
                             " and ".join(steps), certificate.pk, tries)
