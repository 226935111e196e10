"""Reads for attendance slips: may this person issue, their meetings, a meeting's
occurrences in its own time zone, and the meeting code a participant types.

A facilitator may issue while one of their facilitator certificates is current: issued,
not expired, not revoked (``Certificate.status``). Nothing here reads a participant.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext

from accounts.models import User
from certification.models import Certificate

from ..models import AttendancePolicy, Meeting, MeetingCode

# How far back a facilitator may issue slips for an occurrence they ran.
ISSUE_DAYS_BACK = 14


@dataclass(frozen=True)
class Standing:
    """Whether a facilitator may issue now: their current certificate, or why not."""

    certificate: Certificate | None
    reason: str = ""

    @property
    def may_issue(self) -> bool:
        return self.certificate is not None


def facilitator_standing(*, user: User, now: datetime | None = None) -> Standing:
    """Two queries at most. The certificate that lasts longest is the one slips name."""
    now = now or timezone.now()
    if not user.is_authenticated:
        return Standing(None, gettext("Sign in to issue attendance slips."))
    mine = Certificate.objects.filter(holder=user, issued_at__lte=now)
    current = (
        mine.filter(revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .order_by("-expires_at", "-issued_at")
        .first()
    )
    if current is not None:
        return Standing(current)
    latest = mine.order_by("-issued_at").first()
    if latest is None:
        return Standing(None, gettext(
            "Only facilitators with a current facilitator certificate can issue attendance slips. "
            "Once you hold one, you can register your meetings here."
        ))
    if latest.revoked_at:
        return Standing(None, gettext(
            "Your facilitator certificate was withdrawn on %(date)s, so you cannot issue attendance slips. "
            "Please contact the network if you think this is a mistake."
        ) % {"date": formats.date_format(timezone.localtime(latest.revoked_at), "DATE_FORMAT")})
    return Standing(None, gettext(
        "Your facilitator certificate expired on %(date)s: renew it to issue slips again."
    ) % {"date": formats.date_format(timezone.localtime(latest.expires_at), "DATE_FORMAT")})


def facilitator_meetings(*, user: User) -> QuerySet[Meeting]:
    return Meeting.objects.filter(facilitator=user, active=True)


def facilitator_meeting(*, user: User, meeting_id: int) -> Meeting | None:
    """The signed-in facilitator's own active meeting; None for anyone else's."""
    return Meeting.objects.filter(facilitator=user, pk=meeting_id, active=True).first()


@dataclass(frozen=True)
class Occurrence:
    """One meeting on one date, in absolute time (a meeting may run past midnight)."""

    date: date
    starts_at: datetime
    ends_at: datetime


def occurrence_on(meeting: Meeting, day: date) -> Occurrence:
    zone = ZoneInfo(meeting.time_zone)
    starts = datetime.combine(day, meeting.starts_at, tzinfo=zone)
    end_day = day + timedelta(days=1) if meeting.ends_at < meeting.starts_at else day
    ends = datetime.combine(end_day, meeting.ends_at, tzinfo=zone)
    return Occurrence(day, starts, ends)


def latest_occurrence(meeting: Meeting, now: datetime | None = None) -> Occurrence:
    """Today's occurrence in the meeting's zone when it meets today (even before it
    starts), else the latest one before now."""
    now = now or timezone.now()
    today = now.astimezone(ZoneInfo(meeting.time_zone)).date()
    back = (today.weekday() - meeting.weekday) % 7
    return occurrence_on(meeting, today - timedelta(days=back))


def issuable_dates(meeting: Meeting, now: datetime | None = None) -> list[date]:
    """The occurrences a facilitator may issue slips for: started, within the last
    ``ISSUE_DAYS_BACK`` days, newest first."""
    now = now or timezone.now()
    latest = latest_occurrence(meeting, now)
    days = [latest.date - timedelta(days=7 * n) for n in range(ISSUE_DAYS_BACK // 7 + 1)]
    return [d for d in days if occurrence_on(meeting, d).starts_at <= now and (latest.date - d).days <= ISSUE_DAYS_BACK]


def meeting_code_of(*, meeting: Meeting, day: date) -> MeetingCode | None:
    return MeetingCode.objects.filter(meeting=meeting, meeting_date=day).first()


def meeting_code_by_code(code: str) -> MeetingCode | None:
    """One query: the code with its meeting and facilitator."""
    return MeetingCode.objects.select_related("meeting", "meeting__facilitator").filter(code=code).first()


def request_window() -> timedelta:
    return timedelta(minutes=AttendancePolicy.current().request_window_minutes)


def slip_expiry(meeting_date: date) -> date:
    """The last day a slip of this date can be checked: the policy's months later."""
    months = AttendancePolicy.current().retention_months
    month_index = meeting_date.month - 1 + months
    year, month = meeting_date.year + month_index // 12, month_index % 12 + 1
    for day in range(meeting_date.day, 27, -1):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return date(year, month, min(meeting_date.day, 28))


__all__ = [
    "ISSUE_DAYS_BACK", "Occurrence", "Standing", "facilitator_meeting", "facilitator_meetings",
    "facilitator_standing", "issuable_dates", "latest_occurrence", "meeting_code_by_code", "meeting_code_of",
    "occurrence_on", "request_window", "slip_expiry",
]
