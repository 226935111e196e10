"""The manager's view of their staff's progress (reads only).

One row per person and course, from two sources:

- the enrolments of the organisation's *active* members in the organisation's courses
  (a member who left has stopped sharing their progress: they are not shown);
- its pending invitations to a course, shown as "invited".

The organisation's courses are those of its seat pools and of its pending invitations.
A member's enrolments in any other course are theirs alone: an employer never sees them.

What a row holds is chosen column by column (``COLUMNS``): status, progress %, required
quizzes passed (a count, never a score or an answer), the holder's current certificate
for a programme that includes the course, and the last activity date. Nothing a learner
keeps private is ever read: no reflections, no written answers, no per-question marks,
no time spent on lessons.

Cost: the rows are one ``UNION ALL`` query of the two sources, filtered, ordered and
sliced in PostgreSQL; the certificate and the quizzes passed are correlated subqueries in
it, worked out only for the rows a page shows. A page costs the same number of queries
however many staff there are: the scope (two), the summary (three), the count (none
without filters: the summary has it) and the page (one). The CSV export reads every row
in one query.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from functools import cached_property

from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Case, CharField, Count, DateTimeField, Exists, F, IntegerField, JSONField, OuterRef, Q, QuerySet, Subquery, Value,
    When,
)
from django.db.models.functions import Coalesce, JSONObject, Lower, NullIf
from django.utils import dateformat, timezone
from wagtail.models import Page

from certification.models import Certificate
from courses.models import CoursePage, Enrollment, QuizAttempt

from .models import Invitation, Membership, Organisation, SeatPool

PER_PAGE = 50

INVITED, NOT_STARTED, IN_PROGRESS, COMPLETED = "invited", "not_started", "in_progress", "completed"
STATUS_CHOICES = [
    (INVITED, "Invited"),
    (NOT_STARTED, "Not started"),
    (IN_PROGRESS, "In progress"),
    (COMPLETED, "Completed"),
]
STATUS_LABELS = dict(STATUS_CHOICES)

# A row's certificate state; the filter groups them (``certificate_choices``).
VALID, EXPIRING, EXPIRED, REVOKED = "valid", "expiring", "expired", "revoked"
CERT_VALID, CERT_EXPIRING, CERT_ENDED, CERT_NONE = "valid", "expiring", "ended", "none"
CERTIFICATE_FILTERS = {
    CERT_VALID: [VALID, EXPIRING],  # expiring soon is still valid
    CERT_EXPIRING: [EXPIRING],
    CERT_ENDED: [EXPIRED, REVOKED],
}
CERTIFICATE_LABELS = {VALID: "Valid", EXPIRING: "Valid, expires soon", EXPIRED: "Expired", REVOKED: "Revoked"}


def expiry_soon_days() -> int:
    return getattr(settings, "ORGANISATIONS_EXPIRY_SOON_DAYS", 60)


def certificate_choices() -> list[tuple[str, str]]:
    return [
        (CERT_VALID, "Valid"),
        (CERT_EXPIRING, f"Expiring within {expiry_soon_days()} days"),
        (CERT_ENDED, "Expired or revoked"),
        (CERT_NONE, "No certificate"),
    ]


# --- the organisation's courses -------------------------------------------------------------


@dataclass(frozen=True)
class CourseRef:
    id: int
    title: str
    required_quizzes: int  # required quizzes a learner passes to complete the course


@dataclass
class Scope:
    """What the organisation's rows are made of: its courses and, across them, the
    required quizzes (whose passes count as "assessments passed")."""

    organisation: Organisation
    courses: list[CourseRef]
    required_quiz_ids: set[int] = field(default_factory=set)

    @property
    def course_ids(self) -> list[int]:
        return [c.id for c in self.courses]

    def course(self, course_id: int) -> CourseRef | None:
        return next((c for c in self.courses if c.id == course_id), None)


def staff_scope(organisation: Organisation) -> Scope:
    """The organisation's courses (seat pools and pending invitations) and their required
    quizzes: two queries, whatever the number of staff."""
    pools = SeatPool.objects.filter(organisation=organisation).values("course_id")
    invited = Invitation.objects.filter(
        organisation=organisation, status=Invitation.Status.PENDING, course__isnull=False
    ).values("course_id")
    courses = list(
        CoursePage.objects.filter(Q(pk__in=pools) | Q(pk__in=invited))
        .order_by("title", "pk")
        .values_list("pk", "title", "path", "depth")
    )
    required = _required_quizzes(courses)
    return Scope(
        organisation=organisation,
        courses=[CourseRef(pk, title, len(required.get(pk, ()))) for pk, title, _, _ in courses],
        required_quiz_ids={quiz for ids in required.values() for quiz in ids},
    )


def _required_quizzes(courses: list[tuple]) -> dict[int, set[int]]:
    """Per course, its required quizzes as the learner's outline counts them
    (``courses.outline``): live quizzes directly in the course or in a live module. One
    query for all the courses."""
    if not courses:
        return {}
    under = Q()
    for _, _, path, depth in courses:
        under |= Q(path__startswith=path, depth__in=(depth + 1, depth + 2))
    rows = (
        Page.objects.live()
        .filter(under)
        .filter(Q(quizpage__isnull=False) | Q(modulepage__isnull=False))
        .values_list("pk", "path", "depth", "quizpage__required")
    )
    live_modules, quizzes = set(), []
    for pk, path, depth, required in rows:
        if required is None:  # a module (a quiz always has its flag)
            live_modules.add(path)
        elif required:
            quizzes.append((pk, path, depth))
    by_course: dict[int, set[int]] = {}
    for course_id, _, course_path, course_depth in courses:
        for pk, path, depth in quizzes:
            if not path.startswith(course_path):
                continue
            if depth == course_depth + 2 and path[: -Page.steplen] not in live_modules:
                continue  # its module is a draft or withdrawn: learners do not see it
            by_course.setdefault(course_id, set()).add(pk)
    return by_course


# --- filters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffFilters:
    course_id: int | None = None
    status: str | None = None  # one of STATUS_CHOICES' keys
    certificate: str | None = None  # CERT_VALID, CERT_EXPIRING, CERT_ENDED or CERT_NONE
    search: str = ""

    @property
    def active(self) -> bool:
        return bool(self.course_id or self.status or self.certificate or self.search)


# --- the rows ---------------------------------------------------------------------------------

# The columns of every row, in this order on both sides of the UNION. Named so that none
# is also a field of Enrollment or Invitation.
COLUMNS = (
    "kind", "row_id", "person_id", "person_name", "person_email", "course_ref", "course_rank",
    "state", "percent", "active_at", "since", "finished_at", "link_expires_at", "quizzes_passed",
    "certificate", "sort_name",
)


def _certificate_state(now: datetime) -> Case:
    soon = now + timedelta(days=expiry_soon_days())
    return Case(
        When(revoked_at__isnull=False, then=Value(REVOKED)),
        When(expires_at__lte=now, then=Value(EXPIRED)),
        When(expires_at__lte=soon, then=Value(EXPIRING)),
        default=Value(VALID),
        output_field=CharField(),
    )


def _current_certificates() -> QuerySet:
    """Certificates that are their holder's current one in their programme: a renewal
    points the certificate it renews at itself (``renewed_by``), so the current one is
    the one not renewed (as certification's expiry reminders read it)."""
    return Certificate.objects.filter(renewed_by__isnull=True)


def _certificates_of_row(now: datetime) -> QuerySet:
    """The holder's current certificates in programmes that include the row's course,
    best first: valid (latest expiry first, no expiry best), then expired, then revoked.
    Correlated with the enrolment row (``user_id``, ``course_id``)."""
    rank = Case(
        When(revoked_at__isnull=False, then=Value(2)),
        When(expires_at__lte=now, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        _current_certificates()
        .filter(holder_id=OuterRef("user_id"), programme__courses=OuterRef("course_id"))
        .annotate(row_state=_certificate_state(now), rank=rank)
        .order_by("rank", F("expires_at").desc(nulls_first=True), "-issued_at", "-pk")
    )


def _certificate_state_of_row(now: datetime) -> Subquery:
    """The state of the row's certificate (None: no certificate), for filters and counts."""
    return Subquery(_certificates_of_row(now).values("row_state")[:1], output_field=CharField())


def _certificate_of_row(now: datetime) -> Subquery:
    """What a row shows of its certificate, as one JSON object (one subquery, not three):
    ``{"state": ..., "expires_at": ..., "programme": ...}`` or None."""
    shown = JSONObject(state="row_state", expires_at="expires_at", programme="programme__title")
    return Subquery(_certificates_of_row(now).values(shown=shown)[:1], output_field=JSONField())


def _enrolment_state():
    return Case(
        When(status=Enrollment.Status.COMPLETED, then=Value(COMPLETED)),
        When(progress_percent=0, last_activity_at__isnull=True, then=Value(NOT_STARTED)),
        default=Value(IN_PROGRESS),
        output_field=CharField(),
    )


def _enrolments(scope: Scope) -> QuerySet:
    """Active members' enrolments in the organisation's courses (withdrawn ones, such as
    a seat taken back, are not places any more)."""
    active_member = Membership.objects.filter(
        organisation_id=scope.organisation.pk, user_id=OuterRef("user_id"), left_at__isnull=True
    )
    return (
        Enrollment.objects.filter(course_id__in=scope.course_ids)
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .filter(Exists(active_member))
    )


def _course_rank(scope: Scope) -> Case:
    """The course's place in the scope's list (by title): rows sort by course with no
    join to the course pages (a page's title lives two tables away)."""
    return Case(
        *[When(course_id=course.id, then=Value(rank)) for rank, course in enumerate(scope.courses)],
        default=Value(len(scope.courses)),
        output_field=IntegerField(),
    )


def _enrolment_columns(enrolments: QuerySet, scope: Scope, now: datetime) -> QuerySet:
    if scope.required_quiz_ids:
        passed = (
            QuizAttempt.objects.filter(enrollment_id=OuterRef("pk"), passed=True, quiz_id__in=scope.required_quiz_ids)
            .order_by()
            .values("enrollment_id")
            .annotate(n=Count("quiz_id", distinct=True))
            .values("n")
        )
        quizzes_passed = Coalesce(Subquery(passed, output_field=IntegerField()), Value(0))
    else:
        quizzes_passed = Value(0, output_field=IntegerField())
    return enrolments.annotate(
        kind=Value("enrolment", output_field=CharField()),
        row_id=F("pk"),
        sort_name=Lower(
            Coalesce(NullIf(F("user__certificate_name"), Value("")), F("user__email"), output_field=CharField())
        ),
        course_rank=_course_rank(scope),
        person_id=F("user_id"),
        person_name=F("user__certificate_name"),
        person_email=F("user__email"),
        course_ref=F("course_id"),
        state=_enrolment_state(),
        percent=F("progress_percent"),
        active_at=F("last_activity_at"),
        since=F("enrolled_at"),
        finished_at=F("completed_at"),
        link_expires_at=Value(None, output_field=DateTimeField()),
        quizzes_passed=quizzes_passed,
        certificate=_certificate_of_row(now),
    )


def _invitations(scope: Scope) -> QuerySet:
    """Pending invitations to one of the courses: people who have not answered yet (and
    so have shared nothing: no certificate is looked up for them)."""
    return Invitation.objects.filter(
        organisation_id=scope.organisation.pk, status=Invitation.Status.PENDING, course_id__in=scope.course_ids
    )


def _invitation_columns(invitations: QuerySet, scope: Scope) -> QuerySet:
    return invitations.annotate(
        kind=Value("invitation", output_field=CharField()),
        row_id=F("pk"),
        sort_name=Lower(Coalesce(NullIf(F("name"), Value("")), F("email"), output_field=CharField())),
        course_rank=_course_rank(scope),
        person_id=Value(None, output_field=IntegerField()),
        person_name=F("name"),
        person_email=F("email"),
        course_ref=F("course_id"),
        state=Value(INVITED, output_field=CharField()),
        percent=Value(None, output_field=IntegerField()),
        active_at=Value(None, output_field=DateTimeField()),
        since=F("created_at"),
        finished_at=Value(None, output_field=DateTimeField()),
        link_expires_at=F("expires_at"),
        quizzes_passed=Value(None, output_field=IntegerField()),
        certificate=Value(None, output_field=JSONField()),
    )


def _filtered(scope: Scope, filters: StaffFilters, now: datetime) -> tuple[QuerySet, QuerySet]:
    """Both sources with the filters applied (and only the annotations the filters need)."""
    enrolments, invitations = _enrolments(scope), _invitations(scope)
    if filters.course_id:
        enrolments = enrolments.filter(course_id=filters.course_id)
        invitations = invitations.filter(course_id=filters.course_id)
    if filters.search:
        enrolments = enrolments.filter(
            Q(user__certificate_name__icontains=filters.search) | Q(user__email__icontains=filters.search)
        )
        invitations = invitations.filter(Q(name__icontains=filters.search) | Q(email__icontains=filters.search))
    if filters.status:
        if filters.status == INVITED:
            enrolments = enrolments.none()
        else:
            enrolments = enrolments.alias(filter_state=_enrolment_state()).filter(filter_state=filters.status)
            invitations = invitations.none()
    if filters.certificate:
        enrolments = enrolments.alias(filter_certificate=_certificate_state_of_row(now))
        if filters.certificate == CERT_NONE:
            enrolments = enrolments.filter(filter_certificate__isnull=True)
        else:  # invited people have shared nothing yet, so never hold one here
            enrolments = enrolments.filter(filter_certificate__in=CERTIFICATE_FILTERS[filters.certificate])
            invitations = invitations.none()
    return enrolments, invitations


class StaffRows:
    """The filtered rows as a paginator's object list.

    ``count()`` is one lean query (no row columns computed); a page is one more.
    """

    ORDER = ("sort_name", "course_rank", "kind", "row_id")

    def __init__(self, scope: Scope, filters: StaffFilters, now: datetime):
        self.scope, self.now = scope, now
        self.enrolments, self.invitations = _filtered(scope, filters, now)

    def count(self) -> int:
        return self.enrolments.values("pk").order_by().union(self.invitations.values("pk").order_by(), all=True).count()

    def all(self) -> QuerySet:
        """Every row with all its columns, in order (the CSV export): one query."""
        return (
            _enrolment_columns(self.enrolments, self.scope, self.now).values(*COLUMNS).order_by()
            .union(_invitation_columns(self.invitations, self.scope).values(*COLUMNS).order_by(), all=True)
            .order_by(*self.ORDER)
        )

    def __getitem__(self, index: slice) -> list[dict]:
        """One query. Each side of the UNION is ordered and cut at the end of the page
        before the two are merged, so PostgreSQL works out the certificate and quizzes
        columns only for the rows that can reach the page (it evaluates such costly
        columns after a sort with a limit), not for every member of the organisation."""
        if index.stop <= index.start:  # an empty page (the paginator asks for [0:0] when there are no rows)
            return []
        sides = [
            _enrolment_columns(self.enrolments, self.scope, self.now).values(*COLUMNS).order_by(),
            _invitation_columns(self.invitations, self.scope).values(*COLUMNS).order_by(),
        ]
        sides = [side for side in sides if not side.query.is_empty()]  # a filter ruled it out
        if len(sides) < 2:
            return list(sides[0].order_by(*self.ORDER)[index]) if sides else []
        if connection.features.supports_slicing_ordering_in_compound:
            sides = [side.order_by(*self.ORDER)[: index.stop] for side in sides]
        # else SQLite (the demo): no LIMIT inside a UNION, every row's columns are worked out.
        return list(sides[0].union(sides[1], all=True).order_by(*self.ORDER)[index])


# --- what a row shows ------------------------------------------------------------------------


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
    quizzes_required: int
    certificate_status: str | None  # VALID, EXPIRING, EXPIRED, REVOKED or None
    certificate_expires_at: datetime | None
    certificate_programme: str | None
    now: datetime

    @property
    def is_invitation(self) -> bool:
        return self.kind == "invitation"

    @property
    def invitation_expired(self) -> bool:
        return self.is_invitation and self.invitation_expires_at is not None and self.invitation_expires_at <= self.now

    @property
    def status_label(self) -> str:
        label = STATUS_LABELS[self.status]
        return f"{label} (link expired)" if self.invitation_expired else label

    @property
    def certificate_label(self) -> str:
        return CERTIFICATE_LABELS.get(self.certificate_status, "None")

    @property
    def certificate_valid(self) -> bool:
        return self.certificate_status in (VALID, EXPIRING)

    @cached_property
    def status_note(self) -> str:
        """The line under the status: when they were invited (and until when the link
        works), or when they completed."""
        if self.is_invitation:
            note = f"Invited {_day(self.since)}"
            return note if self.invitation_expired else f"{note}; link valid until {_day(self.invitation_expires_at)}"
        return f"on {_day(self.completed_at)}" if self.status == COMPLETED and self.completed_at else ""

    @cached_property
    def certificate_note(self) -> str:
        if self.certificate_status is None:
            return ""
        if self.certificate_expires_at is None:
            return "Does not expire" if self.certificate_valid else ""
        when = _day(self.certificate_expires_at)
        return {EXPIRED: f"Expired {when}", REVOKED: f"Was valid until {when}"}.get(self.certificate_status, f"Until {when}")

    @cached_property
    def last_activity(self) -> str:
        return _day(self.last_activity_at) if self.last_activity_at else ""

    @property
    def progress_label(self) -> str:
        """What the progress bar is of, for screen readers (many bars on one page)."""
        return f"{self.course_title}, {self.name or self.email}"

    @property
    def assessments_label(self) -> str:
        if self.is_invitation:
            return ""
        if not self.quizzes_required:
            return "None required"
        return f"{self.quizzes_passed} of {self.quizzes_required}"


def _day(moment: datetime) -> str:
    """A date as the pages write it (3 Nov 2026), in the site's time zone."""
    return dateformat.format(timezone.localtime(moment), "j M Y")


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
        quizzes_passed=values["quizzes_passed"],
        quizzes_required=course.required_quizzes if course else 0,
        certificate_status=certificate.get("state"),
        certificate_expires_at=expires_at,
        certificate_programme=certificate.get("programme"),
        now=now,
    )


def staff_page(
    scope: Scope,
    filters: StaffFilters,
    *,
    page_number=None,
    now: datetime | None = None,
    per_page: int = PER_PAGE,
    summary: Summary | None = None,
) -> tuple[PaginatorPage, list[StaffRow]]:
    """One page of rows: the count and the page (two queries). Given the summary and no
    filter, the count is the summary's (every enrolment and pending invitation), and its
    query is saved."""
    now = now or timezone.now()
    rows = StaffRows(scope, filters, now)
    paginator = Paginator(rows, per_page)
    if summary is not None and not filters.active:
        paginator.count = summary.enrolled + summary.invited  # the cached_property, set
    page = paginator.get_page(page_number)
    return page, [to_row(values, scope, now) for values in page.object_list]


def iter_staff_rows(scope: Scope, filters: StaffFilters, *, now: datetime | None = None):
    """Every row, for the CSV export: one query, read in chunks."""
    now = now or timezone.now()
    for values in StaffRows(scope, filters, now).all().iterator(chunk_size=500):
        yield to_row(values, scope, now)


# --- the summary ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """Counts over all the organisation's staff (whatever the filters)."""

    invited: int  # pending invitations
    invitations_expired: int  # of which the link has expired
    enrolled: int  # enrolments in the organisation's courses (completed included)
    completed: int
    valid_certificates: int  # current certificates, counted once each
    expiring_soon: int  # of which expiring within ORGANISATIONS_EXPIRY_SOON_DAYS


def staff_summary(scope: Scope, *, now: datetime | None = None) -> Summary:
    """Three queries, aggregated in the database.

    Certificates are counted from the certificate side: each current certificate of an
    active member once, when its programme includes one of the organisation's courses
    that the holder is enrolled in (so a certificate covering two courses counts once).
    """
    now = now or timezone.now()
    enrolments = _enrolments(scope).aggregate(
        enrolled=Count("pk"), completed=Count("pk", filter=Q(status=Enrollment.Status.COMPLETED))
    )
    members = Membership.objects.filter(organisation_id=scope.organisation.pk, left_at__isnull=True)
    enrolled_in_programme = Enrollment.objects.filter(
        user_id=OuterRef("holder_id"), course_id__in=scope.course_ids, course__programmes=OuterRef("programme_id")
    ).exclude(status=Enrollment.Status.WITHDRAWN)
    certificates = (
        _current_certificates()
        .filter(holder_id__in=members.values("user_id"))
        .filter(Exists(enrolled_in_programme))
        .alias(state=_certificate_state(now))
        .aggregate(
            valid=Count("pk", filter=Q(state__in=[VALID, EXPIRING])), expiring=Count("pk", filter=Q(state=EXPIRING))
        )
    )
    invitations = _invitations(scope).aggregate(
        invited=Count("pk"), expired=Count("pk", filter=Q(expires_at__lte=now))
    )
    return Summary(
        invited=invitations["invited"],
        invitations_expired=invitations["expired"],
        enrolled=enrolments["enrolled"],
        completed=enrolments["completed"],
        valid_certificates=certificates["valid"],
        expiring_soon=certificates["expiring"],
    )
