"""Reads for certificates: the holder's own, and the public facts by code."""
import secrets

from django.core.cache import cache
from django.utils import dateformat, timezone

from .models import Certificate, Programme
from .requirements import programme_progress, renewal_progress


def certificate_by_code(code: str) -> Certificate | None:
    return Certificate.objects.select_related("programme", "renewed_by").filter(code=code).first()


def current_of(certificate: Certificate) -> Certificate:
    """The newest certificate in a chain of renewals (itself when never renewed)."""
    seen = 0
    while certificate.renewed_by_id and seen < 50:
        certificate = Certificate.objects.select_related("programme", "renewed_by").get(pk=certificate.renewed_by_id)
        seen += 1
    return certificate


def public_facts(certificate: Certificate, *, now=None) -> dict:
    """Everything the verification page and its JSON show: nothing else about the person."""
    now = now or timezone.now()
    current = current_of(certificate)
    return {
        "code": certificate.display_code,
        "holder_name": certificate.holder_name,
        "programme": certificate.programme.title,
        "issued_on": certificate.issued_at.date().isoformat(),
        "expires_on": certificate.expires_at.date().isoformat() if certificate.expires_at else None,
        "status": certificate.status(now),
        "revoked_on": certificate.revoked_at.date().isoformat() if certificate.revoked_at else None,
        "renewed_by": current.display_code if current.pk != certificate.pk else None,
        "current_status": current.status(now) if current.pk != certificate.pk else None,
        "current_expires_on": current.expires_at.date().isoformat() if current.pk != certificate.pk and current.expires_at else None,
    }


def holder_certificates(*, user):
    return Certificate.objects.filter(holder=user).select_related("programme", "renewed_by").order_by("-issued_at")


def holder_certificate(*, user, code: str) -> Certificate | None:
    if not user.is_authenticated:
        return None
    return Certificate.objects.select_related("programme").filter(holder=user, code=code).first()


def programmes_overview(*, user, now=None):
    """Each active programme with what is done and what is left (and renewal, if due)."""
    now = now or timezone.now()
    rows = []
    certificates = {}
    for c in holder_certificates(user=user):
        if c.programme_id not in certificates or c.period > certificates[c.programme_id].period:
            certificates[c.programme_id] = c
    for programme in Programme.objects.filter(active=True).prefetch_related("practical_items", "attestations"):
        latest = certificates.get(programme.pk)
        progress = programme_progress(user=user, programme=programme, now=now) if latest is None else None
        renewal = (
            renewal_progress(user=user, programme=programme, certificate=latest, now=now)
            if latest is not None and latest.revoked_at is None
            else None
        )
        rows.append({"programme": programme, "certificate": latest, "progress": progress, "renewal": renewal})
    return rows


# --- the verification page's cache --------------------------------------------------------
# Verification pages are read far more often than certificates change, so what they show
# is cached per code (with, for visitors, the rendered page itself). Any save of a
# certificate deletes the entries of every certificate in its holder's chain for that
# programme (a renewal changes what the older pages say), again after commit so a request
# that read the old row in between does not leave it behind (certification/signals.py);
# and an entry is never used past the next expiry it mentions.
FACTS_SECONDS = 300


def _key(code: str) -> str:
    return f"certification:verify:{code}"


def invalidate_verification(codes) -> None:
    cache.delete_many([_key(code) for code in codes])


def chain_codes(certificate: Certificate) -> list[str]:
    return list(
        Certificate.objects.filter(holder_id=certificate.holder_id, programme_id=certificate.programme_id)
        .values_list("code", flat=True)
    )


def _display(moment) -> str | None:
    return dateformat.format(timezone.localtime(moment), "j F Y") if moment else None


def _usable(entry: dict | None, now) -> dict | None:
    if entry is not None and (entry["refresh_at"] is None or entry["refresh_at"] > now.timestamp()):
        return entry
    return None


def cached_verification(code: str, *, now=None) -> dict | None:
    """The cache entry for a code: ``{"data": ..., "refresh_at": ..., "html": ...}``, or
    None when nothing usable is cached."""
    return _usable(cache.get(_key(code)), now or timezone.now())


def cached_verification_with(code: str | None, also: list[str], *, now=None) -> tuple[dict | None, dict]:
    """``cached_verification`` (None for no code) and the values of the cache keys in
    ``also`` (the lookup counter, which every request reads) in one cache round trip:
    ``(entry, {key: value})``, keys without a value left out."""
    keys = ([_key(code)] if code else []) + list(also)
    found = cache.get_many(keys) if keys else {}
    entry = found.pop(_key(code), None) if code else None
    return _usable(entry, now or timezone.now()), found


def store_verification_html(code: str, entry: dict, html: bytes) -> None:
    """Keep the rendered page with the entry it was rendered from, unless the entry was
    invalidated (or replaced) meanwhile: then the page may be out of date already."""
    current = cache.get(_key(code))
    if current is not None and current["nonce"] == entry["nonce"]:
        cache.set(_key(code), {**entry, "html": html}, FACTS_SECONDS)


def verification_entry(code: str, *, now=None) -> dict:
    """What the verification page and JSON show for a stored code, cached: ``data`` is
    None for no such code, else ``{"code", "facts", "issued", "expires"}``."""
    now = now or timezone.now()
    entry = cached_verification(code, now=now)
    if entry is not None:
        return entry
    certificate = certificate_by_code(code)
    if certificate is None:
        data, refresh_at = None, None
    else:
        current = current_of(certificate)
        data = {
            "code": certificate.code,
            "facts": public_facts(certificate, now=now),
            "issued": _display(certificate.issued_at),
            "expires": _display(certificate.expires_at),
        }
        # Look again once this certificate (or its current renewal) expires.
        upcoming = [m for m in (certificate.expires_at, current.expires_at) if m and m > now]
        refresh_at = min(upcoming).timestamp() if upcoming else None
    entry = {"data": data, "refresh_at": refresh_at, "html": None, "nonce": secrets.token_hex(8)}
    cache.set(_key(code), entry, FACTS_SECONDS)
    return entry


def verification_view(code: str, *, now=None) -> dict | None:
    return verification_entry(code, now=now)["data"]
