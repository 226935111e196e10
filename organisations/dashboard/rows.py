"""The rows: one per person and course, from the organisation's enrolments and pending
invitations as one ``UNION ALL`` query, filtered, ordered and sliced in PostgreSQL. The
certificate and the quizzes passed are correlated subqueries in it, worked out only for
the rows a page shows."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Case, CharField, Count, DateTimeField, F, IntegerField, JSONField, OuterRef, Q, QuerySet, Subquery, Value, When,
)
from django.db.models.functions import Coalesce, JSONObject, Lower, NullIf
from django.utils import timezone

from certification.models.programme import title_in_language
from courses.models import Enrollment, QuizAttempt

from . import sources
from .display import StaffRow, to_row
from .scope import Scope
from .states import CERT_NONE, CERTIFICATE_FILTERS, COMPLETED, IN_PROGRESS, INVITED, NOT_STARTED

if TYPE_CHECKING:
    from .summary import Summary

PER_PAGE = 50


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
        sources.current_certificates()
        .filter(holder_id=OuterRef("user_id"), programme__courses=OuterRef("course_id"))
        .annotate(row_state=sources.certificate_state(now), rank=rank)
        .order_by("rank", F("expires_at").desc(nulls_first=True), "-issued_at", "-pk")
    )


def _certificate_state_of_row(now: datetime) -> Subquery:
    """The state of the row's certificate (None: no certificate), for filters and counts."""
    return Subquery(_certificates_of_row(now).values("row_state")[:1], output_field=CharField())


def _certificate_of_row(now: datetime) -> Subquery:
    """What a row shows of its certificate, as one JSON object (one subquery, not three):
    ``{"state": ..., "expires_at": ..., "programme": ...}`` or None; the programme's title
    in the reader's language where staff gave it one."""
    shown = JSONObject(state="row_state", expires_at="expires_at", programme=title_in_language("programme_id"))
    return Subquery(_certificates_of_row(now).values(shown=shown)[:1], output_field=JSONField())


def _enrolment_state():
    return Case(
        When(status=Enrollment.Status.COMPLETED, then=Value(COMPLETED)),
        When(progress_percent=0, last_activity_at__isnull=True, then=Value(NOT_STARTED)),
        default=Value(IN_PROGRESS),
        output_field=CharField(),
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
    enrolments, invitations = sources.enrolments(scope), sources.invitations(scope)
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


# --- pages and the export ---------------------------------------------------------------------


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
