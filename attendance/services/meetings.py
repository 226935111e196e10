"""A facilitator's meetings and the meeting codes they show: the facilitator's own facts,
never a participant's."""
from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User

from .. import codes, selectors
from ..errors import Refused
from ..models import Meeting, MeetingCode

CODE_TRIES = 8  # a new random code colliding with a live one 8 times running does not happen


def _require_standing(user: User, now: datetime) -> None:
    standing = selectors.facilitator_standing(user=user, now=now)
    if not standing.may_issue:
        raise Refused(standing.reason)


def meeting_save(*, user: User, meeting: Meeting, now: datetime | None = None) -> Meeting:
    """Register or change a meeting (a validated, unsaved or changed instance)."""
    _require_standing(user, now or timezone.now())
    if meeting.pk is not None and meeting.facilitator_id != user.pk:
        raise Refused(gettext("This meeting is not yours."))
    meeting.facilitator = user
    if meeting.mode == Meeting.Mode.ONLINE:
        meeting.town = ""
    meeting.full_clean()
    meeting.save()
    return meeting


def meeting_deactivate(*, user: User, meeting_id: int) -> bool:
    """Stop a meeting (allowed whatever the certificate's standing): its slips stay
    checkable, no new ones are issued. False when it is not the facilitator's."""
    return bool(Meeting.objects.filter(pk=meeting_id, facilitator=user).update(active=False, requests_open=False))


def meeting_requests_switch(*, user: User, meeting_id: int, open_: bool) -> bool:
    """Let participants request slips with the code, or stop them. Stopping is allowed
    whatever the certificate's standing."""
    if open_:
        _require_standing(user, timezone.now())
    return bool(Meeting.objects.filter(pk=meeting_id, facilitator=user, active=True).update(requests_open=open_))


def meeting_code_open(*, user: User, meeting: Meeting, now: datetime | None = None) -> MeetingCode:
    """The code of the meeting's latest occurrence, made on first asking (once per
    occurrence: the constraint decides between two tabs asking at once)."""
    now = now or timezone.now()
    _require_standing(user, now)
    if meeting.facilitator_id != user.pk or not meeting.active:
        raise Refused(gettext("This meeting is not yours."))
    occurrence = selectors.latest_occurrence(meeting, now)
    existing = selectors.meeting_code_of(meeting=meeting, day=occurrence.date)
    if existing is not None:
        return existing
    window = selectors.request_window()
    for _attempt in range(CODE_TRIES):
        try:
            with transaction.atomic():
                return MeetingCode.objects.create(
                    meeting=meeting, code=codes.new_meeting_code(), meeting_date=occurrence.date,
                    meeting_starts_at=occurrence.starts_at, meeting_ends_at=occurrence.ends_at,
                    valid_until=occurrence.ends_at + window,
                )
        except IntegrityError:
            existing = selectors.meeting_code_of(meeting=meeting, day=occurrence.date)
            if existing is not None:
                return existing  # another tab made it first
    raise RuntimeError("no free meeting code after several tries")
