"""Writes about invitations: making them (from a checked list), emailing the link,
withdrawing, re-sending (a new link) and accepting one.

The link, its checks and the lists a manager sends are read in
``selectors.invitations``; used and withdrawn invitations are refused with a plain
message and change nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from courses.models import CoursePage
from kernel import emails, i18n
from kernel.names import name_problem

from .. import jobs, selectors
from ..errors import InvitationInvalid, OrganisationError
from ..models import Invitation, Membership, Organisation, new_nonce
from .organisations import membership_join
from .seats import SeatTaken, seat_take

Status = Invitation.Status
Role = Membership.Role


def invitations_create(
    *, organisation: Organisation, by: User, rows: list[selectors.Row], course: CoursePage | None, role: str = Role.MEMBER,
    now: datetime | None = None,
) -> list[Invitation]:
    """Create and email invitations for the good rows of a preview (checked again here:
    a row that became a duplicate meanwhile is skipped, not an error)."""

    now = now or timezone.now()
    if role == Role.MEMBER and course is None:
        raise OrganisationError(gettext("Choose the course the invitation gives a place on."), "course")
    if role == Role.OWNER:
        raise OrganisationError(gettext("Invite managers; an owner can then make them owners."), "role")
    if role == Role.MANAGER and not Membership.objects.filter(
        organisation=organisation, user=by, role=Role.OWNER, left_at__isnull=True
    ).exists():
        raise OrganisationError(gettext("Only an owner can invite managers."), "role")
    if course is not None and course.partners_only and not organisation.is_partner:
        raise OrganisationError(gettext("This course is only for partner organisations."), "course")
    if role != Role.MEMBER:
        course = None
    expires = now + timedelta(days=settings.ORGANISATIONS_INVITATION_DAYS)
    made = []
    for row in rows:
        if not row.ok or name_problem(row.name):
            continue
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    organisation=organisation, email=row.email.strip(), name=row.name, role=role, course=course,
                    invited_by=by, created_at=now, expires_at=expires,
                )
        except IntegrityError:  # invited a moment ago by another manager
            continue
        jobs.invitation_email.enqueue_on_commit(invitation.pk, invitation.nonce)
        made.append(invitation)
    return made


def invitation_send(*, invitation_id: int, nonce: str) -> bool:
    """Email the link, once per nonce (a retry after a send marks nothing twice)."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organisation", "course", "invited_by")
            .filter(pk=invitation_id, nonce=nonce, status=Status.PENDING, sent_at__isnull=True)
            .first()
        )
        if invitation is None:
            return False
        # Written in the invited person's language and zone when they have an account that
        # saved them; else in those the inviting manager saved (they invite their own staff),
        # else the site's: the same whether a worker or the manager's request sends it.
        language, zone = i18n.saved_choices(invitation.invited_by_id) if invitation.invited_by_id else ("", "")
        with i18n.as_person(language=i18n.language_or_default(language), time_zone=i18n.zone_or_default(zone)):
            emails.send_templated(
                template="organisations/email/invitation",
                context={
                    "invitation": invitation, "url": selectors.invitation_url(invitation),
                    "inviter": invitation.invited_by.get_full_name() if invitation.invited_by else "",
                    "days": settings.ORGANISATIONS_INVITATION_DAYS,
                    "paid_place": selectors.place_is_paid(invitation),
                },
                to=[invitation.email],
            )
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
        return True


def _pending(organisation_id: int, invitation_id: int) -> Invitation:
    invitation = Invitation.objects.select_for_update().filter(pk=invitation_id, organisation_id=organisation_id).first()
    if invitation is None:
        raise OrganisationError(gettext("No such invitation."))
    if invitation.status != Status.PENDING:
        raise OrganisationError(gettext("This invitation was %(status)s already.") % {
            "status": invitation.get_status_display().lower(),
        })
    return invitation


def invitation_withdraw(*, organisation_id: int, invitation_id: int, by: User, now: datetime | None = None) -> Invitation:
    """Withdraw an invitation not yet accepted: its link stops working at once."""
    with transaction.atomic():
        invitation = _pending(organisation_id, invitation_id)
        invitation.status = Status.WITHDRAWN
        invitation.withdrawn_at = now or timezone.now()
        invitation.save(update_fields=["status", "withdrawn_at"])
        return invitation


def invitation_resend(*, organisation_id: int, invitation_id: int, by: User, now: datetime | None = None) -> Invitation:
    """Send a fresh link (the old one stops working) with a new expiry date."""

    now = now or timezone.now()
    with transaction.atomic():
        invitation = _pending(organisation_id, invitation_id)
        invitation.nonce = new_nonce()
        invitation.expires_at = now + timedelta(days=settings.ORGANISATIONS_INVITATION_DAYS)
        invitation.sent_at = None
        invitation.save(update_fields=["nonce", "expires_at", "sent_at"])
        jobs.invitation_email.enqueue_on_commit(invitation.pk, invitation.nonce)
        return invitation


@dataclass
class Accepted:
    invitation: Invitation
    membership: Membership
    taken: SeatTaken | None  # None for a manager invitation
    already: bool = False  # the same person opened an accepted link again


def invitation_accept(*, token: str, user: User, now: datetime | None = None) -> Accepted:
    """The signed-in person accepts: joins the organisation and, for a staff invitation,
    takes a seat on the course (unless they already have a place). All or nothing:
    when the seats are gone (``SeatsGone``) or the link cannot be used
    (``InvitationInvalid``) nothing changes."""
    now = now or timezone.now()
    invitation = selectors.invitation_from_token(token)
    with transaction.atomic():
        # ``of``: PostgreSQL refuses FOR UPDATE on the nullable side of the course's outer join.
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organisation", "course")
            .get(pk=invitation.pk)
        )
        problem = selectors.invitation_problem(invitation, user=user, now=now)
        if problem:
            raise InvitationInvalid(problem)
        if invitation.status == Status.ACCEPTED:  # this person, again: nothing to do
            membership = Membership.objects.get(organisation=invitation.organisation, user=user)
            return Accepted(invitation=invitation, membership=membership, taken=None, already=True)
        membership = membership_join(organisation_id=invitation.organisation_id, user=user, role=invitation.role, now=now)
        taken = None
        if invitation.course_id:
            taken = seat_take(
                organisation_id=invitation.organisation_id, user=user, course=invitation.course,
                invitation=invitation, now=now,
            )
        invitation.status = Status.ACCEPTED
        invitation.accepted_by = user
        invitation.accepted_at = now
        invitation.save(update_fields=["status", "accepted_by", "accepted_at"])
        return Accepted(invitation=invitation, membership=membership, taken=taken)
