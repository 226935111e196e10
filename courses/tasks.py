from celery import shared_task

from kernel.retry import RETRY

from . import selectors, services
from .assessment.tasks import (  # noqa: F401  (registers them with the worker)
    attempt_grade_task,
    attempt_regrade_task,
    attempt_result_email_task,
    attempts_sweep_task,
    quiz_regrade_task,
)


@shared_task
def enrollment_refresh_progress_task(enrollment_id: int) -> None:
    services.enrollment_refresh_progress(enrollment_id=enrollment_id)


@shared_task
def course_refresh_enrollments_task(course_id: int) -> None:
    """After authors publish or withdraw lessons, bring every learner's progress up to date.

    Fans out one task per enrolment so that a large course spreads across workers and a
    failure affects one learner only.
    """
    for enrollment_id in selectors.enrollment_ids_in_course(course_id=course_id):
        enrollment_refresh_progress_task.delay(enrollment_id)


@shared_task(**RETRY)
def course_completed_email_task(enrollment_id: int) -> None:
    """Congratulate the learner, once. Enqueued by the call that completes the enrolment."""
    services.enrollment_notify_completed(enrollment_id=enrollment_id)
