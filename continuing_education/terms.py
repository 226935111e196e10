"""Courses' CE terms as pages show them (hours, bodies, rules), kept in the content caches.

The catalogue, course and lesson pages show a course's CE hours and the time on task it
requires. Lessons are the most visited pages and are held to the queries they had before
(``courses.content_cache``): so every course's terms are read in two queries (the
approvals, and their courses' required quizzes' pass marks) and kept under the content
version, in the shared cache and in this process's memory, like lesson
routes. Any change of a body, an approval or a course's hours bumps the content version
(``invalidate_on_change``, connected in ``apps.py``), as does any page's (a quiz's pass
mark: ``courses/signals.py``), so a page shows a change at once.

Terms are keyed by the course's ``translation_key``: every language of a course shares
its source page's approvals (``courses.languages``), and a translated page finds them
without asking which page is its source. Whether an approval is current is decided when
the page is shown (``current_terms``), not when the terms were kept.
"""
import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import reduce
from operator import or_
from uuid import UUID

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from courses import content_cache
from courses.models import QuizPage

from .models import AccreditingBody, Approval, CourseApproval

CACHE_KEY = "ce:terms:{version}"


@dataclass(frozen=True)
class Terms:
    """One approval's CE hours for a course, and the rules a learner must meet for them."""

    approval_id: int
    body_name: str
    body_short_name: str
    body_website: str
    provider_number: str
    hours: Decimal
    approved_from: date
    approved_until: date
    ce_hours_per_hour: Decimal
    daily_cap_hours: Decimal
    time_on_task_percent: int
    passing_score_percent: int
    requires_evaluation: bool
    # The lowest pass mark of the course's required quizzes; None when it has none (then
    # the passing score asks nothing). A passed quiz cannot be taken again, so a passing
    # score above it must be told before the quiz (``score_above_pass_mark``).
    lowest_pass_mark: int | None = None

    @property
    def body_display_name(self) -> str:
        return self.body_short_name or self.body_name

    @property
    def has_quizzes(self) -> bool:
        return self.lowest_pass_mark is not None

    @property
    def score_above_pass_mark(self) -> bool:
        return self.lowest_pass_mark is not None and self.passing_score_percent > self.lowest_pass_mark

    @property
    def required_seconds(self) -> int:
        """Time on task required: hours / CE hours per hour × 3600 × percent / 100
        (rounded up to the second: never a second less than the rule)."""
        exact = self.hours / self.ce_hours_per_hour * 3600 * self.time_on_task_percent / 100
        return math.ceil(exact)

    def is_current_on(self, day: date) -> bool:
        return self.approved_from <= day <= self.approved_until


def _build() -> dict[UUID, tuple[Terms, ...]]:
    # Approvals ended more than a day ago are left out (the kept copy is rebuilt at least
    # every CACHE_SECONDS); the day's margin covers every time zone's "today".
    since = timezone.now().date() - timedelta(days=1)
    rows = (
        CourseApproval.objects.filter(approval__approved_until__gte=since)
        .select_related("approval__body", "course")
        .only(
            "hours", "course__translation_key", "approval__provider_number", "approval__approved_from",
            "approval__approved_until", "approval__ce_hours_per_hour", "approval__daily_cap_hours",
            "approval__time_on_task_percent", "approval__passing_score_percent", "approval__requires_evaluation",
            "approval__body__name", "approval__body__short_name", "approval__body__website", "course__path",
        )
        .order_by("approval__body__name", "approval__approved_from", "pk")
    )
    rows = list(rows)
    marks = _lowest_pass_marks({row.course.path for row in rows})
    found: dict[UUID, list[Terms]] = {}
    for row in rows:
        approval, body = row.approval, row.approval.body
        found.setdefault(row.course.translation_key, []).append(
            Terms(
                approval_id=approval.pk, body_name=body.name, body_short_name=body.short_name,
                body_website=body.website, provider_number=approval.provider_number, hours=row.hours,
                approved_from=approval.approved_from, approved_until=approval.approved_until,
                ce_hours_per_hour=approval.ce_hours_per_hour, daily_cap_hours=approval.daily_cap_hours,
                time_on_task_percent=approval.time_on_task_percent,
                passing_score_percent=approval.passing_score_percent,
                requires_evaluation=approval.requires_evaluation,
                lowest_pass_mark=marks.get(row.course.path),
            )
        )
    return {key: tuple(terms) for key, terms in found.items()}


