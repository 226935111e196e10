"""Issue certificates when learning progresses; reissue them when the printed name changes."""
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.events import certificate_name_changed
from courses.events import enrollment_completed

from .models import Certificate
from .selectors import chain_codes, invalidate_verification
from .tasks import certificates_reissue_task, programmes_evaluate_task


@receiver(enrollment_completed)
def evaluate_on_course_completed(sender, user_id, **kwargs):
    programmes_evaluate_task.delay_on_commit(user_id)


@receiver(certificate_name_changed)
def reissue_on_name_change(sender, user_id, **kwargs):
    certificates_reissue_task.delay_on_commit(user_id)


@receiver(post_save, sender=Certificate)
@receiver(post_delete, sender=Certificate)
def certificate_changed(sender, instance, **kwargs):
    # Verification pages are cached per code (selectors.verification_entry): any change
    # shows at once, and again after commit so a request that read the old row in between
    # does not leave it in the cache.
    codes = chain_codes(instance) if kwargs.get("signal") is post_save else [instance.code]
    codes = sorted(set(codes) | {instance.code})
    invalidate_verification(codes)
    transaction.on_commit(lambda: invalidate_verification(codes))
