"""Continuing education's permission names ("app.codename"), for services, views and the
admin alike."""

# Revoking, reissuing and granting partial CE credit (``Approval.Meta.permissions``).
MANAGE = "continuing_education.manage_ce_certificates"
# Django's own view permission on CE certificates: staff who read them (reports, audits).
VIEW = "continuing_education.view_cecertificate"


def can_read_any(user: object) -> bool:
    """Staff who may open any learner's CE certificate (its PDF, for an audit)."""
    return bool(getattr(user, "is_authenticated", False) and (user.has_perm(MANAGE) or user.has_perm(VIEW)))
