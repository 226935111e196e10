"""Continuing education's permission names ("app.codename"), for services, selectors, staff
pages and the admin menu alike. ``manage_ce_certificates`` is the ``Approval`` model's own
(``Meta.permissions``); the "CE staff" group holds it (migration 0002_ce_staff_group).
``view_evaluation_results`` is ``EvaluationResponse``'s; "Course publishers" and
"Certification staff" hold it (migration 0003)."""

# Revoking, reinstating and reissuing CE certificates, granting partial credit; it also
# lets staff list and inspect CE certificates, see the report per body and period, and be
# warned before an approval lapses.
MANAGE = "continuing_education.manage_ce_certificates"
VIEW_CERTIFICATES = "continuing_education.view_cecertificate"
VIEW_APPROVALS = "continuing_education.view_approval"

# Reading course evaluations' results: totals and anonymous comments.
VIEW_EVALUATION_RESULTS = "continuing_education.view_evaluation_results"

def can_read_any(user: object) -> bool:
    """Staff who may open any learner's CE certificate (its PDF, for an audit)."""
    return bool(
        getattr(user, "is_authenticated", False) and (user.has_perm(MANAGE) or user.has_perm(VIEW_CERTIFICATES))
    )
