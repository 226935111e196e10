"""Issue certificates when learning progresses; reissue them when the printed name changes."""
from django.dispatch import receiver

from accounts.events import certificate_name_changed
from courses.events import enrollment_completed

from .tasks import certificates_reissue_task, programmes_evaluate_task


@receiver(enrollment_completed)
def evaluate_on_course_completed(sender, user_id, **kwargs):
    programmes_evaluate_task.delay_on_commit(user_id)


@receiver(certificate_name_changed)
def reissue_on_name_change(sender, user_id, **kwargs):
    certificates_reissue_task.delay_on_commit(user_id)
