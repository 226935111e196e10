"""Reads for CE certificates as their holders and the public see them: a holder's own,
one by its code, and what the public verification page and its JSON show of one."""
from datetime import date
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from certification.selectors import holder_locale

from accounts.models import User

from ..models import CECertificate
from ..permissions import can_read_any


def certificate_by_code(code: str) -> CECertificate | None:
    return CECertificate.objects.filter(code=code).first()


def ce_certificate_ids_in_force() -> QuerySet[CECertificate]:
    """The ids of the CE certificates not revoked, as a subquery: certification's
    revocation lists set the bit of every other CE certificate's place (registered with
    ``certification.selectors.register_status_kind``)."""
    return CECertificate.objects.filter(revoked_at__isnull=True).values("pk")


def holder_ce_certificates(*, user: User) -> QuerySet[CECertificate]:
    return CECertificate.objects.filter(holder=user).order_by("-completed_at", "pk")


def holder_ce_certificate(*, user: User, code: str) -> CECertificate | None:
    """The signed-in holder's CE certificate with this code (any, for staff who may read
    CE certificates); None for anyone else, exactly as for a code that does not exist."""
    if not user.is_authenticated:
        return None
    found = CECertificate.objects.filter(code=code)
    if not can_read_any(user):
        found = found.filter(holder=user)
    return found.first()


def completion_day(certificate: CECertificate) -> date:
    """The completion date as the PDF prints it: the day in the holder's time zone."""
    zone = ZoneInfo(holder_locale(user_id=certificate.holder_id).time_zone)
    return certificate.completed_at.astimezone(zone).date()


def public_ce_facts(certificate: CECertificate) -> dict:
    """Everything the verification page and its JSON show of a CE certificate: what it
    prints, never the licence number or anything else about the person. The completion
    date is the day printed on the PDF (in the holder's zone); hours are a JSON number
    (quarter hours are exact in binary)."""
    completed_on = completion_day(certificate).isoformat()
    return {
        "code": certificate.display_code,
        "holder_name": certificate.holder_name,
        "course": certificate.course_title,
        "issued_on": certificate.issued_at.date().isoformat(),
        "status": certificate.status(),
        "revoked_on": certificate.revoked_at.date().isoformat() if certificate.revoked_at else None,
        "continuing_education": {
            "hours": float(certificate.hours),
            "body": certificate.body_name,
            "provider_number": certificate.provider_number,
            "completion_date": completed_on,
        },
    }


def ce_verification_data(code: str) -> dict | None:
    """What certification's verification page and JSON show for a CE certificate's code
    (registered with ``certification.selectors.register_verification_lookup``), or None
    when no CE certificate has it."""
    certificate = certificate_by_code(code)
    if certificate is None:
        return None
    return {
        "code": certificate.code,
        "kind": "continuing_education",
        "template": "continuing_education/verify_facts.html",
        "facts": public_ce_facts(certificate),
        "issued": certificate.issued_at,
        "expires": None,
        "revoked": certificate.revoked_at,
        "current_expires": None,
        "completed_day": completion_day(certificate),
    }
