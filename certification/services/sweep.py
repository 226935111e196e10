"""The periodic sweep (beat, ``certification_sweep_task``): certification work whose
message was lost (a broker restarted, a worker killed mid-task) is enqueued again.

What it finds, each by a time set when the work was enqueued (``services/pending.py``):
- a person's programmes to evaluate, or certificates to reissue with a new name
  (``PendingWork`` rows the task did not delete);
- a certificate issued, renewed or reissued whose PDF for the current revision is missing;
- a certificate rendered whose "issued" email was never sent (while it is in force).
Revoked certificates are left alone (their due time is cleared).

Each item is taken under its row lock with ``skip_locked``: a worker rendering or
emailing a certificate holds that lock, so the sweep passes it by, and two sweeps at once
share the items out. It enqueues only; the tasks check the state again under the lock,
so a duplicate message does nothing. At most ``limit`` people and ``limit`` certificates
per run, oldest due first.
"""
import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .. import jobs
from ..models import Certificate, PendingWork
from . import pending

# The name it had before the module moved into services/: log filters and alerts set on it still apply.
logger = logging.getLogger("certification.sweep")

BATCH = 100


def certification_sweep(*, now: datetime | None = None, limit: int = BATCH) -> dict[str, int]:
    """Returns counts for the log: work enqueued again per kind, and certificates found
    with nothing left to do (``settled``)."""
    now = now or timezone.now()
    counts = {"evaluate": 0, "reissue": 0, "render": 0, "email": 0, "settled": 0}
    _sweep_people(now, limit, counts)
    _sweep_certificates(now, limit, counts)
    return counts


def _sweep_people(now: datetime, limit: int, counts: dict[str, int]) -> None:

    due = PendingWork.objects.filter(sweep_after__lte=now).order_by("sweep_after").values_list("pk", flat=True)
    for work_id in list(due[:limit]):
        with transaction.atomic():
            work = PendingWork.objects.select_for_update(skip_locked=True).filter(pk=work_id, sweep_after__lte=now).first()
            if work is None:  # done or asked for again meanwhile
                continue
            tries = work.sweep_tries + 1
            PendingWork.objects.filter(pk=work.pk).update(sweep_tries=tries, sweep_after=now + pending.backoff(tries))
            job = jobs.evaluate_programmes if work.kind == PendingWork.Kind.EVALUATE else jobs.reissue_certificates
            job.enqueue_on_commit(work.user_id)
            counts[work.kind] += 1
            _stubborn(tries, "%s for user %s", work.kind, work.user_id)


def _sweep_certificates(now: datetime, limit: int, counts: dict[str, int]) -> None:

    due = Certificate.objects.filter(sweep_after__lte=now).order_by("sweep_after").values_list("pk", flat=True)
    for certificate_id in list(due[:limit]):
        with transaction.atomic():
            certificate = (
                Certificate.objects.select_for_update(skip_locked=True)  # a worker is on it
                .filter(pk=certificate_id, sweep_after__lte=now)
                .first()
            )
            if certificate is None:
                continue
            step = pending.next_step(certificate, now)
            # Updates, not save(): the verification pages' cache stays (nothing they show changed).
            if step is None:
                Certificate.objects.filter(pk=certificate.pk).update(sweep_after=None, sweep_tries=0)
                counts["settled"] += 1
                continue
            tries = certificate.sweep_tries + 1
            Certificate.objects.filter(pk=certificate.pk).update(
                sweep_tries=tries, sweep_after=now + pending.backoff(tries)
            )
            job = jobs.render_certificate if step == "render" else jobs.certificate_issued_email
            job.enqueue_on_commit(certificate.pk)
            counts[step] += 1
            _stubborn(tries, "the %s of certificate %s", step, certificate.pk)


def _stubborn(tries: int, what: str, *args: object) -> None:
    if tries >= pending.STUBBORN_TRIES:
        logger.error(f"Certification sweep: {what} is still not done after %d tries.", *args, tries)
