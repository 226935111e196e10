"""Who on the staff sees what of attendance slips: counts only, and the slip settings."""
VIEW_COUNTS = "attendance.view_slipcount"
CHANGE_POLICY = "attendance.change_attendancepolicy"


def can_view_counts(user) -> bool:
    return user.is_active and (user.has_perm(VIEW_COUNTS) or user.has_perm(CHANGE_POLICY))


def can_change_policy(user) -> bool:
    return user.is_active and user.has_perm(CHANGE_POLICY)
