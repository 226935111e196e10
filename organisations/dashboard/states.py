"""What a row's status and certificate can be, and how the filters group them."""
from __future__ import annotations

from django.conf import settings

INVITED, NOT_STARTED, IN_PROGRESS, COMPLETED = "invited", "not_started", "in_progress", "completed"
STATUS_CHOICES = [
    (INVITED, "Invited"),
    (NOT_STARTED, "Not started"),
    (IN_PROGRESS, "In progress"),
    (COMPLETED, "Completed"),
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
CERTIFICATE_LABELS = {VALID: "Valid", EXPIRING: "Valid, expires soon", EXPIRED: "Expired", REVOKED: "Revoked"}
# A row without one: the same words in the table, the CSV and the filter that finds such rows.
NO_CERTIFICATE = "No certificate"


def expiry_soon_days() -> int:
    return getattr(settings, "ORGANISATIONS_EXPIRY_SOON_DAYS", 60)


def certificate_choices() -> list[tuple[str, str]]:
    return [
        (CERT_VALID, "Valid"),
        (CERT_EXPIRING, f"Expiring within {expiry_soon_days()} days"),
        (CERT_ENDED, "Expired or revoked"),
        (CERT_NONE, NO_CERTIFICATE),
    ]
