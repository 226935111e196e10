"""Organisations that train their staff: members and roles, seats on courses, invitations.

What the database guarantees, however many requests race:

- one membership per person and organisation;
- a seat pool per organisation and course whose ``used`` never exceeds ``total``
  (a check constraint, so N seats can never become N+1 places);
- one seat per person and pool while it is held;
- one pending invitation per address, organisation and course;
- one purchase of seats per payment order.

Managers see progress through these rows and the learner's enrolment; nothing here holds
what a learner keeps private (reflections, written answers).
"""
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django_countries.fields import CountryField

from kernel.names import validate_printable_name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        TREATMENT = "treatment", "Treatment or rehabilitation service"
        HEALTH = "health", "Hospital or health service"
        COMMUNITY = "community", "Community group or charity"
        JUSTICE = "justice", "Justice, probation or prison service"
        EDUCATION = "education", "College or training provider"
        PRACTICE = "practice", "Private practice"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, validators=[validate_printable_name])
    kind = models.CharField("kind of organisation", max_length=20, choices=Kind.choices)
    country = CountryField()
    billing_email = models.EmailField(help_text="Where receipts for seats are sent.")
    is_partner = models.BooleanField(
        "partner organisation", default=False,
        help_text="Members of partner organisations may take courses and modules kept for partners.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        permissions = [("grant_seats", "Can grant seats to organisations")]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A person's link to an organisation. ``left_at`` set: they left, and their progress
    is no longer shared (the row stays so that a later invitation can bring them back)."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MANAGER = "manager", "Manager"
        MEMBER = "member", "Staff member"

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

    def __str__(self):
        return f"{self.user} in {self.organisation} ({self.role})"

    @property
    def is_active(self) -> bool:
        return self.left_at is None

    @property
    def can_manage(self) -> bool:
        return self.is_active and self.role in self.MANAGING


class SeatPool(models.Model):
    """The places an organisation holds on one course: ``total`` bought or granted,
    ``used`` taken by its staff. Every change to ``total`` is a ``SeatChange`` row."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="seat_pools")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="+")
    total = models.PositiveIntegerField(default=0)
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "course"], name="organisations_pool_once_per_course"),
            models.CheckConstraint(condition=Q(used__lte=F("total")), name="organisations_pool_used_within_total"),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.used}/{self.total} on course {self.course_id}"

    @property
    def free(self) -> int:
        return max(self.total - self.used, 0)


class SeatChange(models.Model):
    """The ledger of a pool's total: purchases, staff grants, refunds and corrections."""

    class Kind(models.TextChoices):
        PURCHASE = "purchase", "Bought online"
        GRANT = "grant", "Granted by staff"
        REFUND = "refund", "Refunded"
        REMOVAL = "removal", "Removed by staff"

    pool = models.ForeignKey(SeatPool, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    quantity = models.IntegerField(help_text="Seats added (positive) or removed (negative).")
    order = models.ForeignKey("payments.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500, blank=True, help_text="For example the invoice number or the grant's name.")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="organisations_change_not_zero"),
            models.UniqueConstraint(
                fields=["order"], condition=Q(kind="purchase"), name="organisations_purchase_once_per_order"
            ),
        ]


class SeatPurchase(models.Model):
    """Links a payment order for seats to the pool it fills (made when checkout starts;
    the seats arrive when the order is paid)."""

    order = models.OneToOneField("payments.Order", on_delete=models.PROTECT, related_name="seat_purchase")
    pool = models.ForeignKey(SeatPool, on_delete=models.PROTECT, related_name="purchases")
    quantity = models.PositiveIntegerField()
    # Seats of this purchase taken away by refunds so far (never more than ``quantity``).
    refunded = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="organisations_purchase_quantity_positive"),
            models.CheckConstraint(
                condition=Q(refunded__lte=F("quantity")), name="organisations_purchase_refund_within_quantity"
            ),
        ]


class Seat(models.Model):
    """One person holding one place from a pool. Released (by a manager, before the
    learner made progress) it goes back to the pool; the row stays as history."""

    pool = models.ForeignKey(SeatPool, on_delete=models.CASCADE, related_name="seats")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seats")
    enrollment = models.ForeignKey("courses.Enrollment", null=True, on_delete=models.SET_NULL, related_name="+")
    invitation = models.ForeignKey("Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    taken_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "user"], condition=Q(released_at__isnull=True), name="organisations_seat_once_per_person"
            ),
        ]


def _nonce() -> str:
    return secrets.token_urlsafe(12)


class Invitation(models.Model):
    """An emailed, signed, expiring link to join an organisation: as a staff member with a
    place on a course, or as a manager."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    name = models.CharField(
        max_length=150, blank=True, help_text="Optional: how to greet them.", validators=[validate_printable_name]
    )
    role = models.CharField(max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    course = models.ForeignKey("courses.CoursePage", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Part of the signed token: re-sending makes a new one, so an older link stops working.
    nonce = models.CharField(max_length=32, default=_nonce, editable=False)
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

    def __str__(self):
        return f"Invitation of {self.email} to {self.organisation}"

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at
