"""How certification's staff pages word things: a certificate's status, dates, a person,
an event in a certificate's history."""
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.models import User

from .. import codes
from ..models import Certificate, CertificateEvent

Kind = CertificateEvent.Kind
STATUS_LABELS = {"valid": "Valid", "expired": "Expired", "revoked": "Revoked"}


def day(moment: datetime | None) -> str:
    # Dates, not "2 years from now": expiry dates are far ahead and staff read them exactly.
    return date_format(timezone.localtime(moment), "j M Y") if moment else ""


def moment(value: datetime | None) -> str:
    return date_format(timezone.localtime(value), "j M Y, H:i") if value else ""


def person(user: User | None) -> str:
    """How staff see a person in these screens: the printed name and the email."""
    if user is None:
        return "System"
    name = (user.certificate_name or user.get_full_name() or "").strip()
    return f"{name} <{user.email}>" if name and name != user.email else user.email


def event_summary(event: CertificateEvent) -> str:
    detail = event.detail or {}
    if event.kind == Kind.ISSUED:
        return f"Issued to {detail.get('holder_name', '')}".strip()
    if event.kind == Kind.RENEWED:
        renews = detail.get("renews")
        return f"Renews certificate {codes.display(renews)}" if renews else "Renewal"
    if event.kind == Kind.REISSUED:
        return f"Name changed from “{detail.get('from', '')}” to “{detail.get('to', '')}”; new PDF"
    if event.kind == Kind.REVOKED:
        reason = Certificate.RevocationReason(detail["reason"]).label if detail.get("reason") in Certificate.RevocationReason.values else detail.get("reason", "")
        note = detail.get("note")
        return f"Reason: {reason}" + (f". Note: {note}" if note else "")
    if event.kind == Kind.REINSTATED:
        return gettext("Note: %(note)s") % {"note": detail.get("note", "")}
    if event.kind == Kind.REMINDED:
        return f"{detail.get('days_before')}-day expiry reminder emailed"
    return ""
