"""Invitations: signed, expiring links that bring staff (with a place on a course) or
managers into an organisation.

The link carries ``[id, nonce]`` signed with Django's ``Signer`` (HMAC with the secret
key and a salt of its own; no timestamp, so the same invitation always has the same link), so a changed character is refused before any query, the id
alone is useless, and re-sending (a new nonce) retires the older link. Expiry is the
row's ``expires_at``; used and withdrawn invitations are refused with a plain message
and change nothing.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import emails
from courses.models import CoursePage
from kernel.names import name_problem

from . import jobs
from .models import Invitation, Membership, Organisation, Seat, _nonce
from .services import OrganisationError, SeatsGone, SeatTaken, membership_join, seat_take

SALT = "organisations.invitation"
Status = Invitation.Status
Role = Membership.Role


class InvitationInvalid(OrganisationError):
    """The link cannot be used: tampered, retired, expired, used or withdrawn."""


class InvitationTampered(InvitationInvalid):
    """The link itself was altered or cut short (rather than genuine but no longer usable)."""


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def invitation_token(invitation: Invitation) -> str:
    return signing.Signer(salt=SALT).sign_object([invitation.pk, invitation.nonce])


def invitation_url(invitation: Invitation) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return f"{base}{reverse('organisations:invitation', args=[invitation_token(invitation)])}"


def place_is_paid(invitation: Invitation) -> bool:
    """Whether the place the invitation offers is one the organisation pays for: a course
    with a fee. On a free course there is nothing to pay, and the email and the page say
    so rather than thank the organisation for paying."""
    return invitation.course is not None and not invitation.course.is_free


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link names, whatever its state; ``InvitationInvalid`` if the link
    was changed or replaced by a newer one."""
    try:
        pk, nonce = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise InvitationTampered(
            "This invitation link is not complete or has been changed. Copy the whole link from the email, "
            "or ask the person who invited you to send it again."
        ) from None
    invitation = Invitation.objects.select_related("organisation", "course", "invited_by").filter(pk=pk).first()
    if invitation is None or invitation.nonce != nonce:
        raise InvitationInvalid(
            "This invitation link has been replaced by a newer one. Please use the most recent email you received."
        )
    return invitation


def invitation_problem(invitation: Invitation, *, user=None, now: datetime | None = None) -> str | None:
    """Why the invitation cannot be accepted now, in words for the person; None if it can."""
    who = invitation.organisation.name
    if invitation.status == Status.ACCEPTED:
        if user is not None and invitation.accepted_by_id == getattr(user, "pk", None):
            return None
        return f"This invitation to {who} has already been used. If you need a place, ask {who} for a new invitation."
    if invitation.status == Status.WITHDRAWN:
        return f"{who} has withdrawn this invitation. If you think that is a mistake, please contact them."
    if invitation.is_expired(now):
        return (
            f"This invitation expired on {timezone.localtime(invitation.expires_at):%d %B %Y}. "
            f"Ask {who} to send it again."
        )
    return None


# --- making invitations -------------------------------------------------------------------------


@dataclass
class Row:
    """One line of a pasted list or CSV file, checked."""

    line: int
    email: str
    name: str = ""
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


@dataclass
class Preview:
    rows: list[Row] = field(default_factory=list)

    @property
    def good(self) -> list[Row]:
        return [row for row in self.rows if row.ok]

    @property
    def bad(self) -> list[Row]:
        return [row for row in self.rows if not row.ok]


def _split_line(text: str) -> tuple[str, str]:
    """"Name <email>", "email, name", "name, email" or a bare address."""
    text = text.strip()
    if "<" in text and text.endswith(">"):
        name, _, email = text[:-1].rpartition("<")
        return email.strip(), name.strip().strip('"')
    parts = [part.strip() for part in text.replace(";", ",").replace("\t", ",").split(",") if part.strip()]
    if not parts:
        return "", ""
    emails_ = [part for part in parts if "@" in part]
    email = emails_[0] if emails_ else parts[0]
    name = " ".join(part for part in parts if part != email)
    return email, name


def _rows_from_csv(data: str) -> list[tuple[int, str, str]]:
    reader = csv.reader(io.StringIO(data))
    rows = list(reader)
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    email_col = next((i for i, cell in enumerate(header) if cell in ("email", "e-mail", "email address")), None)
    name_col = next((i for i, cell in enumerate(header) if cell in ("name", "full name")), None)
    out = []
    if email_col is None:  # no header: each row is parsed like a pasted line
        for n, cells in enumerate(rows, start=1):
            email, name = _split_line(",".join(cells))
            out.append((n, email, name))
        return out
    for n, cells in enumerate(rows[1:], start=2):
        email = cells[email_col].strip() if email_col < len(cells) else ""
        name = cells[name_col].strip() if name_col is not None and name_col < len(cells) else ""
        out.append((n, email, name))
    return out


