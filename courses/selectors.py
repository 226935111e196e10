"""Reads for the learning views. Each returns what its template needs in constant queries."""
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import connection

from . import restrictions
from .models import CourseIndexPage, CoursePage, Enrollment, LessonProgress, QuizAttempt, ReflectionAnswer
from .outline import Outline, OutlineItem, build_outline


def catalogue_courses(*, index: CourseIndexPage | None = None):
    courses = CoursePage.objects.live().public().select_related("cover_image")
    if index is not None:
        courses = courses.child_of(index)
    return courses.order_by("path")


def enrollment_ids_in_course(*, course_id: int) -> Iterator[int]:
    """The ids of a course's enrolments that are not withdrawn, streamed (a large course
    fans out one task per enrolment)."""
    ids = Enrollment.objects.filter(course_id=course_id).exclude(status=Enrollment.Status.WITHDRAWN)
    return ids.values_list("id", flat=True).iterator()


def enrollments_by_course(*, user) -> dict[int, Enrollment]:
    if not user.is_authenticated:
        return {}
    return {e.course_id: e for e in Enrollment.objects.filter(user=user)}


def _enrollment_sql(*, with_lesson: bool) -> str:
    """PostgreSQL: the enrolment with the lessons completed and quizzes passed, in one
    query (as ``.first()`` would: ordered by id, one row). ``with_lesson`` adds what the
    lesson page needs of ``%(lesson_id)s``: when the learner last had it open, and their
    answers to its reflection prompts (block ids and texts, in the same order).

    Written as SQL because it runs on every learning page: built with the ORM's
    ArraySubquery annotations it cost 2.1 ms of CPU per call, nearly all of it building and
    compiling the queryset; through ``raw`` it costs 0.24 ms. Table names come from the
    models; the tests run it against PostgreSQL."""
    enrollment, progress, attempt, answer = (
        model._meta.db_table for model in (Enrollment, LessonProgress, QuizAttempt, ReflectionAnswer)
    )
    lesson_columns = f""",
        (SELECT p.last_seen_at FROM {progress} p
          WHERE p.enrollment_id = e.id AND p.lesson_id = %(lesson_id)s LIMIT 1) AS lesson_last_seen_at,
        ARRAY(SELECT r.block_id FROM {answer} r
               WHERE r.user_id = e.user_id AND r.lesson_id = %(lesson_id)s ORDER BY r.id) AS reflection_block_ids,
        ARRAY(SELECT r.text FROM {answer} r
               WHERE r.user_id = e.user_id AND r.lesson_id = %(lesson_id)s ORDER BY r.id) AS reflection_texts"""
    return f"""
        SELECT e.*,
        ARRAY(SELECT p.lesson_id FROM {progress} p
               WHERE p.enrollment_id = e.id AND p.completed_at IS NOT NULL) AS completed_lesson_ids,
        ARRAY(SELECT a.quiz_id FROM {attempt} a WHERE a.enrollment_id = e.id AND a.passed) AS passed_quiz_ids
        {lesson_columns if with_lesson else ""}
        FROM {enrollment} e
        WHERE e.user_id = %(user_id)s AND e.course_id = %(course_id)s
        ORDER BY e.id LIMIT 1"""


_ENROLLMENT_SQL = _enrollment_sql(with_lesson=False)
_ENROLLMENT_FOR_LESSON_SQL = _enrollment_sql(with_lesson=True)


def _read_enrollment(sql: str, params: dict) -> Enrollment | None:
    """Run one of the queries above: the enrolment with ``prefetched_completed_ids``."""
    enrollment = next(iter(Enrollment.objects.raw(sql, params)), None)
    if enrollment is not None:
        enrollment.prefetched_completed_ids = set(enrollment.completed_lesson_ids) | set(enrollment.passed_quiz_ids)
    return enrollment


def enrollment_for(*, user, course_id: int) -> Enrollment | None:
    """The learner's enrolment in a course. On PostgreSQL it comes with the lessons they
    completed and quizzes they passed (``prefetched_completed_ids``), read in the same
    query: every learning page needs both."""
    if not user.is_authenticated:
        return None
    if connection.vendor != "postgresql":
        return Enrollment.objects.filter(user=user, course_id=course_id).first()
    return _read_enrollment(_ENROLLMENT_SQL, {"user_id": user.pk, "course_id": course_id})


def enrollment_for_lesson(*, user, course_id: int, lesson_id: int) -> Enrollment | None:
    """``enrollment_for``, and on PostgreSQL in the same query what the lesson page needs
    of the lesson: ``prefetched_last_seen`` (the lesson's id and when the learner last had
    it open, None if never: see ``services.lesson_view_record``) and
    ``prefetched_reflections`` (see ``reflection_answers``). One query instead of three."""
    if not user.is_authenticated:
        return None
    if connection.vendor != "postgresql":
        return enrollment_for(user=user, course_id=course_id)
    params = {"user_id": user.pk, "course_id": course_id, "lesson_id": lesson_id}
    enrollment = _read_enrollment(_ENROLLMENT_FOR_LESSON_SQL, params)
    if enrollment is not None:
        enrollment.prefetched_last_seen = (lesson_id, enrollment.lesson_last_seen_at)
        enrollment.prefetched_reflections = (
            lesson_id, dict(zip(enrollment.reflection_block_ids, enrollment.reflection_texts, strict=True))
        )
    return enrollment


