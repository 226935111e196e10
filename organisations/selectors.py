"""Reads for organisations: who may manage what, memberships, seats and invitations.

Every manager page starts with ``managed_membership``: an organisation the person does
not manage is a 404, never a 403, so that ids of other organisations reveal nothing.
"""
from django.db.models import QuerySet
from django.http import Http404

from .models import Invitation, Membership, Organisation, Seat, SeatPool


def managed_membership(*, user, organisation_id) -> Membership:
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


def memberships_of(user) -> QuerySet[Membership]:
    """The person's active memberships, organisations attached, by organisation name."""
    return (
        Membership.objects.select_related("organisation")
        .filter(user=user, left_at__isnull=True)
        .order_by("organisation__name")
    )


def is_partner_member(user) -> bool:
    """Whether the person is an active member of a partner organisation."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, left_at__isnull=True, organisation__is_partner=True).exists()


def seat_pools(organisation: Organisation) -> QuerySet[SeatPool]:
    return SeatPool.objects.filter(organisation=organisation).select_related("course").order_by("course__title")


def pending_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation=organisation, status=Invitation.Status.PENDING).select_related(
        "course", "invited_by"
    )


def held_seats(organisation: Organisation) -> QuerySet[Seat]:
    return Seat.objects.filter(pool__organisation=organisation, released_at__isnull=True).select_related(
        "user", "pool__course", "enrollment"
    )