def invitation_preview(
    *, organisation: Organisation, course: CoursePage | None, role: str = Role.MEMBER,
    text: str = "", csv_data: str = "",
) -> Preview:
    """Check a pasted list (one person per line) or a CSV file (an ``email`` column and
    an optional ``name`` one, or no header) before anything is sent: who will be invited
    and what is wrong with each bad row."""
    if csv_data:
        raw = _rows_from_csv(csv_data)
    else:
        raw = [(n, *_split_line(line)) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    limit = settings.ORGANISATIONS_MAX_INVITATIONS_PER_UPLOAD
    pending = {
        email.lower()
        for email in Invitation.objects.filter(
            organisation=organisation, status=Status.PENDING, course=course, role=role
        ).values_list("email", flat=True)
    }
    if course is not None:
        holders = Seat.objects.filter(pool__organisation=organisation, pool__course=course, released_at__isnull=True)
        members = {email.lower() for email in holders.values_list("user__email", flat=True)}
    else:
        managers = Membership.objects.filter(
            organisation=organisation, left_at__isnull=True, role__in=Membership.MANAGING
        )
        members = {email.lower() for email in managers.values_list("user__email", flat=True)}
    preview = Preview()
    seen: set[str] = set()
    for n, email, name in raw:
        row = Row(line=n, email=email, name=name[:150])
        key = email.lower()
        if not email:
            row.problem = "No email address on this line."
        else:
            try:
                validate_email(email)
            except ValidationError:
                row.problem = f"“{email}” is not an email address."
        if not row.problem and (problem := name_problem(name)):
            # The name is printed in the invitation: nothing invisible may reorder it.
            row.problem = problem
        if not row.problem:
            if key in seen:
                row.problem = "This address is already on the list."
            elif key in pending:
                row.problem = "Already invited: the invitation is waiting for an answer (you can send it again)."
            elif key in members:
                row.problem = "Already has a place." if course is not None else "Already a manager."
            elif len(preview.good) >= limit:
                row.problem = f"Only {limit} people can be invited at once."
        seen.add(key)
        preview.rows.append(row)
    return preview


def invitations_create(
    *, organisation: Organisation, by, rows: list[Row], course: CoursePage | None, role: str = Role.MEMBER,
    now: datetime | None = None,
) -> list[Invitation]:
    """Create and email invitations for the good rows of a preview (checked again here:
    a row that became a duplicate meanwhile is skipped, not an error)."""

    now = _now(now)
    if role == Role.MEMBER and course is None:
        raise OrganisationError("Choose the course the invitation gives a place on.", "course")
    if role == Role.OWNER:
        raise OrganisationError("Invite managers; an owner can then make them owners.", "role")
    if role == Role.MANAGER and not Membership.objects.filter(
        organisation=organisation, user=by, role=Role.OWNER, left_at__isnull=True
    ).exists():
        raise OrganisationError("Only an owner can invite managers.", "role")
    if course is not None and course.partners_only and not organisation.is_partner:
        raise OrganisationError("This course is only for partner organisations.", "course")
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
        emails.send_templated(
            template="organisations/email/invitation",
            context={
                "invitation": invitation, "url": invitation_url(invitation),
                "inviter": invitation.invited_by.get_full_name() if invitation.invited_by else "",
                "days": settings.ORGANISATIONS_INVITATION_DAYS,
                "paid_place": place_is_paid(invitation),
            },
            to=[invitation.email],
        )
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
        return True


def _pending(organisation_id: int, invitation_id: int) -> Invitation:
    invitation = Invitation.objects.select_for_update().filter(pk=invitation_id, organisation_id=organisation_id).first()
    if invitation is None:
        raise OrganisationError("No such invitation.")
    if invitation.status != Status.PENDING:
        raise OrganisationError(f"This invitation was {invitation.get_status_display().lower()} already.")
    return invitation


def invitation_withdraw(*, organisation_id: int, invitation_id: int, by, now: datetime | None = None) -> Invitation:
    """Withdraw an invitation not yet accepted: its link stops working at once."""
    with transaction.atomic():
        invitation = _pending(organisation_id, invitation_id)
        invitation.status = Status.WITHDRAWN
        invitation.withdrawn_at = _now(now)
        invitation.save(update_fields=["status", "withdrawn_at"])
        return invitation


def invitation_resend(*, organisation_id: int, invitation_id: int, by, now: datetime | None = None) -> Invitation:
    """Send a fresh link (the old one stops working) with a new expiry date."""

    now = _now(now)
    with transaction.atomic():
        invitation = _pending(organisation_id, invitation_id)
        invitation.nonce = _nonce()
        invitation.expires_at = now + timedelta(days=settings.ORGANISATIONS_INVITATION_DAYS)
        invitation.sent_at = None
        invitation.save(update_fields=["nonce", "expires_at", "sent_at"])
        jobs.invitation_email.enqueue_on_commit(invitation.pk, invitation.nonce)
        return invitation


# --- accepting ----------------------------------------------------------------------------------


@dataclass
class Accepted:
    invitation: Invitation
    membership: Membership
    taken: SeatTaken | None  # None for a manager invitation
    already: bool = False  # the same person opened an accepted link again


def invitation_accept(*, token: str, user, now: datetime | None = None) -> Accepted:
    """The signed-in person accepts: joins the organisation and, for a staff invitation,
    takes a seat on the course (unless they already have a place). All or nothing:
    when the seats are gone (``SeatsGone``) or the link cannot be used
    (``InvitationInvalid``) nothing changes."""
    now = _now(now)
    invitation = invitation_from_token(token)
    with transaction.atomic():
        # ``of``: PostgreSQL refuses FOR UPDATE on the nullable side of the course's outer join.
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organisation", "course")
            .get(pk=invitation.pk)
        )
        problem = invitation_problem(invitation, user=user, now=now)
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


__all__ = [
    "Accepted", "InvitationInvalid", "InvitationTampered", "Preview", "Row", "SeatsGone", "invitation_accept", "invitation_from_token",
    "invitation_preview", "invitation_problem", "invitation_resend", "invitation_send", "invitation_token",
    "invitation_url", "invitation_withdraw", "invitations_create",
]
