"""Writes for attendance slips: meetings and their codes (``meetings``), slips issued and
requested (``issuing``). Callers use this package's names."""
from .issuing import IssuedSlip, slip_issue, slip_request, slips_issue_by_facilitator, slip_void
from .meetings import meeting_code_open, meeting_deactivate, meeting_requests_switch, meeting_save

__all__ = [
    "IssuedSlip", "meeting_code_open", "meeting_deactivate", "meeting_requests_switch", "meeting_save",
    "slip_issue", "slip_request", "slip_void", "slips_issue_by_facilitator",
]
