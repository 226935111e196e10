from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.tasks import send_email_task

from . import services
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


@shared_task
def course_completed_email_task(enrollment_id: int):
    """Congratulate the learner. Enqueued once, by the call that completes the enrolment."""
    # Claim the notification first: a second run (a redelivered message) finds it taken.
    claimed = Enrollment.objects.filter(
        pk=enrollment_id, status=Enrollment.Status.COMPLETED, completion_notified_at__isnull=True
    ).update(completion_notified_at=timezone.now())
    if not claimed:
        return
    enrollment = Enrollment.objects.select_related("user", "course").get(pk=enrollment_id)
    context = {
        "user": enrollment.user,
        "course": enrollment.course,
        "base_url": settings.WAGTAILADMIN_BASE_URL,
    }
    send_email_task.delay(
        render_to_string("courses/email/course_completed_subject.txt", context).strip(),
        render_to_string("courses/email/course_completed.txt", context),
        [enrollment.user.email],
    )
