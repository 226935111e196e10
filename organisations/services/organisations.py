"""Writes about organisations and their people: creating one, joining, leaving, roles
and partner status."""
from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.log_actions import log

from accounts.models import User
from kernel.names import name_problem

from ..errors import OrganisationError
from ..models import Membership, Organisation

Role = Membership.Role
# Wagtail audit-log actions (registered in wagtail_hooks) for partner status changes.
PARTNER_ON = "organisations.partner_on"
PARTNER_OFF = "organisations.partner_off"


def organisation_create(*, user: User, name: str, kind: str, country: str, billing_email: str) -> Organisation:
    """A signed-in professional creates an organisation and becomes its owner."""
    name = " ".join((name or "").split())
    if not name:
        raise OrganisationError(gettext("Give the organisation's name."), "name")
    if problem := name_problem(name):
        raise OrganisationError(problem, "name")
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=name, kind=kind, country=country, billing_email=billing_email, created_by=user
        )
        Membership.objects.create(organisation=organisation, user=user, role=Role.OWNER)
    return organisation


def membership_join(
    *, organisation_id: int, user: User, role: str = Role.MEMBER, now: datetime | None = None
) -> Membership:
    """Add the person (or bring them back after they left). A role is only ever raised
    here: an owner accepting a staff invitation stays an owner."""
    now = now or timezone.now()
    rank = {Role.MEMBER: 0, Role.MANAGER: 1, Role.OWNER: 2}
    membership = Membership.objects.select_for_update().filter(organisation_id=organisation_id, user=user).first()
    if membership is None:
        try:
            with transaction.atomic():
                return Membership.objects.create(organisation_id=organisation_id, user=user, role=role, joined_at=now)
        except IntegrityError:  # joined by a concurrent request a moment ago
            membership = Membership.objects.select_for_update().get(organisation_id=organisation_id, user=user)
    changed = []
    if membership.left_at is not None:
        membership.left_at = None
        membership.joined_at = now
        membership.role = role
        changed += ["left_at", "joined_at", "role"]
    elif rank[role] > rank[membership.role]:
        membership.role = role
        changed.append("role")
    if changed:
        membership.save(update_fields=changed)
    return membership


def membership_leave(*, membership_id: int, user: User, now: datetime | None = None) -> Membership:
    """The person leaves: from now on the organisation no longer sees their progress.
    They keep their places on courses (paid for, but theirs to finish). The last owner
    cannot leave, so that an organisation is never left without someone to run it."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(pk=membership_id, user=user).first()
        if membership is None or membership.left_at is not None:
            raise OrganisationError(gettext("You are not a member of that organisation."))
        if membership.role == Role.OWNER and not Membership.objects.filter(
            organisation_id=membership.organisation_id, role=Role.OWNER, left_at__isnull=True
        ).exclude(pk=membership.pk).exists():
            raise OrganisationError(gettext(
                "You are the organisation's only owner. Make another manager an owner before you leave."
            ))
        membership.left_at = now or timezone.now()
        membership.save(update_fields=["left_at"])
        return membership


def organisation_set_partner(*, organisation_id: int, is_partner: bool, by: User) -> tuple[Organisation, bool]:
    """Staff mark or unmark a partner organisation; returns (organisation, changed). Setting
    the state it already has changes nothing and logs nothing. Members' access follows at
    once: nothing about partner status is cached between requests."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
        if organisation.is_partner == is_partner:
            return organisation, False
        organisation.is_partner = is_partner
        organisation.save(update_fields=["is_partner"])
        log(instance=organisation, action=PARTNER_ON if is_partner else PARTNER_OFF, user=by)
        return organisation, True


def manager_set_role(*, organisation_id: int, membership_id: int, role: str, by: User) -> Membership:
    """Owners make a manager an owner, a member a manager, or a manager a member again."""
    if role not in Role.values:
        raise OrganisationError(gettext("Choose a role."), "role")
    with transaction.atomic():
        mine = Membership.objects.filter(organisation_id=organisation_id, user=by, role=Role.OWNER, left_at__isnull=True)
        if not mine.exists():
            raise OrganisationError(gettext("Only an owner can change who manages the organisation."))
        membership = (
            Membership.objects.select_for_update()
            .filter(pk=membership_id, organisation_id=organisation_id, left_at__isnull=True)
            .first()
        )
        if membership is None:
            raise OrganisationError(gettext("That person is not a member of the organisation."))
        if membership.role == Role.OWNER and role != Role.OWNER and not Membership.objects.filter(
            organisation_id=organisation_id, role=Role.OWNER, left_at__isnull=True
        ).exclude(pk=membership.pk).exists():
            raise OrganisationError(gettext("The organisation needs at least one owner."))
        membership.role = role
        membership.save(update_fields=["role"])
        return membership
