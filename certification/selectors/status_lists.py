"""The revocation lists as served (W3C Bitstring Status List; the format is
``status_list.py``).

The signed list is rebuilt from the database and kept in the cache for ``TTL_SECONDS``,
with the list's ``ttl`` and the response's Cache-Control saying the same. A change
(revoke, reinstate) sets a new cache version once its transaction has committed
(``status_lists_changed``), so a list built from the old rows in the meantime is never
served after it; and since every build reads all the list's rows, two revocations at
once cannot lose a bit.

The lists hold the places of facilitator certificates and of the kinds of certificate
the apps above certification register (``register_status_kind``: continuing
education's CE certificates). One set of lists for every kind: one address and cache for
verifiers, and each holder hidden among all the others.
"""
import json
import secrets
from collections.abc import Callable
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import StatusListEntry
from ..status_list import TTL_SECONDS, build_status_list

_VERSION_KEY = "certification:status-lists:version"

# Kinds of certificate registered by the apps above certification, which it cannot import:
# ``in_force()`` is a queryset of the ids (one column) of that kind's certificates that are
# not revoked. A place of another kind reads "revoked" unless its id is among them.
InForce = Callable[[], QuerySet]
_kinds: dict[str, InForce] = {}


def register_status_kind(kind: str, *, in_force: InForce) -> None:
    """Let certificates of ``kind`` hold places in the lists (the app calls this when ready)."""
    if kind in ("", StatusListEntry.CERTIFICATE):
        raise ValueError(f"The status kind {kind!r} is reserved.")
    _kinds[kind] = in_force


def status_kinds() -> frozenset[str]:
    return frozenset(_kinds)


def status_lists_changed() -> None:
    """A bit may have changed: serve freshly built lists once this transaction commits."""
    transaction.on_commit(lambda: cache.set(_VERSION_KEY, secrets.token_hex(8), None))


def revoked_indexes(number: int) -> list[int]:
    """The set bits of a list, from the database (one query, the registered kinds' as
    subqueries): places of revoked certificates, retired places, and places of another
    kind whose certificate is not in force (revoked, gone, or of a kind nobody answers for)."""
    certificate = StatusListEntry.CERTIFICATE
    revoked = Q(retired_at__isnull=False) | Q(kind=certificate, certificate__revoked_at__isnull=False)
    for kind, in_force in _kinds.items():
        revoked |= Q(kind=kind) & ~Q(object_id__in=in_force())
    revoked |= ~Q(kind__in=[certificate, *_kinds])
    return list(StatusListEntry.objects.filter(status_list=number).filter(revoked).values_list("index", flat=True))


def list_exists(number: int) -> bool:
    # List 1 is served even before its first place is taken.
    return number == 1 or (number > 1 and StatusListEntry.objects.filter(status_list=number).exists())


def signed_status_list(number: int, *, now: datetime | None = None) -> dict:
    """The signed BitstringStatusListCredential for one list, as it stands now (one query)."""
    return build_status_list(number, revoked=revoked_indexes(number), now=now or timezone.now())


def _key(number: int) -> str:
    return f"certification:status-list:{number}"


def served_status_list(number: int) -> bytes | None:
    """The list as served (JSON bytes), or None for a list that does not exist. A cached
    list is one cache round trip and no query; it is used only while it was built under
    the current version."""
    found = cache.get_many([_VERSION_KEY, _key(number)])
    version, stored = found.get(_VERSION_KEY), found.get(_key(number))
    if version is not None and stored is not None and stored["version"] == version:
        return stored["body"]
    if version is None:
        cache.add(_VERSION_KEY, secrets.token_hex(8), None)
        version = cache.get(_VERSION_KEY)
    if not list_exists(number):
        return None
    body = json.dumps(signed_status_list(number), ensure_ascii=False).encode("utf-8")
    cache.set(_key(number), {"version": version, "body": body}, TTL_SECONDS)
    return body
