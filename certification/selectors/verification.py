"""The verification page's cache.

Verification pages are read far more often than certificates change, so what they show
is cached per code (with, for visitors, the rendered page itself, kept once for each
language and time zone it is shown in: the facts hold moments, and the page words them). Any save of a
certificate deletes the entries of every certificate in its holder's chain for that
programme (a renewal changes what the older pages say), again after commit so a request
that read the old row in between does not leave it behind (certification/signals.py);
and an entry is never used past the next expiry it mentions.
"""
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone, translation

from ..models import Certificate
from .certificates import certificate_by_code, current_of, public_facts

FACTS_SECONDS = 300

# Other kinds of certificate checked on the same page (continuing education's CE
# certificates): certification cannot import the apps above it, so they register a
# lookup when ready. ``lookup(code) -> data | None``: data as ``verification_entry``
# describes, with "template", the page fragment that words its facts, and the facts
# the JSON shows.
VerificationLookup = Callable[[str], "dict | None"]
_other_lookups: list[VerificationLookup] = []


def register_verification_lookup(lookup: VerificationLookup) -> None:
    """Add a lookup for codes that are no facilitator certificate's (once per lookup)."""
    if lookup not in _other_lookups:
        _other_lookups.append(lookup)


def _other_kind(code: str) -> dict | None:
    for lookup in _other_lookups:
        data = lookup(code)
        if data is not None:
            return data
    return None


def _key(code: str) -> str:
    # v2: the facts hold moments and the pages are kept per language and zone.
    return f"certification:verify:v2:{code}"


def invalidate_verification(codes: Iterable[str]) -> None:
    cache.delete_many([_key(code) for code in codes])


def chain_codes(certificate: Certificate) -> list[str]:
    return list(
        Certificate.objects.filter(holder_id=certificate.holder_id, programme_id=certificate.programme_id)
        .values_list("code", flat=True)
    )


def page_variant() -> str:
    """What a rendered verification page depends on besides the facts: the language and
    time zone the request is answered in."""
    return f"{translation.get_language()}|{timezone.get_current_timezone_name()}"


def _usable(entry: dict | None, now: datetime) -> dict | None:
    if entry is not None and (entry["refresh_at"] is None or entry["refresh_at"] > now.timestamp()):
        return entry
    return None


def cached_verification(code: str, *, now: datetime | None = None) -> dict | None:
    """The cache entry for a code: ``{"data": ..., "refresh_at": ..., "html": {variant:
    page}}``, or None when nothing usable is cached."""
    return _usable(cache.get(_key(code)), now or timezone.now())


def cached_verification_with(
    code: str | None, also: list[str], *, now: datetime | None = None
) -> tuple[dict | None, dict]:
    """``cached_verification`` (None for no code) and the values of the cache keys in
    ``also`` (the lookup counter, which every request reads) in one cache round trip:
    ``(entry, {key: value})``, keys without a value left out."""
    keys = ([_key(code)] if code else []) + list(also)
    found = cache.get_many(keys) if keys else {}
    entry = found.pop(_key(code), None) if code else None
    return _usable(entry, now or timezone.now()), found


def cached_page(entry: dict) -> bytes | None:
    """The page rendered from this entry in the current language and time zone, if kept."""
    return entry["html"].get(page_variant())


def store_verification_html(code: str, entry: dict, html: bytes) -> None:
    """Keep the page rendered in the current language and time zone with the entry it was
    rendered from, unless the entry was invalidated (or replaced) meanwhile: then the page
    may be out of date already."""
    current = cache.get(_key(code))
    if current is not None and current["nonce"] == entry["nonce"]:
        cache.set(_key(code), {**current, "html": {**current["html"], page_variant(): html}}, FACTS_SECONDS)


def verification_entry(code: str, *, now: datetime | None = None) -> dict:
    """What the verification page and JSON show for a stored code, cached: ``data`` is
    None for no such code, else ``{"code", "facts", "issued", "expires", "revoked",
    "current_expires"}``, the last four moments (or None) that the page words in the
    reader's language and zone."""
    now = now or timezone.now()
    entry = cached_verification(code, now=now)
    if entry is not None:
        return entry
    certificate = certificate_by_code(code)
    if certificate is None:
        # Any other kind the same code may belong to; a code of none is the same
        # "no such code" whichever kinds were asked.
        data, refresh_at = _other_kind(code), None
    else:
        current = current_of(certificate)
        data = {
            "code": certificate.code,
            "facts": public_facts(certificate, now=now),
            "issued": certificate.issued_at,
            "expires": certificate.expires_at,
            "revoked": certificate.revoked_at,
            "current_expires": current.expires_at if current.pk != certificate.pk else None,
        }
        # Look again once this certificate (or its current renewal) expires.
        upcoming = [m for m in (certificate.expires_at, current.expires_at) if m and m > now]
        refresh_at = min(upcoming).timestamp() if upcoming else None
    entry = {"data": data, "refresh_at": refresh_at, "html": {}, "nonce": secrets.token_hex(8)}
    cache.set(_key(code), entry, FACTS_SECONDS)
    return entry


def verification_view(code: str, *, now: datetime | None = None) -> dict | None:
    return verification_entry(code, now=now)["data"]
