"""The organisation's courses, and the quizzes its staff must pass in each."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from courses import restrictions
from courses.models import CoursePage
from courses.outline import Outline, build_outlines

from ..models import Invitation, Organisation
from ..selectors import seat_pools


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
    quizzes: one query, and one more for the courses whose outlines are not in the cache,
    whatever the number of staff or courses."""
    # Pools that have held a place: not one left empty by a seat order Stripe never took.
    pools = seat_pools(organisation).values("course_id")
    invited = Invitation.objects.filter(
        organisation=organisation, status=Invitation.Status.PENDING, course__isnull=False
    ).values("course_id")
    courses = list(
        CoursePage.objects.filter(Q(pk__in=pools) | Q(pk__in=invited))
        .order_by("title", "pk")
        .only("title", "path", "depth", "url_path")  # what an outline is read with
    )
    outlines = build_outlines(courses)
    required = {course.pk: required_quizzes(outlines[course.pk], partner=organisation.is_partner) for course in courses}
    return Scope(
        organisation=organisation,
        courses=[CourseRef(course.pk, course.title, len(required[course.pk])) for course in courses],
        required_quiz_ids={quiz for ids in required.values() for quiz in ids},
    )


def required_quizzes(outline: Outline, *, partner: bool) -> set[int]:
    """The quizzes of the course that completing it asks of the organisation's staff,
    counted as completion counts them (``courses.services.enrollment_refresh_progress``):
    the outline's required items (live, in a live module or directly in the course) less
    those closed to them (``courses.restrictions``: a partners-only module's, unless the
    organisation is a partner, which makes its active members partners).

    The organisation's status decides, not each person's: a member who is also in a
    partner organisation elsewhere is counted like their colleagues, so the count reveals
    nothing about their other memberships.
    """
    required = outline.required_ids - restrictions.closed_item_ids_for(outline, partner=partner)
    return {item_id for item_id in required if outline.by_id[item_id].kind == "quiz"}
