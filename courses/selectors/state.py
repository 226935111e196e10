"""A learner's place in a course as the course and lesson pages show it: the outline with
each item's status, progress, what is locked, closed or new, and where to continue."""
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from accounts.models import User

from .. import languages, restrictions
from ..models import CoursePage, Enrollment
from ..outline import Outline, OutlineItem, build_outline
from .enrolments import completed_item_ids, enrollment_for


@dataclass
class CourseState:
    """Everything a course or lesson page shows about a learner's place in a course.

    Items of a partners-only module are closed to a learner who is not a member of a
    partner organisation (``closed_ids``): they cannot open them, and those items neither
    count towards completing the course nor hold up a course taken in order. Whether the
    learner is a partner is only asked when an answer depends on it, so a course without
    partners-only modules costs no query for it.
    """

    course: CoursePage
    outline: Outline
    enrollment: Enrollment | None
    completed_ids: set[int] = field(default_factory=set)
    user: User | AnonymousUser | None = None
    request: HttpRequest | None = None
    open_all: bool = False  # an author's preview: nothing locked or closed
    course_url: str = ""  # the course's URL, as the outline's items' URLs start

    @cached_property
    def closed_ids(self) -> frozenset[int]:
        if self.open_all:
            return frozenset()
        return restrictions.closed_item_ids(self.outline, self.user, request=self.request)

    def _skip(self, ids: Iterable[int]) -> frozenset[int]:
        """``closed_ids`` when any of ``ids`` is a partners-only item, else nothing (and no query)."""
        return self.closed_ids if self.outline.partner_item_ids.intersection(ids) else frozenset()

    @property
    def finished(self) -> bool:
        """Whether the learner completed the course (see ``new_since_completion``)."""
        return self.enrollment is not None and self.enrollment.status == Enrollment.Status.COMPLETED

    @cached_property
    def locked_ids(self) -> set[int]:
        # Nothing is locked once the course is complete: what was added since is optional.
        if self.open_all or not self.course.sequential or self.finished:
            return set()
        blocker = self.outline.blocker(completed_ids=self.completed_ids)
        skip = self._skip([blocker.id]) if blocker else frozenset()
        return self.outline.locked_ids(sequential=True, completed_ids=self.completed_ids, skip=skip)

    @cached_property
    def _required_open(self) -> set[int]:
        """The course's required items this learner may open."""
        required = self.outline.required_ids
        return required - self._skip(required)

    @cached_property
    def new_ids(self) -> frozenset[int]:
        """Required items published since the learner completed the course: shown as new,
        optional for them (``new_since_completion``)."""
        if not self.finished:  # nothing to work out (nor to ask about partners)
            return frozenset()
        return new_since_completion(
            enrollment=self.enrollment, required_ids=self._required_open, completed_ids=self.completed_ids
        )

    @cached_property
    def required_ids(self) -> set[int]:
        """What completing the course asks of this learner (less ``new_ids``)."""
        return self._required_open - self.new_ids

    @property
    def required_total(self) -> int:
        return len(self.required_ids)

    @property
    def required_done(self) -> int:
        return len(self.required_ids & self.completed_ids)

    @property
    def percent(self) -> int:
        return 100 if self.finished else progress_percent(self.required_done, self.required_total)

    @property
    def lessons_finished(self) -> bool:
        """Every required lesson done (quizzes may be left): from here the course page, the
        message after the last lesson and the quiz result say what is left
        (``courses.next_steps``)."""
        if self.enrollment is None:
            return False
        if self.finished:
            return True
        left = self.required_ids - self.completed_ids
        return bool(self.required_ids) and not any(self.outline.by_id[i].kind == "lesson" for i in left)

    @property
    def continue_item(self) -> OutlineItem | None:
        skip = self._skip(self.outline.partner_item_ids)
        if self.enrollment and self.enrollment.last_lesson_id in self.outline.by_id:
            last = self.outline.by_id[self.enrollment.last_lesson_id]
            if last.id not in self.completed_ids and last.id not in skip:
                return last
        return self.outline.first_open_item(completed_ids=self.completed_ids, skip=skip)

    @property
    def next_open_item(self) -> OutlineItem | None:
        """``continue_item`` while something is left to do; None once every item is done
        (where ``continue_item`` falls back to the course's first item, to read again)."""
        item = self.continue_item
        return item if item is not None and item.id not in self.completed_ids else None


