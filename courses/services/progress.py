"""Learners' progress: lesson views, time on task, completing lessons, and the
enrolment's progress and completion worked out from them.

Every function here is safe to call twice: repeating a completion or a heartbeat changes
nothing the second time, and unique constraints back that up when two requests race.
"""
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User

from .. import jobs, restrictions
from ..errors import LearningError, LessonLocked, PartnersOnly
from ..events import enrollment_completed
from ..models import CoursePage, Enrollment, LessonPage, LessonProgress
from ..outline import Outline, build_outline
from ..selectors import completed_item_ids, progress_percent
from .study_time import HEARTBEAT_MAX_GAP, Heartbeat, counted_gap, study_time_add
# How precisely "last active" is kept: a reload within this window writes nothing.
ACTIVITY_RESOLUTION = timedelta(minutes=5)
# A view this soon after the last one (or heartbeat) does not restart timing: the next
# heartbeat then counts from the earlier moment, which is still time on this lesson, and
# the common reload writes nothing (no commit to flush). Kept below HEARTBEAT_MAX_GAP
# less one heartbeat interval, so a return after a short break still counts as time.
VIEW_RESTARTS_TIMING_AFTER = timedelta(seconds=45)


def lesson_view_record(*, enrollment: Enrollment, lesson: LessonPage, now: datetime | None = None) -> None:
    """Note that the learner opened a lesson: where to continue, and the start of timing."""
    now = now or timezone.now()
    # One UPDATE, which changes no row on the common path (a reload of the lesson last
    # seen); the row is created once. When the enrolment was read with the lesson's
    # last_seen_at (``selectors.enrollment_for_lesson``) and that is recent, the UPDATE
    # is not even sent: last_seen_at only ever moves forward, so it could match no row.
    seen_lesson_id, seen_at = getattr(enrollment, "prefetched_last_seen", (None, None))
    if seen_lesson_id == lesson.id and seen_at is not None and seen_at >= now - VIEW_RESTARTS_TIMING_AFTER:
        restarted = 0
    else:
        restarted = LessonProgress.objects.filter(
            enrollment=enrollment, lesson=lesson, last_seen_at__lt=now - VIEW_RESTARTS_TIMING_AFTER
        ).update(last_seen_at=now)
    # Opening a lesson makes it the enrolment's last lesson, so a row for the last lesson
    # exists: only another lesson may need its row made.
    if not restarted and enrollment.last_lesson_id != lesson.id:
        LessonProgress.objects.get_or_create(enrollment=enrollment, lesson=lesson, defaults={"last_seen_at": now})
    # "Continue where you left off" and last activity need no write on every reload.
    stale = enrollment.last_activity_at is None or now - enrollment.last_activity_at > ACTIVITY_RESOLUTION
    if enrollment.last_lesson_id != lesson.id or stale:
        Enrollment.objects.filter(pk=enrollment.pk).update(last_lesson=lesson, last_activity_at=now)


def lesson_heartbeat(*, enrollment: Enrollment, lesson_id: int, now: datetime | None = None) -> Heartbeat:
    """Add the time since the last heartbeat to the lesson's time on task, and to the
    enrolment's hours and total (``study_time``), in one transaction.

    Time is measured by the server between heartbeats, never taken from the browser, and
    a gap longer than ``HEARTBEAT_MAX_GAP`` counts for nothing. Returns the lesson's and
    the course's new totals.
    """
    now = now or timezone.now()
    with transaction.atomic():
        progress = (
            LessonProgress.objects.select_for_update()
            .filter(enrollment=enrollment, lesson_id=lesson_id)
            .first()
        )
        if progress is None:
            raise LearningError(gettext("Open the lesson before recording time on it."))
        if counted_gap(progress.last_seen_at, now):
            progress.time_spent_seconds += int((now - progress.last_seen_at).total_seconds())
            course_seconds = study_time_add(enrollment_id=enrollment.pk, start=progress.last_seen_at, end=now)
        else:
            course_seconds = (
                Enrollment.objects.filter(pk=enrollment.pk).values_list("time_spent_seconds", flat=True).get()
            )
        progress.last_seen_at = max(now, progress.last_seen_at)
        progress.save(update_fields=["time_spent_seconds", "last_seen_at"])
        return Heartbeat(page_seconds=progress.time_spent_seconds, course_seconds=course_seconds)


