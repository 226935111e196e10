"""The learner's own steps towards a programme: accepting the code of conduct and
answering its yes/no statements. Each asks for the learner's programmes to be evaluated
again, in the same transaction (``pending``)."""
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from ..models import Attestation, AttestationAnswer, CodeOfConduct, ConductAcceptance, PendingWork
from . import pending


def conduct_accept(*, user: User, code: CodeOfConduct) -> bool:
    """Record that ``user`` accepts this version of the code; True the first time."""
    with transaction.atomic():
        _, created = ConductAcceptance.objects.get_or_create(user=user, code=code)
        if created:
            pending.request(user_id=user.pk, kind=PendingWork.Kind.EVALUATE)
        return created


def attestation_answer(*, user: User, attestation: Attestation, answer: bool) -> None:
    """Record (or change) the learner's yes or no to one statement."""
    with transaction.atomic():
        AttestationAnswer.objects.update_or_create(
            user=user, attestation=attestation, defaults={"answer": answer, "answered_at": timezone.now()}
        )
        pending.request(user_id=user.pk, kind=PendingWork.Kind.EVALUATE)