@dataclass
class OutlineRow:
    """One outline entry as a template shows it: its status already worked out."""

    item: OutlineItem
    status: str  # "done", "closed" (partners only), "locked" or "open"
    current: bool
    new: bool = False  # published since the learner completed the course (optional for them)


@dataclass
class ModuleView:
    id: int | None
    title: str | None
    rows: list[OutlineRow]
    partners_only: bool = False


def outline_view(
    state: CourseState, *, current_id: int | None = None, only_current: bool = False
) -> list[ModuleView]:
    """The outline with each item's status, module by module (course-level quizzes last).

    ``only_current``: just the module holding ``current_id`` (lesson pages: their cost and
    size then follow the module's length, not the course's).
    """

    def row(item: OutlineItem) -> OutlineRow:
        if item.id in state.completed_ids:
            status = "done"
        elif item.partners_only and item.id in state.closed_ids:
            status = "closed"
        elif item.id in state.locked_ids:
            status = "locked"
        else:
            status = "open"
        return OutlineRow(item=item, status=status, current=item.id == current_id, new=item.id in state.new_ids)

    groups = [(m.id, m.title, m.items, m.partners_only) for m in state.outline.modules]
    if state.outline.loose_items:
        groups.append((None, None, state.outline.loose_items, False))
    if only_current:
        groups = [g for g in groups if any(item.id == current_id for item in g[2])]
    return [
        ModuleView(id=module_id, title=title, rows=[row(i) for i in items], partners_only=partners)
        for module_id, title, items, partners in groups
    ]


def progress_percent(done: int, total: int) -> int:
    if total == 0:
        return 0
    return min(100, (100 * done) // total)


def new_since_completion(
    *, enrollment: Enrollment | None, required_ids: set[int], completed_ids: set[int]
) -> frozenset[int]:
    """The one rule for content published after a learner completed a course.

    Completion once reached stands: a completed enrolment counts as 100% on every page,
    email and report (the database holds it to that: ``enrollment_completed_is_100``),
    and the required items it has not done (lessons and quizzes published, or made
    required, since) are "new since you finished": open, optional for this learner,
    never locking anything. For an enrolment not completed, nothing is new."""
    if enrollment is None or enrollment.status != Enrollment.Status.COMPLETED:
        return frozenset()
    return frozenset(required_ids - completed_ids)


def course_state(
    *,
    course: CoursePage,
    user: User | AnonymousUser,
    request: HttpRequest | None = None,
    enrollment: Enrollment | None | Literal[False] = False,
    open_all: bool = False,
    course_url: str | None = None,
) -> CourseState:
    """``enrollment`` may be passed in when the caller already has it (saves a query),
    and ``course_url``, the course's URL for this request (saves working it out);
    ``open_all``: an author's preview, where nothing is locked or closed. ``course`` is
    the source course (``courses.languages.source_page``): the outline's titles and links
    follow the active language, its ids and the learner's progress are the source's."""
    if enrollment is False:
        enrollment = enrollment_for(user=user, course_id=course.id)
    if course_url is None:
        course_url = course.get_url(request)
    outline = build_outline(course, course_url=course_url, request=request)
    outline = languages.localize_outline(outline, course=course, course_url=course_url, request=request)
    course_url = outline.course_url or course_url
    completed = getattr(enrollment, "prefetched_completed_ids", None)
    if completed is None:
        completed = completed_item_ids(enrollment=enrollment)
    return CourseState(
        course=course, outline=outline, enrollment=enrollment, completed_ids=completed, user=user, request=request,
        open_all=open_all, course_url=course_url,
    )
