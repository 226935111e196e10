"""My learning: the learner's enrolments, each with where to continue."""
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import User

from .. import languages
from ..models import Enrollment
from ..outline import OutlineItem
from .enrolments import completed_item_ids_by_enrollment
from .state import course_state


def dashboard_enrollments(*, user: User) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.filter(user=user)
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .select_related("course")
        .order_by("-last_activity_at", "-enrolled_at")
    )


@dataclass
class DashboardRow:
    enrollment: Enrollment
    started: bool = False  # a lesson opened or an item done
    next_item: OutlineItem | None = None  # where "continue" leads (None: nothing left open)
    course_title: str = ""  # the course's title and URL in the language being read
    course_url: str = ""


def dashboard_rows(*, user: User, request: HttpRequest | None = None) -> list[DashboardRow]:
    """My learning: each enrolment with the item to continue with, by the course page's own
    rule (``CourseState.continue_item``: the last lesson opened if it is not finished, else
    the first open item), so both pages send the learner to the same place. Two queries
    whatever the number of courses once their outlines are cached (each outline missing
    from the cache costs one more)."""
    enrollments = list(dashboard_enrollments(user=user))
    active = {e.id for e in enrollments if e.status == Enrollment.Status.ACTIVE}
    completed = completed_item_ids_by_enrollment(list(active))
    translated = languages.translations_of([e.course for e in enrollments], request)
    rows = []
    for enrollment in enrollments:
        shown = translated.get(enrollment.course_id)
        if shown is not None:
            row = DashboardRow(enrollment=enrollment, course_title=shown.title, course_url=shown.get_url(request))
        else:
            row = DashboardRow(
                enrollment=enrollment, course_title=enrollment.course.title,
                course_url=languages.in_active_language(enrollment.course.get_url(request)),
            )
        if enrollment.id in active and (enrollment.last_lesson_id or completed.get(enrollment.id)):
            enrollment.prefetched_completed_ids = completed.get(enrollment.id, set())
            state = course_state(course=enrollment.course, user=user, request=request, enrollment=enrollment)
            row.started, row.next_item = True, state.next_open_item
        rows.append(row)
    return rows