def _lowest_pass_marks(course_paths: set[str]) -> dict[str, int]:
    """The lowest pass mark of each course's live required quizzes (as eligibility counts
    them), by the course's path: one query for every approved course."""
    if not course_paths:
        return {}
    quizzes = QuizPage.objects.live().filter(required=True).filter(
        reduce(or_, [Q(path__startswith=path) for path in course_paths])
    )
    marks: dict[str, int] = {}
    for path, pass_mark in quizzes.values_list("path", "pass_mark"):
        course_path = next(p for p in course_paths if path.startswith(p))
        marks[course_path] = min(pass_mark, marks.get(course_path, pass_mark))
    return marks


def all_terms(request: HttpRequest | None = None) -> dict[UUID, tuple[Terms, ...]]:
    """Every course's terms (approvals not long ended), by translation key: no query
    once kept (the content version is read once per request)."""
    key = CACHE_KEY.format(version=content_cache.content_version(request))
    return content_cache.get_or_build(key, _build, content_cache.CACHE_SECONDS)


def current_terms(translation_key: UUID, request: HttpRequest | None = None, day: date | None = None) -> list[Terms]:
    """A course's terms under approvals current today (the site's day)."""
    day = day or timezone.localdate()
    return [t for t in all_terms(request).get(translation_key, ()) if t.is_current_on(day)]


def invalidate_on_change(sender: type, **kwargs) -> None:
    """A body, approval or course's hours changed: every page shows it on its next request
    (now, and again once committed, so a request that read the old rows in between does not
    leave them kept, as for pages: ``courses/signals.py``)."""
    content_cache.invalidate()
    transaction.on_commit(content_cache.invalidate)


WATCHED = (AccreditingBody, Approval, CourseApproval)


@dataclass(frozen=True)
class TimeOnTask:
    """A learner's measured time on task in a course against what CE requires (the most
    any current approval of the course requires)."""

    spent_seconds: int
    required_seconds: int

    @property
    def left_seconds(self) -> int:
        return max(0, self.required_seconds - self.spent_seconds)

    @property
    def met(self) -> bool:
        return self.spent_seconds >= self.required_seconds

    @property
    def spent_text(self) -> str:
        return duration_text(self.spent_seconds)

    @property
    def required_text(self) -> str:
        return duration_text(self.required_seconds, round_up=True)

    @property
    def left_text(self) -> str:
        # Rounded up: "0 min left" only once nothing is left.
        return duration_text(self.left_seconds, round_up=True)


def time_on_task(terms: list[Terms], spent_seconds: int) -> TimeOnTask | None:
    if not terms:
        return None
    return TimeOnTask(spent_seconds=spent_seconds, required_seconds=max(t.required_seconds for t in terms))


def duration_formats() -> dict[str, str]:
    """The patterns durations are written in, in the current language (the lesson page's
    script writes updated times with the same words)."""
    return {"hours": gettext("{hours} h {minutes} min"), "minutes": gettext("{minutes} min")}


def duration_text(seconds: int, *, round_up: bool = False) -> str:
    total_minutes = -(-seconds // 60) if round_up else seconds // 60
    hours, minutes = divmod(total_minutes, 60)
    formats = duration_formats()
    if hours:
        return formats["hours"].format(hours=hours, minutes=minutes)
    return formats["minutes"].format(minutes=minutes)
