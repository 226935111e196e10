"""What a row shows: its values from the query, worded for the page and the CSV."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timezone as dt_timezone
from decimal import Decimal
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.when import day_text

from .scope import Scope
from .states import CERTIFICATE_LABELS, COMPLETED, EXPIRED, EXPIRING, NO_CERTIFICATE, REVOKED, STATUS_LABELS, VALID


@dataclass(frozen=True)
class StaffRow:
    kind: str  # "enrolment" or "invitation"
    row_id: int
    name: str
    email: str
    course_id: int
    course_title: str
    status: str
    progress: int | None
    last_activity_at: datetime | None
    since: datetime  # enrolled on, or invited on
    completed_at: datetime | None
    invitation_expires_at: datetime | None
    quizzes_passed: int | None
    quizzes_required: int  # of this person: for a completed course, those required when they completed it
    certificate_status: str | None  # VALID, EXPIRING, EXPIRED, REVOKED or None
    certificate_expires_at: datetime | None
    certificate_programme: str | None
    now: datetime
    quizzes_new: int = 0  # required quizzes published since they completed the course (optional for them)
    ce_hours: Decimal | None = None  # CE hours earned in the course (in the filter's period); None: invited

    @property
    def is_invitation(self) -> bool:
        return self.kind == "invitation"

    @property
    def invitation_expired(self) -> bool:
        return self.is_invitation and self.invitation_expires_at is not None and self.invitation_expires_at <= self.now

    @property
    def status_label(self) -> str:
        label = STATUS_LABELS[self.status]
        return _("%(status)s (link expired)") % {"status": label} if self.invitation_expired else label

    @property
    def certificate_label(self) -> str:
        return CERTIFICATE_LABELS.get(self.certificate_status, NO_CERTIFICATE)

    @property
    def certificate_valid(self) -> bool:
        return self.certificate_status in (VALID, EXPIRING)

    @cached_property
    def status_note(self) -> str:
        """The line under the status: when they were invited (and until when the link
        works), or when they completed."""
        if self.is_invitation:
            if self.invitation_expired:
                return _("Invited %(day)s") % {"day": _day(self.since)}
            return _("Invited %(day)s; link valid until %(until)s") % {
                "day": _day(self.since), "until": _day(self.invitation_expires_at),
            }
        return _("on %(day)s") % {"day": _day(self.completed_at)} if self.status == COMPLETED and self.completed_at else ""

    @cached_property
    def certificate_note(self) -> str:
        if self.certificate_status is None:
            return ""
        if self.certificate_expires_at is None:
            return _("Does not expire") if self.certificate_valid else ""
        when = _day(self.certificate_expires_at)
        if self.certificate_status == EXPIRED:
            return _("Expired %(day)s") % {"day": when}
        if self.certificate_status == REVOKED:
            return _("Was valid until %(day)s") % {"day": when}
        return _("Until %(day)s") % {"day": when}

    @cached_property
    def last_activity(self) -> str:
        return _day(self.last_activity_at) if self.last_activity_at else ""

    @property
    def progress_label(self) -> str:
        """What the progress bar is of, for screen readers (many bars on one page)."""
        return f"{self.course_title}, {self.name or self.email}"

    @property
    def ce_hours_label(self) -> str:
        """"1.5", "6" (as certificates print them); "" for an invitation."""
        if self.ce_hours is None:
            return ""
        return f"{self.ce_hours.normalize():f}" if self.ce_hours else "0"

    @property
    def assessments_label(self) -> str:
        if self.is_invitation:
            return ""
        label = (
            _("%(passed)s of %(required)s") % {"passed": self.quizzes_passed, "required": self.quizzes_required}
            if self.quizzes_required else _("None required")
        )
        if self.quizzes_new:
            label += "; " + _("%(count)s new since they finished (optional for them)") % {"count": self.quizzes_new}
        return label


def _day(moment: datetime) -> str:
    """A date as every page writes it (kernel.when: "3 November 2026" in English), in the current time zone."""
    return day_text(moment)


def _from_json(value: str | None) -> datetime | None:
    """A date and time that came back inside JSON (as text): PostgreSQL writes its offset,
    SQLite (the demo) stores UTC without one."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=dt_timezone.utc)


def to_row(values: dict, scope: Scope, now: datetime) -> StaffRow:
    course = scope.course(values["course_ref"])
    certificate = values["certificate"] or {}
    expires_at = _from_json(certificate.get("expires_at"))
    required, passed, new = course.required_quizzes if course else 0, values["quizzes_passed"], 0
    if values["state"] == COMPLETED and passed is not None and passed < required:
        # Completion once reached stands (courses.selectors.new_since_completion): the
        # required quizzes they have not passed were published since, and are optional
        # for them. They passed every quiz required when they completed the course.
        required, new = passed, required - passed
    return StaffRow(
        kind=values["kind"],
        row_id=values["row_id"],
        name=values["person_name"] or "",
        email=values["person_email"] or "",
        course_id=values["course_ref"],
        course_title=course.title if course else "",
        status=values["state"],
        progress=values["percent"],
        last_activity_at=values["active_at"],
        since=values["since"],
        completed_at=values["finished_at"],
        invitation_expires_at=values["link_expires_at"],
        quizzes_passed=passed,
        quizzes_required=required,
        quizzes_new=new,
        certificate_status=certificate.get("state"),
        certificate_expires_at=expires_at,
        certificate_programme=certificate.get("programme"),
        now=now,
        ce_hours=values.get("ce_hours"),
    )
