"""Reads for continuing education, one module per page or process; callers use this
package's names (``selectors.transcript_for(...)``)."""
from .transcript import BodyHours, Transcript, YearHours, transcript_for

__all__ = ["BodyHours", "Transcript", "YearHours", "transcript_for"]
