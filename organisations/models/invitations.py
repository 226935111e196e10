"""Invitations: emailed, signed, expiring links to join an organisation."""
from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from kernel.names import validate_printable_name

from .organisations import Membership, Organisation


def new_nonce() -> str:
    """A fresh part of an invitation's signed link (see ``Invitation.nonce``)."""
    return secrets.token_urlsafe(12)


class Invitation(models.Model):
    """An emailed, signed, expiring link to join an organisation: as a staff member with a
    place on a course, or as a manager."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    name = models.CharField(
        max_length=150, blank=True, help_text=_("Optional: how to greet them."), validators=[validate_printable_name]
    )
    role = models.CharField(max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    course = models.ForeignKey("courses.CoursePage", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Part of the signed token: re-sending makes a new one, so an older link stops working.
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Two constraints rather than one with NULLS NOT DISTINCT, which SQLite (the
            # demo's database) cannot make: staff invitations have a course, manager ones none.
            models.UniqueConstraint(
                "organisation", Lower("email"), "course",
                condition=Q(status="pending", course__isnull=False), name="organisations_invitation_one_pending",
            ),
            models.UniqueConstraint(
                "organisation", Lower("email"), "role",
                condition=Q(status="pending", course__isnull=True), name="organisations_invitation_one_pending_manager",
            ),
            models.CheckConstraint(
                condition=~Q(role="member") | Q(course__isnull=False), name="organisations_member_invitation_has_course"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return gettext("Invitation of %(email)s to %(organisation)s") % {"email": self.email, "organisation": self.organisation}

    def is_expired(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at
