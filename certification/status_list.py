"""Revocation that any verifier can check: W3C Bitstring Status List v1.0.

A certificate's credential names its place (``BitstringStatusListEntry``: a list URL and
an index); the list is a ``BitstringStatusListCredential`` that the site serves at
``/certificates/status/<n>``, signed like the certificates. Its bitstring is 131,072 bits
(16 KB), index 0 the left-most bit, GZIP-compressed and written as multibase base64url
without padding (``u...``). A bit is 1 while the place's certificate is revoked, or for
good once the place is retired (see ``models.status``).

This module is the format: the bitstring, a credential's place, the signed list. Places
are allocated and retired by ``services.status_entries``; the list as served (its set
bits read from the database, kept in the cache) comes from ``selectors.status_lists``.
"""
import base64
import gzip
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from . import issuer, signing
from .models import StatusListEntry
from .models.status import LIST_BITS

STATUS_PURPOSE = "revocation"
CONTEXTS = ["https://www.w3.org/ns/credentials/v2"]
# How long a served list is kept (and may be kept by verifiers: its ``ttl``).
TTL_SECONDS = 300
# How long a signed list stays valid: a verifier must fetch a fresh one after that.
VALID_FOR = timedelta(days=1)


# --- the bitstring ----------------------------------------------------------------------------


def encode_list(indexes: Iterable[int], *, bits: int = LIST_BITS) -> str:
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
    return issuer.base_url() + reverse("credentials:status_list", args=[number])


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


# --- the published list -------------------------------------------------------------------


def build_status_list(number: int, *, revoked: Iterable[int], now: datetime | None = None) -> dict:
    """The signed BitstringStatusListCredential for one list whose set bits are
    ``revoked`` (places of revoked certificates, and retired places)."""
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
            "encodedList": encode_list(revoked),
            "ttl": TTL_SECONDS * 1000,
        },
    }
    return issuer.sign(document, created=now)
