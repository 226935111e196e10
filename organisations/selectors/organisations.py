"""Reads about organisations and their people: who may manage what, memberships, and the
staff listing's counts.

Every manager page starts with ``managed_membership``: an organisation the person does
not manage is a 404, never a 403, so that ids of other organisations reveal nothing.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Case, Count, F, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django_countries import countries

from ..models import Membership, Organisation, SeatPool

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

Role = Membership.Role


def managed_membership(*, user: User | AnonymousUser, organisation_id: int) -> Membership:
    """The signed-in manager's (or owner's) active membership of that organisation, or 404."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such organisation.")
    membership = (
        Membership.objects.select_related("organisation")
        .filter(
            user=user, organisation_id=organisation_id, role__in=Membership.MANAGING, left_at__isnull=True
        )
        .first()
    )
    if membership is None:
        raise Http404("No such organisation.")
    return membership


def memberships_of(user: User) -> QuerySet[Membership]:
    """The person's active memberships, organisations attached, by organisation name."""
    return (
        Membership.objects.select_related("organisation")
        .filter(user=user, left_at__isnull=True)
        .order_by("organisation__name")
    )


def is_partner_member(user: User | AnonymousUser) -> bool:
    """Whether the person is an active member of a partner organisation."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, left_at__isnull=True, organisation__is_partner=True).exists()


def managers_of(organisation: Organisation) -> QuerySet[Membership]:
    """Owners first, then managers, by email: the "Managers" list an owner edits."""
    return (
        Membership.objects.filter(organisation=organisation, left_at__isnull=True, role__in=Membership.MANAGING)
        .select_related("user")
        .order_by(Case(When(role=Role.OWNER, then=0), default=1), "user__email")
    )


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    """Everyone who is or was a member: active first, owners, managers, then staff."""
    rank = Case(When(role=Role.OWNER, then=0), When(role=Role.MANAGER, then=1), default=2, output_field=IntegerField())
    return (
        Membership.objects.filter(organisation=organisation).select_related("user")
        .order_by(F("left_at").asc(nulls_first=True), rank, "user__email")
    )


def organisations_with_counts() -> QuerySet[Organisation]:
    """Organisations with ``member_count`` (active members), ``seats_used`` and
    ``seats_total`` (over all their pools), as subqueries of one query."""
    members = (
        Membership.objects.filter(organisation=OuterRef("pk"), left_at__isnull=True)
        .order_by().values("organisation").annotate(n=Count("pk")).values("n")
    )
    pools = SeatPool.objects.filter(organisation=OuterRef("pk")).order_by().values("organisation")
    zero = Value(0, output_field=IntegerField())
    return Organisation.objects.annotate(
        member_count=Coalesce(Subquery(members, output_field=IntegerField()), zero),
        seats_total=Coalesce(Subquery(pools.annotate(n=Sum("total")).values("n"), output_field=IntegerField()), zero),
        seats_used=Coalesce(Subquery(pools.annotate(n=Sum("used")).values("n"), output_field=IntegerField()), zero),
    )


def countries_in_use() -> list[tuple[str, str]]:
    """The countries organisations are in, as (code, name) by name: the listing's filter."""
    codes = Organisation.objects.order_by().values_list("country", flat=True).distinct()
    return sorted(((code, countries.name(code) or code) for code in codes), key=lambda c: c[1])
