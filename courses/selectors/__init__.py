"""Reads for the learning views. Each returns what its template needs in constant queries.

One module per subject (``catalogue``, ``enrolments``, ``state``: a learner's place in a
course, ``dashboard``: My learning); callers use this package's names
(``selectors.course_state(...)``).
"""
from .catalogue import catalogue_courses, course_for_page
from .dashboard import DashboardRow, dashboard_enrollments, dashboard_rows
from .enrolments import (
    completed_item_ids,
    completed_item_ids_by_enrollment,
    enrollment_for,
    enrollment_for_lesson,
    enrollment_ids_in_course,
    enrollments_by_course,
    reflection_answers,
)
from .state import CourseState, ModuleView, OutlineRow, course_state, new_since_completion, outline_view, progress_percent

__all__ = [
    "CourseState",
    "DashboardRow",
    "ModuleView",
    "OutlineRow",
    "catalogue_courses",
    "completed_item_ids",
    "completed_item_ids_by_enrollment",
    "course_for_page",
    "course_state",
    "dashboard_enrollments",
    "dashboard_rows",
    "enrollment_for",
    "enrollment_for_lesson",
    "enrollment_ids_in_course",
    "enrollments_by_course",
    "new_since_completion",
    "outline_view",
    "progress_percent",
    "reflection_answers",
]
