"""How continuing education's staff pages word things: a CE certificate's status, an
approval's state, an event in a CE certificate's history, hours and time on task."""
from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext, ngettext, pgettext_lazy

from certification.admin.display import day, moment, person

from ..models import Approval, CECertificate, CECertificateEvent
from ..selectors.approvals import CURRENT, LAPSED, LAPSING, NOT_YET, ApprovalState, approval_state

__all__ = ["STATUS_LABELS", "approval_state_label", "day", "event_summary", "hours_text", "moment", "person", "time_on_task"]

Kind = CECertificateEvent.Kind
STATUS_LABELS = {
    "valid": pgettext_lazy("certificate", "Valid"),
    "revoked": pgettext_lazy("certificate", "Revoked"),
}
STATE_LABELS = {
    CURRENT: pgettext_lazy("approval", "Current"),
    LAPSED: pgettext_lazy("approval", "Lapsed"),
    NOT_YET: pgettext_lazy("approval", "Not yet in force"),
}


def state_text(state: ApprovalState) -> str:
    if state.kind == LAPSING:
        if state.days_left == 0:
            return gettext("Lapses after today")
        return ngettext("Lapses in %(days)s day", "Lapses in %(days)s days", state.days_left) % {"days": state.days_left}
    return str(STATE_LABELS[state.kind])


def approval_state_label(approval: Approval) -> str:
    return state_text(approval_state(approval))


def hours_text(hours: Decimal | None) -> str:
    """CE hours as boards print them: 6, 1.5, 1.25 (no trailing zeros)."""
    if hours is None:
        return ""
    normal = hours.normalize()
    return f"{normal:f}"


def time_on_task(seconds: int) -> str:
    hours, minutes = divmod(seconds // 60, 60)
    return gettext("%(hours)s h %(minutes)02d min") % {"hours": hours, "minutes": minutes}


def _changes(detail: dict) -> str:
    labels = {
        "holder_name": gettext("name"), "profession": gettext("profession"), "issuing_board": gettext("issuing board"),
        "licence_region": gettext("state or country"), "licence_number": gettext("licence number"),
    }
    old, new = detail.get("from", {}), detail.get("to", {})
    return "; ".join(
        gettext("%(what)s “%(old)s” → “%(new)s”") % {"what": labels.get(field, field), "old": old.get(field, ""), "new": value}
        for field, value in new.items()
    )


def event_summary(event: CECertificateEvent) -> str:
    detail = event.detail or {}
    if event.kind == Kind.ISSUED:
        hours = detail.get("hours")
        return gettext("Issued for %(hours)s CE hours") % {"hours": hours} if hours else gettext("Issued")
    if event.kind == Kind.PARTIAL:
        return gettext("%(hours)s CE hours granted. Reason: %(reason)s") % {
            "hours": detail.get("hours", ""), "reason": detail.get("reason", ""),
        }
    if event.kind == Kind.REISSUED:
        text = _changes(detail)
        note = detail.get("note")
        return gettext("%(changes)s. Note: %(note)s") % {"changes": text, "note": note} if note else text
    if event.kind == Kind.REVOKED:
        reasons = CECertificate.RevocationReason
        reason = reasons(detail["reason"]).label if detail.get("reason") in reasons.values else detail.get("reason", "")
        note = detail.get("note")
        if note:
            return gettext("Reason: %(reason)s. Note: %(note)s") % {"reason": reason, "note": note}
        return gettext("Reason: %(reason)s") % {"reason": reason}
    if event.kind == Kind.REINSTATED:
        return gettext("Note: %(note)s") % {"note": detail.get("note", "")}
    return ""
