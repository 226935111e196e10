"""Where a manager lands after signing in (registered with ``accounts.landing``, which
cannot import organisations): the dashboard of the one organisation they own or manage,
or the list of their organisations when they manage several. Anyone else: no answer, so
My learning stands. One query of at most two rows."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from .models import Membership

if TYPE_CHECKING:
    from accounts.models import User


def manager_landing(user: User) -> str | None:
    managed = list(
        Membership.objects.filter(user=user, role__in=Membership.MANAGING, left_at__isnull=True)
        .order_by("organisation_id")
        .values_list("organisation_id", flat=True)[:2]
    )
    if not managed:
        return None
    if len(managed) == 1:
        return reverse("organisations:dashboard", args=[managed[0]])
    return reverse("organisations:mine")
