"""Slips for tests, made the way the design says a slip is issued: a row with the
meeting's facts, the keyed hash of the normalised name with the slip code, and a count
in SlipCount, in one transaction; the name goes nowhere else.

The issuing service (attendance.services.issuing) is the real path, and the privacy test
goes through it too; this row-maker lets the check's tests make slips on any date, voided or
with a chosen code, without a facilitator's pages.
"""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from attendance import keys, names
from attendance.models import AttendancePolicy, Meeting, Slip, SlipCount
from attendance.codes import new_slip_code as new_code



def make_slip(*, meeting: Meeting, certificate, name: str, day: date, voided: bool = False, code: str | None = None) -> Slip:
    """A slip as the issuing service keeps it, on any date (voided or with a chosen code)."""
    zone = ZoneInfo(meeting.time_zone)
    starts = datetime.combine(day, meeting.starts_at, tzinfo=zone)
    ends = datetime.combine(day if meeting.ends_at > meeting.starts_at else day + timedelta(days=1), meeting.ends_at, tzinfo=zone)
    code = code or new_code()
    key = keys.current_key()
    digest, key_id = keys.name_hash(key, names.normalise(name), code), key.id
    policy = AttendancePolicy.current()
    with transaction.atomic():
        slip = Slip.objects.create(
            code=code, meeting=meeting, facilitator=meeting.facilitator, certificate=certificate,
            via=Slip.Via.FACILITATOR, meeting_kind=meeting.kind, meeting_mode=meeting.mode, meeting_date=day,
            meeting_starts_at=starts, meeting_ends_at=ends, meeting_time_zone=meeting.time_zone,
            facilitator_display_name=meeting.facilitator_display_name, name_hash=digest, key_id=key_id,
            issued_at=timezone.now(), expires_on=day + relativedelta(months=policy.retention_months),
            voided_at=timezone.now() if voided else None,
        )
        month = day.replace(day=1)
        count, _ = SlipCount.objects.get_or_create(month=month, meeting_kind=meeting.kind, country=meeting.country)
        SlipCount.objects.filter(pk=count.pk).update(slips=F("slips") + 1)
    return slip


def new_meeting(facilitator, **fields) -> Meeting:
    values = {
        "kind": Meeting.Kind.FOUR_POINT, "mode": Meeting.Mode.IN_PERSON, "weekday": 2,
        "starts_at": time(19, 0), "ends_at": time(20, 30), "time_zone": "America/Mexico_City",
        "town": "Guadalajara", "country": "MX", "facilitator_display_name": "Sam R.",
    }
    values.update(fields)
    return Meeting.objects.create(facilitator=facilitator, **values)
