"""Reads for certificates: the holder's own, one by its code, and a renewal chain's
newest, with what each page shows of them."""
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User

from ..models import Certificate, Programme
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


def public_facts(certificate: Certificate, *, now: datetime | None = None) -> dict:
    """Everything the verification page and its JSON show: nothing else about the person.
    ``programme`` is the programme's title in its source language, ``programme_names``
    its title in each language it is given in (the source's included), for the reader's."""
    now = now or timezone.now()
    current = current_of(certificate)
    return {
        "code": certificate.display_code,
        "holder_name": certificate.holder_name,
        "programme": certificate.programme.title,
        "programme_names": certificate.programme.titles(),
        "issued_on": certificate.issued_at.date().isoformat(),
        "expires_on": certificate.expires_at.date().isoformat() if certificate.expires_at else None,
        "status": certificate.status(now),
        "revoked_on": certificate.revoked_at.date().isoformat() if certificate.revoked_at else None,
        "renewed_by": current.display_code if current.pk != certificate.pk else None,
        "current_status": current.status(now) if current.pk != certificate.pk else None,
        "current_expires_on": current.expires_at.date().isoformat() if current.pk != certificate.pk and current.expires_at else None,
    }


def holder_certificates(*, user: User) -> QuerySet[Certificate]:
    """The holder's certificates, each programme's translations with them (one query for
    all) for ``Programme.words``."""
    return (
        Certificate.objects.filter(holder=user)
        .select_related("programme", "renewed_by")
        .prefetch_related("programme__translations")
        .order_by("-issued_at")
    )


def holder_certificate(*, user: User, code: str) -> Certificate | None:
    """The signed-in holder's certificate with this code; None for anyone else's."""
    if not user.is_authenticated:
        return None
    return Certificate.objects.select_related("programme").filter(holder=user, code=code).first()


def programmes_overview(*, user: User, now: datetime | None = None) -> list[dict]:
    """Each active programme with what is done and what is left (and renewal, if due),
    and its words in the active language."""
    now = now or timezone.now()
    rows = []
    certificates = {}
    for c in Certificate.objects.filter(holder=user):
        if c.programme_id not in certificates or c.period > certificates[c.programme_id].period:
            certificates[c.programme_id] = c
    for programme in Programme.objects.filter(active=True).with_words().prefetch_related("practical_items", "attestations"):
        latest = certificates.get(programme.pk)
        progress = programme_progress(user=user, programme=programme, now=now) if latest is None else None
        renewal = (
            renewal_progress(user=user, programme=programme, certificate=latest, now=now)
            if latest is not None and latest.revoked_at is None
            else None
        )
        rows.append(
            {"programme": programme, "words": programme.words(), "certificate": latest, "progress": progress, "renewal": renewal}
        )
    return rows
