"""Reads for continuing education, one module per part (``approvals``: an approval's state
and those lapsing soon; ``certificates``: CE certificates for staff and the report per body
and period; ``credit``: the most partial credit a learner's time on task allows;
``transcript``: a learner's CE certificates and hours per body and period)."""
from .transcript import BodyHours, Transcript, YearHours, transcript_for

__all__ = ["BodyHours", "Transcript", "YearHours", "transcript_for"]
