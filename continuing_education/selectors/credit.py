"""How much partial credit staff may grant: never above the time actually spent.

Time on task is the enrolment's ``time_spent_seconds`` (lessons and quizzes, measured by
the server between heartbeats, kept against the course's source page). As CE hours it is
``seconds × ce_hours_per_hour / 3600``, rounded *down* to a quarter hour (boards award
quarter hours; rounding up would credit time nobody spent), and never above the hours the
approval gives the course.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.db.models import QuerySet

from accounts.models import User
from courses import languages
from courses.models import CoursePage, Enrollment

from ..models import Approval, CourseApproval
from ..models.approvals import QUARTER_HOUR

SECONDS_PER_HOUR = Decimal(3600)


def quarter_hours_down(hours: Decimal) -> Decimal:
    """``hours`` rounded down to a quarter hour (1.49 → 1.25; never negative)."""
    if hours <= 0:
        return Decimal("0.00")
    quarters = (hours / QUARTER_HOUR).to_integral_value(rounding=ROUND_FLOOR)
    return (quarters * QUARTER_HOUR).quantize(Decimal("0.01"))


def hours_for_time_spent(*, seconds: int, ce_hours_per_hour: Decimal) -> Decimal:
    return quarter_hours_down(Decimal(seconds) * ce_hours_per_hour / SECONDS_PER_HOUR)


@dataclass(frozen=True)
class PartialCreditLimit:
    """What bounds a partial grant for one learner, course and approval."""

    time_spent_seconds: int
    by_time_spent: Decimal  # the time on task as CE hours, rounded down to a quarter hour
    approved_hours: Decimal  # the course's CE hours under the approval

    @property
    def most(self) -> Decimal:
        return min(self.by_time_spent, self.approved_hours)


def partial_credit_limit(*, enrollment: Enrollment | None, course_approval: CourseApproval) -> PartialCreditLimit:
    """The limit for the learner of ``enrollment`` (None: not enrolled, so no time spent)."""
    seconds = enrollment.time_spent_seconds if enrollment is not None else 0
    return PartialCreditLimit(
        time_spent_seconds=seconds,
        by_time_spent=hours_for_time_spent(seconds=seconds, ce_hours_per_hour=course_approval.approval.ce_hours_per_hour),
        approved_hours=course_approval.hours,
    )


def is_source_course(course: CoursePage) -> bool:
    """CE belongs to a course's source page (translations share its approvals)."""
    return not languages.is_translation(course)


def source_courses() -> QuerySet[CoursePage]:
    """Courses in the default language: the only ones that carry CE hours."""
    locale_id = languages.default_locale_id()
    return CoursePage.objects.filter(locale_id=locale_id).order_by("title")


def approved_courses() -> QuerySet[CoursePage]:
    """Source courses approved under at least one approval."""
    return source_courses().filter(ce_approvals__isnull=False).distinct()


def course_approval(*, course: CoursePage, approval: Approval) -> CourseApproval | None:
    return CourseApproval.objects.select_related("approval__body").filter(course=course, approval=approval).first()


@dataclass(frozen=True)
class LearnerCourseCredit:
    course_approval: CourseApproval
    limit: PartialCreditLimit
    has_certificate: bool


def learner_partial_credit(*, user: User) -> list[LearnerCourseCredit]:
    """For the grant page: each approved course the learner is enrolled in, under each of
    its approvals, with the most partial credit their time allows (three queries)."""
    enrollments = {e.course_id: e for e in Enrollment.objects.filter(user=user, course__ce_approvals__isnull=False).distinct()}
    held = set(user.ce_certificates.values_list("course_id", "approval_id"))
    rows = (
        CourseApproval.objects.filter(course_id__in=enrollments)
        .select_related("approval__body", "course")
        .order_by("course__title", "approval__body__name", "-approval__approved_until")
    )
    return [
        LearnerCourseCredit(
            course_approval=row,
            limit=partial_credit_limit(enrollment=enrollments[row.course_id], course_approval=row),
            has_certificate=(row.course_id, row.approval_id) in held,
        )
        for row in rows
    ]
