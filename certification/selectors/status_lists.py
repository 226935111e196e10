"""The revocation lists as served (W3C Bitstring Status List; the format is
``status_list.py``).

The signed list is rebuilt from the database and kept in the cache for ``TTL_SECONDS``,
with the list's ``ttl`` and the response's Cache-Control saying the same. A change
(revoke, reinstate) sets a new cache version once its transaction has committed
(``status_lists_changed``), so a list built from the old rows in the meantime is never
served after it; and since every build reads all the list's rows, two revocations at
once cannot lose a bit.
"""
import json
import secrets
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import StatusListEntry
from ..status_list import TTL_SECONDS, build_status_list

_VERSION_KEY = "certification:status-lists:version"


def status_lists_changed() -> None:
    """A bit may have changed: serve freshly built lists once this transaction commits."""
    transaction.on_commit(lambda: cache.set(_VERSION_KEY, secrets.token_hex(8), None))


def revoked_indexes(number: int) -> list[int]:
    """The set bits of a list, from the database: places of revoked certificates and
    retired places."""
    return list(
        StatusListEntry.objects.filter(status_list=number)
        .filter(Q(retired_at__isnull=False) | Q(certificate__revoked_at__isnull=False))
        .values_list("index", flat=True)
    )


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
