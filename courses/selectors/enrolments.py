"""A learner's enrolments and what they have done in them: reads every learning page
makes, each in one query (on PostgreSQL the enrolment comes with what the page needs)."""
from collections.abc import Iterator

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from wagtail.models import Page

from accounts.models import User

from ..models import Enrollment, LessonProgress, QuizAttempt, ReflectionAnswer


def enrollments_by_course(*, user: User | AnonymousUser) -> dict[int, Enrollment]:
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


def enrollment_for(*, user: User | AnonymousUser, course_id: int) -> Enrollment | None:
    """The learner's enrolment in a course. On PostgreSQL it comes with the lessons they
    completed and quizzes they passed (``prefetched_completed_ids``), read in the same
    query: every learning page needs both."""
    if not user.is_authenticated:
        return None
    if connection.vendor != "postgresql":
        return Enrollment.objects.filter(user=user, course_id=course_id).first()
    return _read_enrollment(_ENROLLMENT_SQL, {"user_id": user.pk, "course_id": course_id})


def enrollment_for_lesson(
    *, user: User | AnonymousUser, course_id: int, lesson_id: int
) -> Enrollment | None:
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


def completed_item_ids(*, enrollment: Enrollment | None) -> set[int]:
    """Lessons the learner completed and quizzes they passed, in one query."""
    if enrollment is None:
        return set()
    return completed_item_ids_by_enrollment([enrollment.id]).get(enrollment.id, set())


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


def enrollment_ids_in_course(*, course_id: int) -> Iterator[int]:
    """The ids of a course's enrolments that are not withdrawn, streamed (a large course
    fans out one task per enrolment)."""
    ids = Enrollment.objects.filter(course_id=course_id).exclude(status=Enrollment.Status.WITHDRAWN)
    return ids.values_list("id", flat=True).iterator()


def reflection_answers(*, user: User, page: Page, enrollment: Enrollment | None = None) -> dict[str, str]:
    """The learner's own answers to a lesson's reflection prompts (none asked: no query;
    none either when ``enrollment``, the learner's, was read with them by
    ``enrollment_for_lesson``)."""
    if not any(block.block_type == "reflection" for block in getattr(page, "body", ())):
        return {}
    prefetched = getattr(enrollment, "prefetched_reflections", None)
    if prefetched is not None and prefetched[0] == page.id and enrollment.user_id == user.pk:
        return prefetched[1]
    return dict(ReflectionAnswer.objects.filter(user=user, lesson_id=page.id).values_list("block_id", "text"))
