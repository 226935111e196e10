"""Reads for continuing education, one module per part (``approvals``: an approval's state
and those lapsing soon; ``certificates``: CE certificates for staff and the report per body
and period; ``credit``: the most partial credit a learner's time on task allows;
``transcript``: a learner's CE certificates and hours per body and period;
``eligibility``: a learner's standing under each approval of a course, every rule met or
not; ``holder_certificates``: a holder's own CE certificates and what the public
verification page shows of one)."""
from .eligibility import (
    ISSUED,
    LAPSED,
    READY,
    UNMET,
    WAITING,
    ApprovalStanding,
    CourseStanding,
    Rule,
    ce_standing,
    ce_standings,
    duration_text,
    licence_url,
)
from .holder_certificates import (
    ce_certificate_ids_in_force,
    ce_verification_data,
    certificate_by_code,
    completion_day,
    holder_ce_certificate,
    holder_ce_certificates,
    public_ce_facts,
)
from .transcript import BodyHours, Transcript, YearHours, transcript_for

__all__ = [
    "ISSUED",
    "LAPSED",
    "READY",
    "UNMET",
    "WAITING",
    "ApprovalStanding",
    "BodyHours",
    "CourseStanding",
    "Rule",
    "Transcript",
    "YearHours",
    "ce_certificate_ids_in_force",
    "ce_standing",
    "ce_standings",
    "ce_verification_data",
    "certificate_by_code",
    "completion_day",
    "duration_text",
    "holder_ce_certificate",
    "holder_ce_certificates",
    "licence_url",
    "public_ce_facts",
    "transcript_for",
]
