"""What a row's status and certificate can be, and how the filters group them."""
from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext, gettext_lazy as _

INVITED, NOT_STARTED, IN_PROGRESS, COMPLETED = "invited", "not_started", "in_progress", "completed"
STATUS_CHOICES = [
    (INVITED, _("Invited")),
    (NOT_STARTED, _("Not started")),
    (IN_PROGRESS, _("In progress")),
    (COMPLETED, _("Completed")),
]
STATUS_LABELS = dict(STATUS_CHOICES)

# A row's certificate state; the filter groups them (``certificate_choices``).
VALID, EXPIRING, EXPIRED, REVOKED = "valid", "expiring", "expired", "revoked"
CERT_VALID, CERT_EXPIRING, CERT_ENDED, CERT_NONE = "valid", "expiring", "ended", "none"
CERTIFICATE_FILTERS = {
    CERT_VALID: [VALID, EXPIRING],  # expiring soon is still valid
    CERT_EXPIRING: [EXPIRING],
    CERT_ENDED: [EXPIRED, REVOKED],
}
CERTIFICATE_LABELS = {
    VALID: _("Valid"), EXPIRING: _("Valid, expires soon"), EXPIRED: _("Expired"), REVOKED: _("Revoked"),
}
# A row without one: the same words in the table, the CSV and the filter that finds such rows.
NO_CERTIFICATE = _("No certificate")


def expiry_soon_days() -> int:
    return getattr(settings, "ORGANISATIONS_EXPIRY_SOON_DAYS", 60)


def certificate_choices() -> list[tuple[str, str]]:
    return [
        (CERT_VALID, gettext("Valid")),
        (CERT_EXPIRING, gettext("Expiring within %(days)s days") % {"days": expiry_soon_days()}),
        (CERT_ENDED, gettext("Expired or revoked")),
        (CERT_NONE, NO_CERTIFICATE),
    ]
