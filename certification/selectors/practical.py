"""A learner's practical record, for the staff who sign practical work off."""
from django.db.models import Q, Sum

from accounts.models import User

from ..models import PracticalItem, PracticalSignoff


def practical_record(*, user: User) -> dict:
    """Per practical requirement (of an active programme, or one the learner has
    sign-offs for): the total signed off and whether it is met; and each sign-off, newest
    first, with its signer. Nothing else about the learner's meetings. Three queries."""
    signoffs = list(
        PracticalSignoff.objects.filter(user=user)
        .select_related("item__programme", "signed_by")
        .order_by("-done_on", "-signed_at")
    )
    totals = dict(
        PracticalSignoff.objects.filter(user=user).values("item").annotate(total=Sum("count")).values_list("item", "total")
    )
    items = (
        PracticalItem.objects.filter(Q(programme__active=True) | Q(pk__in=totals))
        .select_related("programme")
        .order_by("programme__title", "sort_order", "pk")
    )
    return {
        "items": [
            {"item": item, "total": totals.get(item.pk, 0), "met": totals.get(item.pk, 0) >= item.required_count}
            for item in items
        ],
        "signoffs": signoffs,
    }


def practical_items_offered() -> bool:
    """Whether any active programme has a practical requirement to sign off."""
    return PracticalItem.objects.filter(programme__active=True).exists()
