"""Writes for learning: places on courses, progress and completion, reflections.

One module per process (``enrolment``, ``progress``, ``reflections``, ``completion``);
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

__all__ = [
    "ACTIVITY_RESOLUTION",
    "HEARTBEAT_MAX_GAP",
    "VIEW_RESTARTS_TIMING_AFTER",
    "LearningError",
    "LessonLocked",
    "PartnersOnly",
    "PaymentRequired",
    "enrollment_create",
    "enrollment_give_place",
    "enrollment_notify_completed",
    "enrollment_refresh_progress",
    "item_check_open",
    "lesson_complete",
    "lesson_heartbeat",
    "lesson_view_record",
    "reflection_save",
]
