"""Staff sign off a learner's practical work: counts, dates and who signed only, never
anything about the people at a meeting."""
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User

from ..models import PendingWork, PracticalItem, PracticalSignoff
from . import pending
from .base import CertificationError


def practical_signoff(*, user: User, item: PracticalItem, count: int, done_on: date, signed_by: User) -> PracticalSignoff:
    """Record ``count`` times of ``item`` for ``user``, done by ``done_on``; the learner's
    programmes are evaluated again after commit."""
    if count < 1:
        raise CertificationError(gettext("The count must be at least 1."))
    if done_on > timezone.localdate():
        raise CertificationError(gettext("The date cannot be in the future."))
    with transaction.atomic():
        signoff = PracticalSignoff.objects.create(user=user, item=item, count=count, done_on=done_on, signed_by=signed_by)
        pending.request(user_id=user.pk, kind=PendingWork.Kind.EVALUATE)
        return signoff
