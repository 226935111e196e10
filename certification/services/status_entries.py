"""Places in the published revocation lists (W3C Bitstring Status List; the format is
``status_list.py``): allocated when a certificate's credential is first built, retired
when a revoked certificate is reinstated.

Places are allocated at random within the open list (so an index says nothing about when
a certificate was issued), and a list takes new places until half of them are used: a
random place is then free at the first or second try. The database's unique constraints
settle two allocations that meet.
"""
import secrets
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max

from ..models import Certificate, StatusListEntry
from ..models.status import LIST_BITS
from ..selectors import status_lists_changed

# A list takes new places until this many are used.
LIST_FILL = LIST_BITS // 2
ALLOCATION_TRIES = 40  # each fails with probability <= 1/2, so all 40 never do in practice


def _open_list() -> int:
    last = StatusListEntry.objects.aggregate(last=Max("status_list"))["last"] or 1
    used = StatusListEntry.objects.filter(status_list=last).count()
    return last + 1 if used >= LIST_FILL else last


def _live_entry(certificate_id: int) -> StatusListEntry | None:
    return StatusListEntry.objects.filter(certificate_id=certificate_id, retired_at__isnull=True).first()


def status_entry_ensure(*, certificate: Certificate) -> StatusListEntry:
    """The certificate's place, allocated now if it has none. Safe to call concurrently:
    a taken index, or a place another request just gave the certificate, is an
    IntegrityError here, and the loop tries again or returns that place."""
    entry = _live_entry(certificate.pk)
    if entry is not None:
        return entry
    number = _open_list()
    for _ in range(ALLOCATION_TRIES):
        try:
            with transaction.atomic():
                return StatusListEntry.objects.create(
                    certificate=certificate, status_list=number, index=secrets.randbelow(LIST_BITS)
                )
        except IntegrityError:
            entry = _live_entry(certificate.pk)
            if entry is not None:
                return entry
    raise RuntimeError(f"No free place found in status list {number}.")


def status_entries_retire(*, certificate: Certificate, now: datetime) -> int:
    """Reinstating: the certificate's place keeps its bit set for good (credentials that
    carry it stay revoked everywhere); the next credential gets a new place. Call inside
    the reinstating transaction."""
    retired = StatusListEntry.objects.filter(certificate=certificate, retired_at__isnull=True).update(retired_at=now)
    status_lists_changed()
    return retired
