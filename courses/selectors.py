"""Reads for the learning views. Each returns what its template needs in constant queries."""
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import OuterRef

from .models import CourseIndexPage, CoursePage, Enrollment, LessonProgress, QuizAttempt, ReflectionAnswer
from .outline import Outline, OutlineItem, build_outline


def catalogue_courses(*, index: CourseIndexPage | None = None):
    courses = CoursePage.objects.live().public().select_related("cover_image")
    if index is not None:
        courses = courses.child_of(index)
    return courses.order_by("path")


def enrollments_by_course(*, user) -> dict[int, Enrollment]:
    if not user.is_authenticated:
        return {}
    return {e.course_id: e for e in Enrollment.objects.filter(user=user)}


def enrollment_for(*, user, course_id: int) -> Enrollment | None:
    """The learner's enrolment in a course. On PostgreSQL it comes with the lessons they
    completed and quizzes they passed (``prefetched_completed_ids``), read in the same
    query: every learning page needs both."""
    if not user.is_authenticated:
        return None
    enrollments = Enrollment.objects.filter(user=user, course_id=course_id)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.expressions import ArraySubquery

        enrollments = enrollments.annotate(
            completed_lesson_ids=ArraySubquery(
                LessonProgress.objects.filter(enrollment=OuterRef("pk"), completed_at__isnull=False).values("lesson_id")
            ),
            passed_quiz_ids=ArraySubquery(
                QuizAttempt.objects.filter(enrollment=OuterRef("pk"), passed=True).values("quiz_id")
            ),
        )
    enrollment = enrollments.first()
    if enrollment is not None and hasattr(enrollment, "completed_lesson_ids"):
        enrollment.prefetched_completed_ids = set(enrollment.completed_lesson_ids) | set(enrollment.passed_quiz_ids)
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
    # No ordering in either part: SQLite refuses ORDER BY inside a compound statement.
    lessons = (
        LessonProgress.objects.filter(enrollment=enrollment, completed_at__isnull=False)
        .order_by()
        .values_list("lesson_id", flat=True)
    )
    quizzes = QuizAttempt.objects.filter(enrollment=enrollment, passed=True).order_by().values_list("quiz_id", flat=True)
    return set(lessons.union(quizzes, all=True))


@dataclass
class CourseState:
    """Everything a course or lesson page shows about a learner's place in a course."""

    course: CoursePage
    outline: Outline
    enrollment: Enrollment | None
    completed_ids: set[int] = field(default_factory=set)
    locked_ids: set[int] = field(default_factory=set)

    @property
    def required_total(self) -> int:
        return len(self.outline.required_ids)

    @property
    def required_done(self) -> int:
        return len(self.outline.required_ids & self.completed_ids)

    @property
    def percent(self) -> int:
        return progress_percent(self.required_done, self.required_total)

    @property
    def continue_item(self) -> OutlineItem | None:
        if self.enrollment and self.enrollment.last_lesson_id in self.outline.by_id:
            last = self.outline.by_id[self.enrollment.last_lesson_id]
            if last.id not in self.completed_ids:
                return last
        return self.outline.first_open_item(completed_ids=self.completed_ids)


@dataclass
class OutlineRow:
    """One outline entry as a template shows it: its status already worked out."""

    item: OutlineItem
    status: str  # "done", "locked" or "open"
    current: bool


@dataclass
class ModuleView:
    id: int | None
    title: str | None
    rows: list[OutlineRow]


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
        elif item.id in state.locked_ids:
            status = "locked"
        else:
            status = "open"
        return OutlineRow(item=item, status=status, current=item.id == current_id)

    groups = [(m.id, m.title, m.items) for m in state.outline.modules]
    if state.outline.loose_items:
        groups.append((None, None, state.outline.loose_items))
    if only_current:
        groups = [g for g in groups if any(item.id == current_id for item in g[2])]
    return [ModuleView(id=module_id, title=title, rows=[row(i) for i in items]) for module_id, title, items in groups]


def progress_percent(done: int, total: int) -> int:
    if total == 0:
        return 0
    return min(100, (100 * done) // total)


def course_state(*, course: CoursePage, user, request=None, enrollment=False) -> CourseState:
    """``enrollment`` may be passed in when the caller already has it (saves a query)."""
    if enrollment is False:
        enrollment = enrollment_for(user=user, course_id=course.id)
    outline = build_outline(course, course_url=course.get_url(request), request=request)
    completed = getattr(enrollment, "prefetched_completed_ids", None)
    if completed is None:
        completed = completed_item_ids(enrollment=enrollment)
    return CourseState(
        course=course,
        outline=outline,
        enrollment=enrollment,
        completed_ids=completed,
        locked_ids=outline.locked_ids(sequential=course.sequential, completed_ids=completed),
    )


def dashboard_enrollments(*, user):
    return (
        Enrollment.objects.filter(user=user)
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .select_related("course", "last_lesson")
        .order_by("-last_activity_at", "-enrolled_at")
    )


def reflection_answers(*, user, page) -> dict[str, str]:
    """The learner's own answers to a lesson's reflection prompts (none asked: no query)."""
    if not any(block.block_type == "reflection" for block in getattr(page, "body", ())):
        return {}
    return dict(
        ReflectionAnswer.objects.filter(user=user, lesson_id=page.id).values_list("block_id", "text")
    )