def lesson_complete(*, enrollment: Enrollment, lesson: LessonPage, now: datetime | None = None) -> bool:
    """Mark a lesson complete. Returns True if this call completed it, False if it already was.

    Refuses a lesson of another course, an unpublished one, one of a partners-only module
    when the learner is not a partner, and one the course's order still keeps locked.
    """
    now = now or timezone.now()
    # The outline holds exactly the live lessons of this course under live modules.
    course = enrollment.course
    outline = build_outline(course, course_url="")
    if lesson.id not in outline.by_id or outline.by_id[lesson.id].kind != "lesson":
        raise LearningError(gettext("That lesson is not part of this course."))
    item_check_open(
        enrollment=enrollment, course=course, outline=outline, item_id=lesson.id,
        locked_message=gettext("Complete the lessons before this one first."),
    )
    with transaction.atomic():
        progress, _ = LessonProgress.objects.get_or_create(
            enrollment=enrollment, lesson=lesson, defaults={"last_seen_at": now}
        )
        newly = (
            LessonProgress.objects.filter(pk=progress.pk, completed_at__isnull=True)
            .update(completed_at=now)
            == 1
        )
        Enrollment.objects.filter(pk=enrollment.pk).update(last_activity_at=now)
        if newly:
            enrollment_refresh_progress(enrollment_id=enrollment.pk, now=now)
    return newly


def item_check_open(
    *,
    enrollment: Enrollment,
    course: CoursePage,
    outline: Outline,
    item_id: int,
    locked_message: str,
    user: User | None = None,
) -> None:
    """Refuse a lesson or quiz of ``course`` (its ``outline``) that the learner of
    ``enrollment`` may not open: one of a partners-only module when they are not a
    partner (``PartnersOnly``), or one the course's order still keeps locked
    (``LessonLocked``, with ``locked_message``). ``user``: the learner when the caller has
    them; otherwise ``enrollment.user`` is loaded, only for a course with partners-only
    modules."""
    closed: frozenset[int] = frozenset()
    if outline.partner_item_ids:
        closed = restrictions.closed_item_ids(outline, user if user is not None else enrollment.user)
    if item_id in closed:
        raise PartnersOnly(str(restrictions.MODULE_MESSAGE))
    done = completed_item_ids(enrollment=enrollment)
    # A completed course locks nothing: what was published since is optional for the learner.
    finished = enrollment.status == Enrollment.Status.COMPLETED
    if not finished and item_id in outline.locked_ids(sequential=course.sequential, completed_ids=done, skip=closed):
        raise LessonLocked(locked_message)


def enrollment_refresh_progress(*, enrollment_id: int, now: datetime | None = None) -> Enrollment | None:
    """Recompute an enrolment's progress from its completed lessons, passed quizzes and
    the live course.

    Completes the enrolment once every required lesson is done and required quiz passed.
    Completion once reached stands: when authors later publish required lessons or
    quizzes, a completed enrolment stays completed at 100%, and the new items are optional
    for that learner (``selectors.new_since_completion``). For a learner who is not a
    partner member, items of partners-only modules do not count.
    """

    now = now or timezone.now()
    with transaction.atomic():
        enrollment = (
            Enrollment.objects.select_for_update(of=("self",)).select_related("course").filter(pk=enrollment_id).first()
        )
        if enrollment is None:
            return None
        outline = build_outline(enrollment.course, course_url="")
        required = outline.required_ids
        if required & outline.partner_item_ids:
            required -= restrictions.closed_item_ids(outline, enrollment.user)
        done = completed_item_ids(enrollment=enrollment) & required
        fields = ["progress_percent"]
        if enrollment.completed_at is not None:  # once completed, always 100 (a database constraint)
            enrollment.progress_percent = 100
        else:
            enrollment.progress_percent = progress_percent(len(done), len(required))
        if required and done == required and enrollment.status == Enrollment.Status.ACTIVE:
            enrollment.status = Enrollment.Status.COMPLETED
            enrollment.completed_at = now
            enrollment.progress_percent = 100
            fields += ["status", "completed_at"]
            jobs.course_completed_email.enqueue_on_commit(enrollment.pk)
            enrollment_completed.send(
                sender=Enrollment, enrollment_id=enrollment.pk, user_id=enrollment.user_id, course_id=enrollment.course_id
            )
        enrollment.save(update_fields=fields)
        return enrollment
