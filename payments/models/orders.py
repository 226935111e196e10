"""Orders (a learner's place, or an organisation's seats) and the refunds given on them.

Every amount on an order comes from the server (the course's fee, the code's discount, a
donation within bounds), never from the browser. The database backs the rules that money
depends on: one paid order per learner and course, one order per Stripe payment, one row
per Stripe refund, totals that add up and refunds within what was paid.
"""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from .. import money
from .base import AMOUNT, ZERO
from .codes import DiscountCode


class Order(models.Model):
    """One learner buying one place on one course (with an optional donation), or a
    manager buying ``quantity`` seats on a course for their organisation (the
    ``organisations`` app links the order to the seats; the buyer is not enrolled)."""

    class Purpose(models.TextChoices):
        PLACE = "place", _("A place for the buyer")
        SEATS = "seats", _("Seats for an organisation")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting payment")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Payment failed")
        EXPIRED = "expired", _("Expired unpaid")
        REFUNDED = "refunded", _("Refunded")
        PARTIALLY_REFUNDED = "partially_refunded", _("Partly refunded")
        DISPUTED = "disputed", _("Disputed")
        NEEDS_ATTENTION = "needs_attention", _("Needs attention")

    # Orders whose payment holds a place (one per learner and course).
    HOLDS_PLACE = (Status.PAID, Status.PARTIALLY_REFUNDED, Status.DISPUTED)
    # Orders still waiting for money: Stripe may yet report a payment.
    OPEN = (Status.PENDING, Status.FAILED)
    # Orders for which money was taken at some point: they have a receipt.
    WITH_RECEIPT = (Status.PAID, Status.PARTIALLY_REFUNDED, Status.REFUNDED, Status.DISPUTED)

    class Flag(models.TextChoices):
        AMOUNT_MISMATCH = "amount_mismatch", _("Paid amount or currency differs from the order")
        DUPLICATE_PURCHASE = "duplicate_purchase", _("Learner already had a paid place")
        SECOND_PAYMENT = "second_payment", _("A second payment was made for this order")
        DISPUTE = "dispute", _("Dispute opened")
        DISPUTE_LOST = "dispute_lost", _("Dispute lost")
        NO_LEARNER = "no_learner", _("The learner's account no longer exists")
        CODE_OVERUSED = "code_overused", _("Paid after its discount code was used up")
        REFUND_FAILED = "refund_failed", _("A refund failed")
        SEATS_IN_USE = "seats_in_use", _("Refunded seats are in use by learners")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="orders"
    )
    email = models.EmailField(help_text=_("The learner's email when they ordered (for the receipt)."))
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="+")
    course_title = models.CharField(max_length=255)
    purpose = models.CharField(max_length=8, choices=Purpose.choices, default=Purpose.PLACE)
    quantity = models.PositiveIntegerField(default=1, help_text=_("Places bought (seats for an organisation)."))
    currency = models.CharField(max_length=3)
    price_amount = models.DecimalField(_("course fee"), **AMOUNT, help_text=_("The fee for all places bought."))
    discount_code = models.ForeignKey(
        DiscountCode, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    discount_code_text = models.CharField(_("discount code used"), max_length=40, blank=True)
    discount_amount = models.DecimalField(_("discount"), **AMOUNT, default=ZERO)
    # True while this order holds one use of its discount code (released if it expires).
    discount_reserved = models.BooleanField(default=False, editable=False)
    donation_amount = models.DecimalField(_("donation"), **AMOUNT, default=ZERO)
    total_amount = models.DecimalField(_("total"), **AMOUNT)
    amount_paid = models.DecimalField(**AMOUNT, null=True, blank=True, help_text=_("As reported by Stripe."))
    amount_refunded = models.DecimalField(**AMOUNT, default=ZERO)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.PENDING)
    flags = models.JSONField(default=list, blank=True, help_text=_("Why staff should look at this order."))
    attention_note = models.TextField(blank=True)
    last_payment_error = models.CharField(max_length=500, blank=True)

    stripe_checkout_session_id = models.CharField(max_length=255, blank=True)
    stripe_checkout_url = models.CharField(max_length=2048, blank=True)
    stripe_payment_intent_id = models.CharField(max_length=255, blank=True)
    stripe_charge_id = models.CharField(max_length=255, blank=True)

    enrollment = models.ForeignKey(
        "courses.Enrollment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, help_text=_("When it expired or was fully refunded."))
    last_checked_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Last time reconciliation asked Stripe about it.")
    )
    receipt_queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    receipt_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("refund_order", "Can refund orders")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(status__in=["paid", "partially_refunded", "disputed"], purpose="place"),
                name="payments_order_one_paid_per_course",
            ),
            models.UniqueConstraint(
                fields=["stripe_payment_intent_id"],
                condition=~Q(stripe_payment_intent_id=""),
                name="payments_order_payment_intent_unique",
            ),
            models.UniqueConstraint(
                fields=["stripe_checkout_session_id"],
                condition=~Q(stripe_checkout_session_id=""),
                name="payments_order_checkout_session_unique",
            ),
            models.CheckConstraint(
                condition=Q(price_amount__gte=0, discount_amount__gte=0, donation_amount__gte=0, total_amount__gte=0),
                name="payments_order_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(discount_amount__lte=F("price_amount")), name="payments_order_discount_within_fee"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & (Q(purpose="seats") | Q(quantity=1)),
                name="payments_order_one_place_unless_seats",
            ),
            models.CheckConstraint(
                condition=Q(total_amount=F("price_amount") - F("discount_amount") + F("donation_amount")),
                name="payments_order_total_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(amount_refunded__gte=0)
                & (Q(amount_paid__isnull=True, amount_refunded=0) | Q(amount_refunded__lte=F("amount_paid"))),
                name="payments_order_refund_within_paid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["user", "course"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.course_title} · {self.email}"

    @property
    def reference(self) -> str:
        return f"ORD-{self.pk:06d}" if self.pk else "ORD-new"

    @property
    def course_amount(self) -> Decimal:
        """The fee after discount: what the place itself costs."""
        return self.price_amount - self.discount_amount

    @property
    def unit_amount(self) -> Decimal:
        """What one place cost after discount (seat orders divide evenly: no codes apply)."""
        return self.course_amount / self.quantity

    @property
    def is_seats(self) -> bool:
        return self.purpose == self.Purpose.SEATS

    @property
    def refundable_amount(self) -> Decimal:
        return max((self.amount_paid or ZERO) - self.amount_refunded, ZERO)

    @property
    def has_receipt(self) -> bool:
        return self.status in self.WITH_RECEIPT

    def display(self, field: str) -> str:
        return money.display(getattr(self, field), self.currency)

    def flag_labels(self) -> list[str]:
        labels = dict(self.Flag.choices)
        return [labels.get(flag, flag) for flag in self.flags]


class Refund(models.Model):
    """Money given back on an order: by staff here, or in Stripe's dashboard (then
    recorded from Stripe's events). One row per Stripe refund."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested (waiting for Stripe)")
        PENDING = "pending", _("Pending")
        REQUIRES_ACTION = "requires_action", _("Requires action")
        SUCCEEDED = "succeeded", _("Refunded")
        FAILED = "failed", _("Failed")
        CANCELED = "canceled", _("Cancelled")

    # Counted in the order's amount refunded (as Stripe counts it on the charge).
    COUNTED = (Status.PENDING, Status.REQUIRES_ACTION, Status.SUCCEEDED)
    # Not refundable again: counted ones and those Stripe has not answered for yet.
    RESERVED = (Status.REQUESTED, *COUNTED)

    class Reason(models.TextChoices):
        REQUESTED_BY_CUSTOMER = "requested_by_customer", _("The learner asked")
        COURSE_CANCELLED = "course_cancelled", _("Course withdrawn or changed")
        DUPLICATE = "duplicate", _("Paid twice")
        FEE_WAIVER = "fee_waiver", _("Fee waiver granted afterwards")
        FRAUDULENT = "fraudulent", _("Fraudulent payment")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        STAFF = "staff", _("Staff, in this admin")
        STRIPE = "stripe", _("Stripe dashboard")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(**AMOUNT)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.STAFF)
    stripe_refund_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    idempotency_key = models.CharField(max_length=255, null=True, blank=True, unique=True)
    reason = models.CharField(max_length=30, choices=Reason.choices, blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    notify_queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_refund_amount_positive"),
        ]

    def __str__(self) -> str:
        return gettext("Refund of %(amount)s on %(reference)s") % {
            "amount": money.display(self.amount, self.currency), "reference": self.order.reference,
        }

