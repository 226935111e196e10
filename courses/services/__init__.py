"""Writes for learning: places on courses, progress and completion, reflections.

One module per process (``enrolment``, ``progress``, ``reflections``, ``completion``,
``study_time``);
callers use this package's names (``services.lesson_complete(...)``). Quiz attempts have
their own writes in ``courses.assessment.services``.
"""
from ..errors import LearningError, LessonLocked, PartnersOnly, PaymentRequired
from .completion import enrollment_notify_completed
from .enrolment import enrollment_create, enrollment_give_place
from .progress import (
    ACTIVITY_RESOLUTION,
    HEARTBEAT_MAX_GAP,
    VIEW_RESTARTS_TIMING_AFTER,
    enrollment_refresh_progress,
    item_check_open,
    lesson_complete,
    lesson_heartbeat,
    lesson_view_record,
)
from .reflections import reflection_save
from .study_time import Heartbeat, attempt_heartbeat, hour_pieces, study_time_add

__all__ = [
    "ACTIVITY_RESOLUTION",
    "HEARTBEAT_MAX_GAP",
    "Heartbeat",
    "VIEW_RESTARTS_TIMING_AFTER",
    "LearningError",
    "LessonLocked",
    "PartnersOnly",
    "PaymentRequired",
    "attempt_heartbeat",
    "enrollment_create",
    "enrollment_give_place",
    "enrollment_notify_completed",
    "enrollment_refresh_progress",
    "item_check_open",
    "lesson_complete",
    "lesson_heartbeat",
    "lesson_view_record",
    "hour_pieces",
    "reflection_save",
    "study_time_add",
]
