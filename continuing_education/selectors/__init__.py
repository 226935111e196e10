"""Reads for continuing education: a learner's standing under each approval of a course
(``eligibility``), their CE certificates and what the public verification page shows
of one (``certificates``)."""
from .certificates import (
    ce_verification_data,
    certificate_by_code,
    completion_day,
    holder_ce_certificate,
    holder_ce_certificates,
    public_ce_facts,
)
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

__all__ = [
    "ISSUED",
    "LAPSED",
    "READY",
    "UNMET",
    "WAITING",
    "ApprovalStanding",
    "CourseStanding",
    "Rule",
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
]
