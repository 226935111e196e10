"""Time on task: the gaps between heartbeats, measured by the server, kept per UTC hour
(``StudyHour``) and as the enrolment's total (``Enrollment.time_spent_seconds``).

Lessons and quiz attempts both send heartbeats every 30 s while on screen. Each caller
locks its own row first (the lesson's progress, the attempt), so a replayed or doubled
heartbeat for the same page counts its gap once. Two pages of one course beating at once
(two tabs) meet on the hour's row, which is locked while it grows: an hour never holds
more than an hour, and the enrolment's total grows by exactly what the hours grew by, so
the two always agree. Locks are taken in one order everywhere (page row, hours in time
order, enrolment), so two heartbeats never wait on each other in a circle.
"""
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from ..errors import AttemptClosed, LearningError
from ..models import Enrollment, QuizAttempt, StudyHour

# Heartbeats come every 30 s while a lesson is on screen. A longer gap means the learner
# went away (tab hidden, laptop closed): the gap is not counted as time on task.
HEARTBEAT_MAX_GAP = timedelta(seconds=75)
HOUR = timedelta(hours=1)
SECONDS_IN_HOUR = 3600


class Heartbeat(NamedTuple):
    """What a heartbeat answers: the page's own time on task and the course's total."""

    page_seconds: int
    course_seconds: int


def hour_pieces(start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """Whole seconds of ``start``..``end`` split at UTC hour boundaries: ``[(hour start,
    seconds)]``. The pieces add up to the whole gap's seconds (fractions are dropped once,
    from the last piece, so a gap of 29.7 s counts 29 s however it is split)."""
    total = int((end - start).total_seconds())
    if total <= 0:
        return []
    pieces: list[tuple[datetime, int]] = []
    hour = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    counted = 0
    while counted < total:
        boundary = hour + HOUR
        if boundary >= end:
            part = total - counted
        else:
            part = min(int((boundary - max(start, hour)).total_seconds()), total - counted)
        if part > 0:
            pieces.append((hour, part))
            counted += part
        hour = boundary
    return pieces


def _add_to_hour(enrollment_id: int, hour: datetime, seconds: int) -> int:
    """Add up to ``seconds`` to one hour's row (made if missing); what it took."""
    row = StudyHour.objects.select_for_update().filter(enrollment_id=enrollment_id, hour=hour).first()
    if row is None:
        taken = min(seconds, SECONDS_IN_HOUR)
        try:
            with transaction.atomic():  # a savepoint: another heartbeat may make the row first
                StudyHour.objects.create(enrollment_id=enrollment_id, hour=hour, seconds=taken)
            return taken
        except IntegrityError:
            row = StudyHour.objects.select_for_update().get(enrollment_id=enrollment_id, hour=hour)
    taken = max(0, min(seconds, SECONDS_IN_HOUR - row.seconds))
    if taken:
        StudyHour.objects.filter(pk=row.pk).update(seconds=F("seconds") + taken)
    return taken


def study_time_add(*, enrollment_id: int, start: datetime, end: datetime) -> int:
    """Add the time from ``start`` to ``end`` to the enrolment's hours and total; returns
    the new total. Runs inside the caller's transaction (it must hold the page's row)."""
    added = sum(_add_to_hour(enrollment_id, hour, seconds) for hour, seconds in hour_pieces(start, end))
    enrollments = Enrollment.objects.filter(pk=enrollment_id)
    if added:
        enrollments.update(time_spent_seconds=F("time_spent_seconds") + added)
    return enrollments.values_list("time_spent_seconds", flat=True).get()


def counted_gap(last_seen: datetime, now: datetime) -> bool:
    return timedelta(0) < now - last_seen <= HEARTBEAT_MAX_GAP


def attempt_heartbeat(*, attempt_id: int, user_id: int, now: datetime | None = None) -> int:
    """Time on a quiz attempt's page, as ``lesson_heartbeat`` for lessons: the gap since
    the attempt's last heartbeat (or its start) counts when short, up to its time limit.
    Only the attempt's own learner's heartbeat counts; a closed attempt's counts nothing.
    Returns the course's new total."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().filter(pk=attempt_id, user_id=user_id).first()
        if attempt is None:
            raise LearningError(gettext("No such attempt."))
        if attempt.status != QuizAttempt.Status.IN_PROGRESS:
            raise AttemptClosed(gettext("This attempt is already submitted."))
        last = attempt.last_seen_at or attempt.started_at
        end = min(now, attempt.deadline) if attempt.deadline else now
        if counted_gap(last, now) and end > last:
            total = study_time_add(enrollment_id=attempt.enrollment_id, start=last, end=end)
        else:
            total = Enrollment.objects.filter(pk=attempt.enrollment_id).values_list("time_spent_seconds", flat=True).get()
        if now > last:  # a replayed (older) heartbeat moves nothing back
            QuizAttempt.objects.filter(pk=attempt.pk).update(last_seen_at=now)
        return total
