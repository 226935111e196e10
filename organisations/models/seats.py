"""Seats: the places an organisation holds on a course, their ledger, the purchases that
fill them and the people who hold them."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .organisations import Organisation


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

    def __str__(self) -> str:
        return f"{self.organisation}: {self.used}/{self.total} on course {self.course_id}"

    @property
    def free(self) -> int:
        return max(self.total - self.used, 0)


class SeatChange(models.Model):
    """The ledger of a pool's total: purchases, staff grants, refunds and corrections."""

    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("Bought online")
        GRANT = "grant", _("Granted by staff")
        REFUND = "refund", _("Refunded")
        REMOVAL = "removal", _("Removed by staff")

    pool = models.ForeignKey(SeatPool, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    quantity = models.IntegerField(help_text=_("Seats added (positive) or removed (negative)."))
    order = models.ForeignKey("payments.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500, blank=True, help_text=_("For example the invoice number or the grant's name."))
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
