"""Issuing slips: by the facilitator (one name or a list) and by a participant with the
meeting code.

The names exist only in the request and in the PDF returned to it: ``slip_issue`` stores
the meeting's facts, the slip code, and an HMAC of the normalised name with the code
(attendance/keys.py), and hands the names back in memory (``IssuedSlip``) for the PDF.
Nothing here logs, caches or enqueues a name; the PDF is rendered in the request, never
by a task. Everything is written in one transaction, so a refused list stores nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from certification.models import Certificate

from .. import codes, keys, names, selectors
from ..errors import Refused
from ..models import Meeting, MeetingCode, Slip, SlipCount

MAX_NAMES = 100  # one meeting's participants: a pasted list longer than this is a mistake
CODE_TRIES = 5


@dataclass(frozen=True)
class IssuedSlip:
    """A slip just issued and the name to print on it (memory only, never stored)."""

    slip: Slip
    name: str


def clean_names(lines: list[str]) -> list[str]:
    """The printed names of a list, or Refused naming every bad line (nothing issued)."""
    cleaned = [names.clean_printed_name(line) for line in lines]
    if not cleaned:
        raise Refused(gettext("Type the participant's name."))
    if len(cleaned) > MAX_NAMES:
        raise Refused(gettext("At most %(max)d names at a time.") % {"max": MAX_NAMES})
    problems = []
    for number, name in enumerate(cleaned, start=1):
        problem = names.printed_name_problem(name)
        if problem:
            problems.append(gettext("Line %(number)d: %(problem)s") % {"number": number, "problem": problem})
    if problems:
        raise Refused(" ".join(problems))
    return cleaned


def _create(*, meeting: Meeting, occurrence: selectors.Occurrence, certificate: Certificate, via: str, name: str, now: datetime) -> Slip:
    key = keys.current_key()
    for _attempt in range(CODE_TRIES):
        code = codes.new_slip_code()
        try:
            with transaction.atomic():
                return Slip.objects.create(
                    code=code, meeting=meeting, facilitator_id=meeting.facilitator_id, certificate=certificate, via=via,
                    meeting_kind=meeting.kind, meeting_mode=meeting.mode, meeting_date=occurrence.date,
                    meeting_starts_at=occurrence.starts_at, meeting_ends_at=occurrence.ends_at,
                    meeting_time_zone=meeting.time_zone, facilitator_display_name=meeting.facilitator_display_name,
                    name_hash=keys.name_hash(key, names.normalise(name), code), key_id=key.id,
                    issued_at=now, expires_on=selectors.slip_expiry(occurrence.date),
                )
        except IntegrityError:
            continue  # an 80-bit code already taken: draw again
    raise RuntimeError("no free slip code after several tries")


def _count(meeting: Meeting, day: date, n: int) -> None:
    month = day.replace(day=1)
    SlipCount.objects.get_or_create(month=month, meeting_kind=meeting.kind, country=meeting.country)
    SlipCount.objects.filter(month=month, meeting_kind=meeting.kind, country=meeting.country).update(slips=F("slips") + n)


def slip_issue(
    *, meeting: Meeting, occurrence: selectors.Occurrence, certificate: Certificate, via: str, printed_names: list[str],
    meeting_code: MeetingCode | None = None, now: datetime | None = None,
) -> list[IssuedSlip]:
    """One slip per (already cleaned) name, the month's count and the code's counter, in
    one transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        issued = [
            IssuedSlip(_create(meeting=meeting, occurrence=occurrence, certificate=certificate, via=via, name=name, now=now), name)
            for name in printed_names
        ]
        _count(meeting, occurrence.date, len(issued))
        if meeting_code is not None:
            MeetingCode.objects.filter(pk=meeting_code.pk).update(requests_made=F("requests_made") + len(issued))
    return issued


def slips_issue_by_facilitator(
    *, user: User, meeting_id: int, meeting_date: date, lines: list[str], now: datetime | None = None
) -> list[IssuedSlip]:
    now = now or timezone.now()
    standing = selectors.facilitator_standing(user=user, now=now)
    if not standing.may_issue:
        raise Refused(standing.reason)
    meeting = selectors.facilitator_meeting(user=user, meeting_id=meeting_id)
    if meeting is None:
        raise Refused(gettext("This meeting is not yours."))
    if meeting_date not in selectors.issuable_dates(meeting, now):
        raise Refused(gettext("Choose a date on which this meeting took place, within the last %(days)d days.")
                      % {"days": selectors.ISSUE_DAYS_BACK})
    printed = clean_names(lines)
    occurrence = selectors.occurrence_on(meeting, meeting_date)
    return slip_issue(meeting=meeting, occurrence=occurrence, certificate=standing.certificate,
                      via=Slip.Via.FACILITATOR, printed_names=printed, now=now)


def slip_request(*, typed_code: str, name: str, now: datetime | None = None) -> IssuedSlip:
    """A participant's request with the meeting code: refused (nothing stored) for an
    unknown or expired code, requests switched off, an inactive meeting or a facilitator
    whose certificate has lapsed."""
    now = now or timezone.now()
    code = codes.normalise(typed_code, codes.MEETING_LENGTH)
    meeting_code = selectors.meeting_code_by_code(code) if code else None
    if meeting_code is None or not (meeting_code.meeting_starts_at <= now <= meeting_code.valid_until):
        raise Refused(gettext(
            "This meeting code does not work (now). Codes work from the start of the meeting until shortly after it "
            "ends: check the code with your facilitator."
        ))
    meeting = meeting_code.meeting
    if not meeting.active or not meeting.requests_open:
        raise Refused(gettext("The facilitator has switched requests off for this meeting: ask them for your slip."))
    standing = selectors.facilitator_standing(user=meeting.facilitator, now=now)
    if not standing.may_issue:
        raise Refused(gettext("This facilitator cannot issue attendance slips at the moment: ask the network for help."))
    printed = clean_names([name])
    occurrence = selectors.Occurrence(meeting_code.meeting_date, meeting_code.meeting_starts_at, meeting_code.meeting_ends_at)
    return slip_issue(meeting=meeting, occurrence=occurrence, certificate=standing.certificate, via=Slip.Via.REQUEST,
                      printed_names=printed, meeting_code=meeting_code, now=now)[0]


def slip_void(*, user: User, typed_code: str, now: datetime | None = None) -> bool:
    """Void one of the facilitator's own slips; False for an unknown code or anyone
    else's slip (the same answer, so codes cannot be probed)."""
    code = codes.normalise(typed_code, codes.SLIP_LENGTH)
    if code is None:
        return False
    return bool(Slip.objects.filter(code=code, facilitator=user, voided_at__isnull=True).update(voided_at=now or timezone.now()))
