from celery import shared_task

from accounts.tasks import RETRY

from . import completion, services
from .assessment.tasks import (  # noqa: F401  (registers them with the worker)
    attempt_grade_task,
    attempt_regrade_task,
    attempt_result_email_task,
    attempts_sweep_task,
    quiz_regrade_task,
)
from .models import Enrollment


@shared_task
def enrollment_refresh_progress_task(enrollment_id: int):
    services.enrollment_refresh_progress(enrollment_id=enrollment_id)


@shared_task
def course_refresh_enrollments_task(course_id: int):
    """After authors publish or withdraw lessons, bring every learner's progress up to date.

    Fans out one task per enrolment so that a large course spreads across workers and a
    failure affects one learner only.
    """
    ids = Enrollment.objects.filter(course_id=course_id).exclude(
        status=Enrollment.Status.WITHDRAWN
    ).values_list("id", flat=True)
    for enrollment_id in ids.iterator():
        enrollment_refresh_progress_task.delay(enrollment_id)


@shared_task(**RETRY)
def course_completed_email_task(enrollment_id: int):
    """Congratulate the learner, once. Enqueued by the call that completes the enrolment."""
    completion.enrollment_notify_completed(enrollment_id=enrollment_id)
