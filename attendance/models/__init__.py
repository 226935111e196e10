from .meetings import Meeting, MeetingCode
from .slips import AttendancePolicy, Slip, SlipCount

__all__ = ["AttendancePolicy", "Meeting", "MeetingCode", "Slip", "SlipCount"]
