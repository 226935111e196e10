"""A learner's professional licence: what their CE certificates print."""
from django.db import transaction

from accounts.models import User

from ..events import licence_saved
from ..models import ProfessionalLicence

FIELDS = ("profession", "profession_other", "issuing_board", "region", "licence_number")


def licence_save(*, user: User, profession: str, profession_other: str, issuing_board: str, region: str,
                 licence_number: str) -> ProfessionalLicence:
    """Record or change the user's licence (one per user: the database holds to that when
    two saves race). ``licence_saved`` is sent inside the transaction, so that CE waiting
    only for the licence is looked at again once it is committed."""
    values = {
        "profession": profession,
        # Kept only for "other": a profession chosen from the list needs no second name.
        "profession_other": profession_other.strip() if profession == ProfessionalLicence.Profession.OTHER else "",
        "issuing_board": issuing_board.strip(),
        "region": region.strip(),
        "licence_number": licence_number.strip(),
    }
    with transaction.atomic():
        licence, _created = ProfessionalLicence.objects.update_or_create(user=user, defaults=values)
        licence_saved.send(sender=ProfessionalLicence, user_id=user.pk)
    return licence
