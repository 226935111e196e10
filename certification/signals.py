"""Issue certificates when learning progresses; reissue them when the printed name changes."""
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.events import certificate_name_changed
from courses.events import enrollment_completed

from .models import Certificate, PendingWork
from .selectors import chain_codes, invalidate_verification
from .services import pending


# Both are sent inside the transaction of the change: the request is kept with it.
@receiver(enrollment_completed)
def evaluate_on_course_completed(sender: object, user_id: int, **kwargs: object) -> None:
    pending.request(user_id=user_id, kind=PendingWork.Kind.EVALUATE)


@receiver(certificate_name_changed)
def reissue_on_name_change(sender: object, user_id: int, **kwargs: object) -> None:
    pending.request(user_id=user_id, kind=PendingWork.Kind.REISSUE)


@receiver(post_save, sender=Certificate)
@receiver(post_delete, sender=Certificate)
def certificate_changed(sender: type[Certificate], instance: Certificate, **kwargs: object) -> None:
    # Verification pages are cached per code (selectors.verification_entry): any change
    # shows at once, and again after commit so a request that read the old row in between
    # does not leave it in the cache.
    codes = chain_codes(instance) if kwargs.get("signal") is post_save else [instance.code]
    codes = sorted(set(codes) | {instance.code})
    invalidate_verification(codes)
    transaction.on_commit(lambda: invalidate_verification(codes))
