"""How certification's staff pages word things: a certificate's status, dates, a person,
an event in a certificate's history."""
from datetime import datetime

from django.utils.translation import gettext, pgettext_lazy

from kernel.when import day_text, when_text

from accounts.models import User

from .. import codes
from ..models import Certificate, CertificateEvent

Kind = CertificateEvent.Kind
STATUS_LABELS = {
    "valid": pgettext_lazy("certificate", "Valid"),
    "expired": pgettext_lazy("certificate", "Expired"),
    "revoked": pgettext_lazy("certificate", "Revoked"),
}


def day(moment: datetime | None) -> str:
    # Dates, not "2 years from now": expiry dates are far ahead and staff read them exactly.
    return day_text(moment)


def moment(value: datetime | None) -> str:
    return when_text(value)


def person(user: User | None) -> str:
    """How staff see a person in these screens: the printed name and the email."""
    if user is None:
        return gettext("System")
    name = (user.certificate_name or user.get_full_name() or "").strip()
    return f"{name} <{user.email}>" if name and name != user.email else user.email


def event_summary(event: CertificateEvent) -> str:
    detail = event.detail or {}
    if event.kind == Kind.ISSUED:
        return gettext("Issued to %(name)s") % {"name": detail.get("holder_name", "")}
    if event.kind == Kind.RENEWED:
        renews = detail.get("renews")
        return gettext("Renews certificate %(code)s") % {"code": codes.display(renews)} if renews else gettext("Renewal")
    if event.kind == Kind.REISSUED:
        return gettext("Name changed from “%(old)s” to “%(new)s”; new PDF") % {
            "old": detail.get("from", ""), "new": detail.get("to", ""),
        }
    if event.kind == Kind.REVOKED:
        reasons = Certificate.RevocationReason
        reason = reasons(detail["reason"]).label if detail.get("reason") in reasons.values else detail.get("reason", "")
        note = detail.get("note")
        if note:
            return gettext("Reason: %(reason)s. Note: %(note)s") % {"reason": reason, "note": note}
        return gettext("Reason: %(reason)s") % {"reason": reason}
    if event.kind == Kind.REINSTATED:
        return gettext("Note: %(note)s") % {"note": detail.get("note", "")}
    if event.kind == Kind.REMINDED:
        return gettext("%(days)s-day expiry reminder emailed") % {"days": detail.get("days_before")}
    return ""
