"""Places in the published revocation lists (W3C Bitstring Status List; the format is
``status_list.py``): allocated when a certificate's credential is first built, retired
when a revoked certificate is reinstated. Facilitator certificates hold theirs by key
(``status_entry_ensure``); the kinds the apps above certification register, by kind and
id (``status_entry_ensure_for``, ``status_entries_retire_for``).

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
from ..selectors import status_kinds, status_lists_changed

# A list takes new places until this many are used.
LIST_FILL = LIST_BITS // 2
ALLOCATION_TRIES = 40  # each fails with probability <= 1/2, so all 40 never do in practice


def _open_list() -> int:
    last = StatusListEntry.objects.aggregate(last=Max("status_list"))["last"] or 1
    used = StatusListEntry.objects.filter(status_list=last).count()
    return last + 1 if used >= LIST_FILL else last


def _live_entry(holder: dict) -> StatusListEntry | None:
    return StatusListEntry.objects.filter(retired_at__isnull=True, **holder).first()


def _ensure(holder: dict) -> StatusListEntry:
    """The holder's place, allocated now if it has none. Safe to call concurrently: a
    taken index, or a place another request just gave the holder, is an IntegrityError
    here, and the loop tries again or returns that place."""
    entry = _live_entry(holder)
    if entry is not None:
        return entry
    number = _open_list()
    for _ in range(ALLOCATION_TRIES):
        try:
            with transaction.atomic():
                return StatusListEntry.objects.create(status_list=number, index=secrets.randbelow(LIST_BITS), **holder)
        except IntegrityError:
            entry = _live_entry(holder)
            if entry is not None:
                return entry
    raise RuntimeError(f"No free place found in status list {number}.")


def _registered(kind: str) -> str:
    if kind not in status_kinds():
        raise ValueError(f"No app has registered the status kind {kind!r}.")
    return kind


def status_entry_ensure(*, certificate: Certificate) -> StatusListEntry:
    """A facilitator certificate's place, allocated on its first credential (safe to repeat
    and to run at once)."""
    return _ensure({"certificate": certificate})


def status_entry_ensure_for(*, kind: str, object_id: int) -> StatusListEntry:
    """The place of a certificate of a registered kind (``selectors.register_status_kind``),
    allocated on its first credential (safe to repeat and to run at once)."""
    return _ensure({"kind": _registered(kind), "object_id": object_id})


def _retire(holder: dict, now: datetime) -> int:
    retired = StatusListEntry.objects.filter(retired_at__isnull=True, **holder).update(retired_at=now)
    status_lists_changed()
    return retired


def status_entries_retire(*, certificate: Certificate, now: datetime) -> int:
    """Reinstating: the certificate's place keeps its bit set for good (credentials that
    carry it stay revoked everywhere); the next credential gets a new place. Call inside
    the reinstating transaction."""
    return _retire({"certificate": certificate}, now)


def status_entries_retire_for(*, kind: str, object_id: int, now: datetime) -> int:
    """``status_entries_retire`` for a certificate of a registered kind."""
    return _retire({"kind": _registered(kind), "object_id": object_id}, now)
