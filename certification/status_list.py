"""Revocation that any verifier can check: W3C Bitstring Status List v1.0.

A certificate's credential names its place (``BitstringStatusListEntry``: a list URL and
an index); the list is a ``BitstringStatusListCredential`` that the site serves at
``/certificates/status/<n>``, signed like the certificates. Its bitstring is 131,072 bits
(16 KB), index 0 the left-most bit, GZIP-compressed and written as multibase base64url
without padding (``u...``). A bit is 1 while the place's certificate is revoked, or for
good once the place is retired (see ``models.status``).

Places are allocated when a credential is first built, at random within the open list
(so an index says nothing about when a certificate was issued), and a list takes new
places until half of them are used: a random place is then free at the first or second
try. The database's unique constraints settle two allocations that meet.

Serving: the signed list is rebuilt from the database and kept in the cache for
``TTL_SECONDS``, with the list's ``ttl`` and the response's Cache-Control saying the
same. A change (revoke, reinstate) sets a new cache version once its transaction has
committed, so a list built from the old rows in the meantime is never served after it;
and since every build reads all the list's rows, two revocations at once cannot lose a
bit.
"""
import base64
import gzip
import json
import secrets
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from . import issuer, signing
from .models import Certificate, StatusListEntry
from .models.status import LIST_BITS

STATUS_PURPOSE = "revocation"
CONTEXTS = ["https://www.w3.org/ns/credentials/v2"]
# A list takes new places until this many are used.
LIST_FILL = LIST_BITS // 2
ALLOCATION_TRIES = 40  # each fails with probability <= 1/2, so all 40 never do in practice
TTL_SECONDS = 300
# How long a signed list stays valid: a verifier must fetch a fresh one after that.
VALID_FOR = timedelta(days=1)
_VERSION_KEY = "certification:status-lists:version"


# --- the bitstring ----------------------------------------------------------------------------


def encode_list(indexes, *, bits: int = LIST_BITS) -> str:
    """The ``encodedList`` for a bitstring with these indexes set."""
    raw = bytearray(bits // 8)
    for index in indexes:
        raw[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same bits always give the same text.
    compressed = gzip.compress(bytes(raw), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode_list(encoded: str) -> bytes:
    """The bitstring of an ``encodedList`` (for checks and tests; trusted input only)."""
    if not encoded.startswith("u"):
        raise ValueError("An encodedList is multibase base64url: it starts with 'u'.")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def bit_is_set(bitstring: bytes, index: int) -> bool:
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


# --- places -------------------------------------------------------------------------------


def status_list_url(number: int) -> str:
    return issuer.base_url() + reverse("certification:status_list", args=[number])


def credential_status(entry: StatusListEntry) -> dict:
    """The credential's ``credentialStatus`` for its place."""
    url = status_list_url(entry.status_list)
    return {
        "id": f"{url}#{entry.index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": STATUS_PURPOSE,
        "statusListIndex": str(entry.index),
        "statusListCredential": url,
    }


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


def status_lists_changed() -> None:
    """A bit may have changed: serve freshly built lists once this transaction commits."""
    transaction.on_commit(lambda: cache.set(_VERSION_KEY, secrets.token_hex(8), None))


# --- the published list -------------------------------------------------------------------


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


def build_status_list(number: int, *, now: datetime | None = None) -> dict:
    """The signed BitstringStatusListCredential for one list."""
    now = now or timezone.now()
    url = status_list_url(number)
    document = {
        "@context": list(CONTEXTS),
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        # The same issuer as the certificates' credentials: verifiers check they match.
        "issuer": issuer.issuer_did(),
        "validFrom": signing.format_datetime(now),
        "validUntil": signing.format_datetime(now + VALID_FOR),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_PURPOSE,
            "encodedList": encode_list(revoked_indexes(number)),
            "ttl": TTL_SECONDS * 1000,
        },
    }
    return issuer.sign(document, created=now)


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
    body = json.dumps(build_status_list(number), ensure_ascii=False).encode("utf-8")
    cache.set(_key(number), {"version": version, "body": body}, TTL_SECONDS)
    return body

