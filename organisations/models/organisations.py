"""An organisation and the people in it: its members and their roles."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from kernel.names import validate_printable_name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        TREATMENT = "treatment", _("Treatment or rehabilitation service")
        HEALTH = "health", _("Hospital or health service")
        COMMUNITY = "community", _("Community group or charity")
        JUSTICE = "justice", _("Justice, probation or prison service")
        EDUCATION = "education", _("College or training provider")
        PRACTICE = "practice", _("Private practice")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=200, validators=[validate_printable_name])
    kind = models.CharField(_("kind of organisation"), max_length=20, choices=Kind.choices)
    country = CountryField()
    billing_email = models.EmailField(help_text=_("Where receipts for seats are sent."))
    is_partner = models.BooleanField(
        _("partner organisation"), default=False,
        help_text=_("Members of partner organisations may take courses and modules kept for partners."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        permissions = [("grant_seats", "Can grant seats to organisations")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's link to an organisation. ``left_at`` set: they left, and their progress
    is no longer shared (the row stays so that a later invitation can bring them back)."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MANAGER = "manager", _("Manager")
        MEMBER = "member", _("Staff member")

    MANAGING = (Role.OWNER, Role.MANAGER)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="organisations_membership_once"),
        ]
        indexes = [models.Index(fields=["user", "left_at"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation} ({self.role})"

    @property
    def is_active(self) -> bool:
        return self.left_at is None

    @property
    def can_manage(self) -> bool:
        return self.is_active and self.role in self.MANAGING
