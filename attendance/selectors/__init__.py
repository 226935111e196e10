"""Reads for attendance slips: ``standing`` (may this person issue, their meetings, a
meeting's occurrences in its own time zone, the meeting code a participant types) and
``checks`` (the public check of a slip, and the counts staff see). Nothing here reads a
participant."""
from .checks import (
    SlipFacts,
    slip_check,
    slip_count_rows,
    slip_counts_by,
    slip_counts_by_month,
)
from .standing import (
    ISSUE_DAYS_BACK,
    Occurrence,
    Standing,
    facilitator_meeting,
    facilitator_meetings,
    facilitator_standing,
    issuable_dates,
    latest_occurrence,
    meeting_code_by_code,
    meeting_code_of,
    occurrence_on,
    request_window,
    slip_expiry,
)

__all__ = [
    "ISSUE_DAYS_BACK",
    "Occurrence",
    "SlipFacts",
    "Standing",
    "facilitator_meeting",
    "facilitator_meetings",
    "facilitator_standing",
    "issuable_dates",
    "latest_occurrence",
    "meeting_code_by_code",
    "meeting_code_of",
    "occurrence_on",
    "request_window",
    "slip_check",
    "slip_count_rows",
    "slip_counts_by",
    "slip_counts_by_month",
    "slip_expiry",
]
