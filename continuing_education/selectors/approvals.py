"""An approval's state as staff read it, and the approvals that lapse soon.

An approval covers its last day entirely (``approved_from ≤ day ≤ approved_until``), so it
"lapses in 0 days" on that day and is lapsed the day after. "Soon" is within the approval's
first warning (its largest ``warn_days`` threshold): staff see it in the approvals listing
and on the admin's dashboard from the day the first warning email goes out.

``quizzes_below_passing_score``: the required quizzes of an approval's courses that pass
below its passing score, which staff are warned of (a passed quiz cannot be taken again).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.utils import timezone

from courses.models import QuizPage

from ..models import Approval, CourseApproval

CURRENT, LAPSING, LAPSED, NOT_YET = "current", "lapsing", "lapsed", "not_yet"


@dataclass(frozen=True)
class ApprovalState:
    kind: str  # CURRENT, LAPSING, LAPSED or NOT_YET
    days_left: int  # until the last day covered (negative once lapsed)


def approval_state(approval: Approval, today: date | None = None) -> ApprovalState:
    today = today or timezone.localdate()
    days_left = (approval.approved_until - today).days
    if days_left < 0:
        return ApprovalState(LAPSED, days_left)
    if today < approval.approved_from:
        return ApprovalState(NOT_YET, days_left)
    thresholds = approval.warn_thresholds
    if thresholds and days_left <= thresholds[0]:
        return ApprovalState(LAPSING, days_left)
    return ApprovalState(CURRENT, days_left)


def approvals_in_force(today: date | None = None) -> QuerySet[Approval]:
    """Approvals not lapsed yet (current or still to start), with their body."""
    today = today or timezone.localdate()
    return Approval.objects.filter(approved_until__gte=today).select_related("body").order_by("approved_until", "pk")


def approvals_lapsing_soon(today: date | None = None) -> list[tuple[Approval, ApprovalState]]:
    """Current approvals within their first warning, soonest first (one query: the
    thresholds are text per approval, and approvals are few)."""
    today = today or timezone.localdate()
    found = []
    for approval in approvals_in_force(today).filter(approved_from__lte=today):
        state = approval_state(approval, today)
        if state.kind == LAPSING:
            found.append((approval, state))
    return found


def ids_in_state(kind: str, today: date | None = None) -> list[int]:
    """The approvals in one state (the listing's filter)."""
    today = today or timezone.localdate()
    return [a.pk for a in Approval.objects.all() if approval_state(a, today).kind == kind]


@dataclass(frozen=True)
class QuizBelow:
    """A required quiz of an approval's course whose pass mark is below the approval's
    passing score: a learner who passes it in between completes the course, cannot take
    the quiz again, and so cannot earn the CE hours (short of a regrade)."""

    course_title: str
    quiz_title: str
    pass_mark: int


def quizzes_below_passing_score(*, approval: Approval) -> list[QuizBelow]:
    """The live required quizzes of the approval's courses that pass below its passing
    score, by course and in the course's order (two queries)."""
    courses = {
        row.course.path: row.course.title
        for row in CourseApproval.objects.filter(approval=approval).select_related("course").only("course__path", "course__title")
    }
    if not courses:
        return []
    quizzes = (
        QuizPage.objects.live().filter(required=True, pass_mark__lt=approval.passing_score_percent)
        .filter(reduce(or_, [Q(path__startswith=path) for path in courses])).order_by("path")
    )
    found = []
    for path, title, pass_mark in quizzes.values_list("path", "title", "pass_mark"):
        course_path = next(p for p in courses if path.startswith(p))
        found.append(QuizBelow(courses[course_path], title, pass_mark))
    return sorted(found, key=lambda q: q.course_title)
