"""The periodic sweep (beat, ``ce_sweep_task``).

- A learner's course whose check is due (``CECheck.due_at``): the moment the daily cap
  lets the rest of the hours be credited has come, or an evaluation's message was lost.
  Its evaluation is enqueued (the task issues the certificate), and the check waits
  longer after each try (``backoff``) until the task settles it.
- A CE certificate still without its PDF for the current revision, or (issued in the last
  week) without its "issued" email, ``STUCK_AFTER`` after it was issued.

Rows are taken under their lock with ``skip_locked``, so two sweeps share the work out;
it enqueues only, and the tasks check the state again, so a duplicate does nothing. At
most ``limit`` of each per run, oldest first.
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
    settled_before = now - STUCK_AFTER
    live = CECertificate.objects.filter(revoked_at__isnull=True, issued_at__lte=settled_before)
    for certificate_id in live.filter(Q(pdf="") | Q(pdf_revision__lt=F("revision"))).order_by("issued_at").values_list(
        "pk", flat=True
    )[:limit]:
        jobs.render_ce_certificate.enqueue_on_commit(certificate_id)
        counts["render"] += 1
    for certificate_id in live.filter(issued_notified_at__isnull=True, issued_at__gte=now - EMAIL_WITHIN).order_by(
        "issued_at"
    ).values_list("pk", flat=True)[:limit]:
        jobs.ce_certificate_issued_email.enqueue_on_commit(certificate_id)
        counts["email"] += 1
    return counts
