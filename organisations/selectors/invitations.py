"""Reads about invitations: their signed links, whether one can be accepted, the lists a
manager pastes or uploads (checked before anything is sent), and the manager's pages.

The link carries ``[id, nonce]`` signed with Django's ``Signer`` (HMAC with the secret
key and a salt of its own; no timestamp, so the same invitation always has the same link),
so a changed character is refused before any query, the id alone is useless, and
re-sending (a new nonce) retires the older link. Expiry is the row's ``expires_at``; used
and withdrawn invitations are refused with a plain message and change nothing.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext

from courses.models import CoursePage
from kernel.names import name_problem
from kernel.when import day_text

from ..errors import InvitationInvalid, InvitationTampered
from ..models import Invitation, Membership, Organisation, Seat, SeatPool

if TYPE_CHECKING:
    from accounts.models import User

SALT = "organisations.invitation"
Status = Invitation.Status
Role = Membership.Role


# --- the link ------------------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return signing.Signer(salt=SALT).sign_object([invitation.pk, invitation.nonce])


def invitation_url(invitation: Invitation) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return f"{base}{reverse('organisations:invitation', args=[invitation_token(invitation)])}"


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link names, whatever its state; ``InvitationInvalid`` if the link
    was changed or replaced by a newer one."""
    try:
        pk, nonce = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise InvitationTampered(gettext(
            "This invitation link is not complete or has been changed. Copy the whole link from the email, "
            "or ask the person who invited you to send it again."
        )) from None
    invitation = Invitation.objects.select_related("organisation", "course", "invited_by").filter(pk=pk).first()
    if invitation is None or invitation.nonce != nonce:
        raise InvitationInvalid(gettext(
            "This invitation link has been replaced by a newer one. Please use the most recent email you received."
        ))
    return invitation


def invitation_problem(invitation: Invitation, *, user: User | None = None, now: datetime | None = None) -> str | None:
    """Why the invitation cannot be accepted now, in words for the person; None if it can."""
    who = invitation.organisation.name
    if invitation.status == Status.ACCEPTED:
        if user is not None and invitation.accepted_by_id == getattr(user, "pk", None):
            return None
        return gettext(
            "This invitation to %(organisation)s has already been used. If you need a place, ask %(organisation)s "
            "for a new invitation."
        ) % {"organisation": who}
    if invitation.status == Status.WITHDRAWN:
        return gettext(
            "%(organisation)s has withdrawn this invitation. If you think that is a mistake, please contact them."
        ) % {"organisation": who}
    if invitation.is_expired(now):
        return gettext("This invitation expired on %(day)s. Ask %(organisation)s to send it again.") % {
            "day": day_text(invitation.expires_at), "organisation": who,
        }
    return None


def place_is_paid(invitation: Invitation) -> bool:
    """Whether the place the invitation offers is one the organisation pays for: a course
    with a fee. On a free course there is nothing to pay, and the email and the page say
    so rather than thank the organisation for paying."""
    return invitation.course is not None and not invitation.course.is_free


# --- lists of people to invite -------------------------------------------------------------------


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


def split_line(text: str) -> tuple[str, str]:
    """"Name <email>", "email, name", "name, email" or a bare address: (email, name)."""
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


def rows_from_csv(data: str) -> list[tuple[int, str, str]]:
    """(line, email, name) of each row: under an ``email`` (and ``name``) header, or, with
    no header, each row read as a pasted line."""
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
            email, name = split_line(",".join(cells))
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
        raw = rows_from_csv(csv_data)
    else:
        raw = [(n, *split_line(line)) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
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
            row.problem = gettext("No email address on this line.")
        else:
            try:
                validate_email(email)
            except ValidationError:
                row.problem = gettext("“%(email)s” is not an email address.") % {"email": email}
        if not row.problem and (problem := name_problem(name)):
            # The name is printed in the invitation: nothing invisible may reorder it.
            row.problem = problem
        if not row.problem:
            if key in seen:
                row.problem = gettext("This address is already on the list.")
            elif key in pending:
                row.problem = gettext("Already invited: the invitation is waiting for an answer (you can send it again).")
            elif key in members:
                row.problem = gettext("Already has a place.") if course is not None else gettext("Already a manager.")
            elif len(preview.good) >= limit:
                row.problem = gettext("Only %(limit)s people can be invited at once.") % {"limit": limit}
        seen.add(key)
        preview.rows.append(row)
    return preview


# --- the manager's pages -------------------------------------------------------------------------


def pending_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation=organisation, status=Status.PENDING).select_related(
        "course", "invited_by"
    )


def pending_counts_by_course(organisation: Organisation) -> dict[int, int]:
    """Staff invitations still waiting for an answer, per course id (one query)."""
    rows = (
        Invitation.objects.filter(organisation=organisation, status=Status.PENDING, course__isnull=False)
        .values("course_id")
        .annotate(n=Count("pk"))
    )
    return {row["course_id"]: row["n"] for row in rows}


def recently_accepted(organisation: Organisation, *, since: datetime) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(organisation=organisation, status=Status.ACCEPTED, accepted_at__gte=since)
        .select_related("course", "accepted_by")
        .order_by("-accepted_at")
    )


def invitable_courses(organisation: Organisation) -> QuerySet[CoursePage]:
    """Live courses the organisation holds seats on (bought or granted), and free courses
    (a place is added as each person accepts): an invitation to any other course could
    never be accepted, there being no seat to take."""
    courses = CoursePage.objects.live().filter(
        Q(pk__in=SeatPool.objects.filter(organisation=organisation, total__gt=0).values("course_id"))
        | Q(price_amount__isnull=True) | Q(price_amount=0)
    ).order_by("title")
    if not organisation.is_partner:
        courses = courses.filter(partners_only=False)
    return courses