def course_for_page(page, *, live: bool = True) -> CoursePage | None:
    """The (live) course a lesson or quiz page belongs to, in one query. Authors' previews
    ask with ``live=False``: a course being written is not published yet."""
    courses = CoursePage.objects.live() if live else CoursePage.objects.all()
    return courses.ancestor_of(page).first()


def completed_item_ids(*, enrollment: Enrollment | None) -> set[int]:
    """Lessons the learner completed and quizzes they passed, in one query."""
    if enrollment is None:
        return set()
    return completed_item_ids_by_enrollment([enrollment.id]).get(enrollment.id, set())


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
    user: Any = None
    request: Any = None
    open_all: bool = False  # an author's preview: nothing locked or closed
    course_url: str = ""  # the course's URL, as the outline's items' URLs start

    @cached_property
    def closed_ids(self) -> frozenset[int]:
        if self.open_all:
            return frozenset()
        return restrictions.closed_item_ids(self.outline, self.user, request=self.request)

    def _skip(self, ids) -> frozenset[int]:
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
    state: "CourseState", *, current_id: int | None = None, only_current: bool = False
) -> list[ModuleView]:
    """The outline with each item's status, module by module (course-level quizzes last).

    ``only_current``: just the module holding ``current_id`` (lesson pages: their cost and
    size then follow the module's length, not the course's).
    """

    def row(item):
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


def new_since_completion(*, enrollment: Enrollment | None, required_ids: set[int], completed_ids: set[int]) -> frozenset[int]:
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
    *, course: CoursePage, user, request=None, enrollment=False, open_all: bool = False, course_url: str | None = None
) -> CourseState:
    """``enrollment`` may be passed in when the caller already has it (saves a query),
    and ``course_url``, the course's URL for this request (saves working it out);
    ``open_all``: an author's preview, where nothing is locked or closed."""
    if enrollment is False:
        enrollment = enrollment_for(user=user, course_id=course.id)
    if course_url is None:
        course_url = course.get_url(request)
    outline = build_outline(course, course_url=course_url, request=request)
    completed = getattr(enrollment, "prefetched_completed_ids", None)
    if completed is None:
        completed = completed_item_ids(enrollment=enrollment)
    return CourseState(
        course=course, outline=outline, enrollment=enrollment, completed_ids=completed, user=user, request=request,
        open_all=open_all, course_url=course_url,
    )


def dashboard_enrollments(*, user):
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


def dashboard_rows(*, user, request=None) -> list[DashboardRow]:
    """My learning: each enrolment with the item to continue with, by the course page's own
    rule (``CourseState.continue_item``: the last lesson opened if it is not finished, else
    the first open item), so both pages send the learner to the same place. Two queries
    whatever the number of courses once their outlines are cached (each outline missing
    from the cache costs one more)."""
    enrollments = list(dashboard_enrollments(user=user))
    active = {e.id for e in enrollments if e.status == Enrollment.Status.ACTIVE}
    completed = completed_item_ids_by_enrollment(list(active))
    rows = []
    for enrollment in enrollments:
        row = DashboardRow(enrollment=enrollment)
        if enrollment.id in active and (enrollment.last_lesson_id or completed.get(enrollment.id)):
            enrollment.prefetched_completed_ids = completed.get(enrollment.id, set())
            state = course_state(course=enrollment.course, user=user, request=request, enrollment=enrollment)
            row.started, row.next_item = True, state.next_open_item
        rows.append(row)
    return rows


def completed_item_ids_by_enrollment(enrollment_ids: list[int]) -> dict[int, set[int]]:
    """``completed_item_ids`` for many enrolments in one query."""
    if not enrollment_ids:
        return {}
    # No ordering in either part: SQLite refuses ORDER BY inside a compound statement.
    lessons = (
        LessonProgress.objects.filter(enrollment_id__in=enrollment_ids, completed_at__isnull=False)
        .order_by()
        .values_list("enrollment_id", "lesson_id")
    )
    quizzes = (
        QuizAttempt.objects.filter(enrollment_id__in=enrollment_ids, passed=True)
        .order_by()
        .values_list("enrollment_id", "quiz_id")
    )
    done: dict[int, set[int]] = {}
    for enrollment_id, item_id in lessons.union(quizzes, all=True):
        done.setdefault(enrollment_id, set()).add(item_id)
    return done


def reflection_answers(*, user, page, enrollment: Enrollment | None = None) -> dict[str, str]:
    """The learner's own answers to a lesson's reflection prompts (none asked: no query;
    none either when ``enrollment``, the learner's, was read with them by
    ``enrollment_for_lesson``)."""
    if not any(block.block_type == "reflection" for block in getattr(page, "body", ())):
        return {}
    prefetched = getattr(enrollment, "prefetched_reflections", None)
    if prefetched is not None and prefetched[0] == page.id and enrollment.user_id == user.pk:
        return prefetched[1]
    return dict(ReflectionAnswer.objects.filter(user=user, lesson_id=page.id).values_list("block_id", "text"))
