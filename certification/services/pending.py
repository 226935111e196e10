"""Bookkeeping that lets the sweep finish certification work a lost message left undone.

- Per person (``PendingWork``): evaluating their programmes, reissuing their certificates
  with a new name. ``request`` writes the row in the caller's transaction and enqueues
  the task after commit; the task reads the row before it starts (``seen``) and deletes
  it when done (``done``), unless it was asked for again meanwhile.
- Per certificate: ``schedule`` sets when the sweep should look again while its PDF (for
  the current revision) or its "issued" email is still to come, and clears it once there
  is nothing left to do.

The wait before the sweep steps in (``STUCK_AFTER``) is far longer than a healthy worker
takes (a PDF in about 0.2 s, a queue of a thousand certificates in about a minute), so it
does not race a worker that is simply busy; when it does meet one, the row locks and state
checks of the tasks make the second run a no-op. After each try the wait doubles, up to a
day: a step that keeps failing (a mail server refusing for days) is tried daily, never
dropped, and logged as an error from ``STUBBORN_TRIES`` on.
"""
from datetime import datetime, timedelta

from django.utils import timezone

from .. import jobs
from ..models import Certificate, PendingWork

STUCK_AFTER = timedelta(minutes=10)
LONGEST_WAIT = timedelta(days=1)
STUBBORN_TRIES = 5

Kind = PendingWork.Kind


def backoff(tries: int) -> timedelta:
    """How long the sweep waits after its ``tries``-th try before the next."""
    return min(STUCK_AFTER * 2 ** min(tries, 10), LONGEST_WAIT)


# --- per person -------------------------------------------------------------------------------


def request(*, user_id: int, kind: str) -> None:
    """Ask for the work in the caller's transaction; its task is enqueued after commit."""

    # One statement (INSERT ... ON CONFLICT DO UPDATE): two requests at once leave one row,
    # with the later time and the tries counted again from 0.
    PendingWork.objects.bulk_create(
        [PendingWork(user_id=user_id, kind=kind, sweep_after=timezone.now() + STUCK_AFTER, sweep_tries=0)],
        update_conflicts=True, unique_fields=["user", "kind"], update_fields=["sweep_after", "sweep_tries"],
    )
    job = jobs.evaluate_programmes if kind == Kind.EVALUATE else jobs.reissue_certificates
    job.enqueue_on_commit(user_id)


def seen(*, user_id: int, kind: str) -> datetime | None:
    """Read before the task starts the work: which request it answers."""
    return PendingWork.objects.filter(user_id=user_id, kind=kind).values_list("sweep_after", flat=True).first()


def done(*, user_id: int, kind: str, seen_at: datetime | None) -> None:
    """The work asked for up to ``seen_at`` is done. A request made since (or a sweep's
    re-enqueue) changed the row's time: its own task deletes it."""
    if seen_at is not None:
        PendingWork.objects.filter(user_id=user_id, kind=kind, sweep_after=seen_at).delete()


# --- per certificate --------------------------------------------------------------------------


def next_step(certificate: Certificate, now: datetime | None = None) -> str | None:
    """"render", "email" or None (revoked, or rendered and announced).

    A certificate that has expired, or been renewed, by the time its PDF is there gets
    the PDF (the holder's record) but no late "your certificate is ready" email."""
    if certificate.revoked_at is not None:
        return None
    if certificate.pdf_revision < certificate.revision or not certificate.pdf:
        return "render"
    if (
        certificate.issued_notified_at is None
        and certificate.renewed_by_id is None
        and certificate.status(now or timezone.now()) == "valid"
    ):
        return "email"
    return None


def schedule(certificate: Certificate) -> list[str]:
    """Progress was made (a task enqueued, a step done): look again after ``STUCK_AFTER``
    if work is left, else never. Returns the fields to save."""
    outstanding = next_step(certificate) is not None
    certificate.sweep_after = timezone.now() + STUCK_AFTER if outstanding else None
    certificate.sweep_tries = 0
    return ["sweep_after", "sweep_tries"]
