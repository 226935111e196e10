"""The completion email: congratulations, and what is left for the certificate (the
same steps as the course page says, ``courses.next_steps``)."""
from django.db import transaction
from django.utils import timezone

from kernel import emails

from ..models import Enrollment
from ..next_steps import completion_steps
from ..selectors import course_state


def enrollment_notify_completed(*, enrollment_id: int) -> bool:
    """Email the learner that they completed the course, once; True if this call sent it.
    The email lists what is left for the certificates of the course's programmes (the
    same steps as the course page), or says the certificate is being prepared.

    Marked in the same transaction as the send, under a row lock: a failed send leaves
    it unmarked for the task's retry, and concurrent runs queue behind each other.
    """
    with transaction.atomic():
        enrollment = (
            Enrollment.objects.select_for_update(of=("self",))
            .select_related("user", "course")
            .filter(pk=enrollment_id, status=Enrollment.Status.COMPLETED)
            .first()
        )
        if enrollment is None or enrollment.completion_notified_at is not None:
            return False
        state = course_state(course=enrollment.course, user=enrollment.user, enrollment=enrollment)
        emails.send_templated(
            template="courses/email/course_completed",
            context={"user": enrollment.user, "course": enrollment.course, "steps": completion_steps(state=state)},
            to=[enrollment.user.email],
        )
        enrollment.completion_notified_at = timezone.now()
        enrollment.save(update_fields=["completion_notified_at"])
        return True
