"""The email a learner gets when they have completed a course but a CE rule is still
unmet: which rule(s), and for the daily cap when the rest of the hours will be credited.
Sent once per state (``CECheck.notified_state``), under the check's row lock."""
from datetime import datetime

from certification.services import holder_name
from kernel import emails

from ..models import CECheck
from ..selectors import LAPSED, UNMET, WAITING, CourseStanding

TOLD = {UNMET, WAITING, LAPSED}


def unmet_state(standing: CourseStanding) -> str:
    """The approvals still unmet and why, as a key: "" when there is nothing to tell."""
    return "|".join(a.state_key for a in standing.approvals if a.status in TOLD)[:400]


def ce_notify_unmet(*, check: CECheck, standing: CourseStanding, now: datetime) -> bool:
    """Email the learner what is unmet, unless they were told this very state already.
    ``check`` is locked by the caller; True if this call sent the email."""
    state = unmet_state(standing)
    if not state or state == check.notified_state:
        return False
    user = standing.enrollment.user
    emails.send_templated(
        template="continuing_education/email/unmet",
        context={
            "user": user, "name": holder_name(user), "course": standing.course,
            "approvals": [a for a in standing.approvals if a.status in TOLD],
        },
        to=[user.email], recipient=user.pk,
    )
    check.notified_state = state
    check.notified_at = now
    check.save(update_fields=["notified_state", "notified_at"])
    return True
