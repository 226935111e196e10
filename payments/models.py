"""Orders for course fees, the Stripe events that settle them, refunds, and discount codes.

Amounts are ``Decimal`` in the currency's major unit (see ``payments.money``); every
amount on an order comes from the server (the course's fee, the code's discount, a
donation within bounds), never from the browser. The database backs the rules that
money depends on: one paid order per learner and course, one order per Stripe payment,
one row per Stripe event and per Stripe refund, a code never used more than allowed.
"""
import string
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone

from . import money

ZERO = Decimal("0")
AMOUNT = {"max_digits": 10, "decimal_places": 2}


def normalise_code(text: str) -> str:
    """What learners type, the way codes are stored: no spaces, upper case."""
    return "".join((text or "").split()).upper()


CODE_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-")


def code_problem(text: str) -> str | None:
    """What is wrong with a code as staff typed it, in words; None if it is fine.

    Staff are told rather than having the code quietly changed: a code saved as something
    other than what they typed (spaces dropped, an accented letter kept) is not the code
    they hand out. Only ASCII letters and digits, because learners type codes on any
    keyboard and ``iexact`` lookups do not fold accents; at least one of them, because
    ``---`` is not a code anybody could read out.
    """
    bad = []
    for character in text:
        shown = "spaces" if character.isspace() else f"“{character}”"
        if character not in CODE_CHARACTERS and shown not in bad:
            bad.append(shown)
    if bad:
        return f"Use only the letters A to Z, digits and dashes. Not allowed: {', '.join(bad)}."
    if not any(character.isalnum() for character in text):
        return "A code needs at least one letter or digit."
    return None


class DiscountCode(models.Model):
    """A code that takes a percentage or a fixed amount off a course fee.

    Limited, if staff wish, to some courses, a number of uses and a date. Scholarship
    codes are generated in batches, each single-use (``discount_codes_generate``).
    A use is reserved when a checkout starts and released if that checkout expires
    unpaid, so a single-use code can never pay for two places.
    """

    class Kind(models.TextChoices):
        PERCENT = "percent", "Percentage off the fee"
        FIXED = "fixed", "Fixed amount off the fee"

    code = models.CharField(
        max_length=40,
        help_text="What learners type: letters, digits and dashes. Not case-sensitive.",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERCENT)
    value = models.DecimalField(
        **AMOUNT,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="A percentage (100 waives the whole fee) or an amount in the currency below.",
    )
    currency = models.CharField(
        max_length=3, blank=True,
        help_text="For a fixed amount only: the currency of the amount (for example USD). "
        "The code then applies to fees in that currency.",
    )
    courses = models.ManyToManyField(
        "courses.CoursePage", blank=True, related_name="+",
        help_text="Leave empty for every paid course.",
    )
    max_uses = models.PositiveIntegerField(
        "maximum uses", null=True, blank=True,
        help_text="Leave empty for no limit. Scholarship codes are single-use.",
    )
    uses = models.PositiveIntegerField(
        default=0, editable=False,
        help_text="Paid places and checkouts in progress that use this code.",
    )
    expires_at = models.DateTimeField("expires", null=True, blank=True)
    active = models.BooleanField(default=True, help_text="Untick to stop the code working at once.")
    batch_label = models.CharField(
        "batch", max_length=100, blank=True,
        help_text="Codes generated together share a label, for example “Scholarships spring 2026”.",
    )
    is_scholarship = models.BooleanField("scholarship code", default=False, editable=False)
    note = models.TextField(blank=True, help_text="For staff only: what the code is for, who it was given to.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "discount code"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Upper("code"), name="payments_discount_code_ci_unique"),
            models.CheckConstraint(condition=Q(value__gt=0), name="payments_discount_value_positive"),
            models.CheckConstraint(
                condition=~Q(kind="percent") | Q(value__lte=100), name="payments_discount_percent_max_100"
            ),
            models.CheckConstraint(
                condition=~Q(kind="fixed") | ~Q(currency=""), name="payments_discount_fixed_has_currency"
            ),
            models.CheckConstraint(
                condition=Q(max_uses__isnull=True) | Q(uses__lte=F("max_uses")),
                name="payments_discount_uses_within_limit",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def uses_left(self) -> int | None:
        return None if self.max_uses is None else max(self.max_uses - self.uses, 0)

    def describe(self) -> str:
        if self.kind == self.Kind.PERCENT:
            return f"{self.value.normalize():f}% off"
        return f"{money.display(self.value, self.currency)} off"

    def clean(self):
        super().clean()
        self.currency = (self.currency or "").upper()
        errors = {}
        stored = self._stored()
        # An empty code is the field's own error ("required"); the form strips the ends.
        # A code saved before these rules (an underscore, an accented letter, 0 uses) is
        # kept as it is while other fields are edited: learners may hold it, and staff must
        # still be able to switch it off.
        code_changed = stored is None or stored["code"].upper() != (self.code or "").upper()
        if self.code and code_changed and (problem := code_problem(self.code)):
            errors["code"] = problem
        elif self.code:
            self.code = self.code.upper()  # codes are not case-sensitive: stored in capitals
            if DiscountCode.objects.filter(code__iexact=self.code).exclude(pk=self.pk).exists():
                errors["code"] = "Another discount code is already called that."
        if self.kind == self.Kind.PERCENT and self.value is not None and self.value > 100:
            errors["value"] = "A percentage cannot be more than 100."
        if self.kind == self.Kind.FIXED and (len(self.currency) != 3 or not self.currency.isalpha()):
            errors["currency"] = "A fixed amount needs its three-letter currency, for example USD."
        if self.kind == self.Kind.PERCENT:
            self.currency = ""
        if self.max_uses is not None and self.max_uses < 1 and (stored is None or stored["max_uses"] != self.max_uses):
            # 0 would make a code that never works. Checked here, not by a database
            # constraint: rows saved before this rule may hold 0.
            errors["max_uses"] = "Allow at least 1 use, or leave it empty for no limit."
        elif self.max_uses is not None and self.max_uses < self.uses:  # so at least 2 uses: "times"
            errors["max_uses"] = f"It has already been used {self.uses} times."
        if self.expires_at is not None and self.expires_at <= timezone.now() and self._expiry_changed(stored):
            # A code that has already expired is refused at checkout: staff would hand
            # out a dead code. An expiry left as it was (a code that has run its course,
            # its note edited) is no mistake and is kept.
            errors["expires_at"] = (
                "That date and time has already passed. Choose a later one, or untick “Active” to stop the code now."
            )
        if errors:
            raise ValidationError(errors)

    def _stored(self) -> dict | None:
        """The code as saved (None for a new one), to tell what an edit changes."""
        if self.pk is None:
            return None
        return DiscountCode.objects.filter(pk=self.pk).values("code", "max_uses", "expires_at").first()

    def _expiry_changed(self, stored: dict | None) -> bool:
        if stored is None or stored["expires_at"] is None:
            return True
        # The admin shows and sends back whole minutes: the seconds it drops are no change.
        return abs(stored["expires_at"] - self.expires_at) >= timedelta(minutes=1)


class Order(models.Model):
    """One learner buying one place on one course (with an optional donation), or a
    manager buying ``quantity`` seats on a course for their organisation (the
    ``organisations`` app links the order to the seats; the buyer is not enrolled)."""

    class Purpose(models.TextChoices):
        PLACE = "place", "A place for the buyer"
        SEATS = "seats", "Seats for an organisation"

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting payment"
        PAID = "paid", "Paid"
        FAILED = "failed", "Payment failed"
        EXPIRED = "expired", "Expired unpaid"
        REFUNDED = "refunded", "Refunded"
        PARTIALLY_REFUNDED = "partially_refunded", "Partly refunded"
        DISPUTED = "disputed", "Disputed"
        NEEDS_ATTENTION = "needs_attention", "Needs attention"

    # Orders whose payment holds a place (one per learner and course).
    HOLDS_PLACE = (Status.PAID, Status.PARTIALLY_REFUNDED, Status.DISPUTED)
    # Orders still waiting for money: Stripe may yet report a payment.
    OPEN = (Status.PENDING, Status.FAILED)
    # Orders for which money was taken at some point: they have a receipt.
    WITH_RECEIPT = (Status.PAID, Status.PARTIALLY_REFUNDED, Status.REFUNDED, Status.DISPUTED)

    class Flag(models.TextChoices):
        AMOUNT_MISMATCH = "amount_mismatch", "Paid amount or currency differs from the order"
        DUPLICATE_PURCHASE = "duplicate_purchase", "Learner already had a paid place"
        SECOND_PAYMENT = "second_payment", "A second payment was made for this order"
        DISPUTE = "dispute", "Dispute opened"
        DISPUTE_LOST = "dispute_lost", "Dispute lost"
        NO_LEARNER = "no_learner", "The learner's account no longer exists"
        CODE_OVERUSED = "code_overused", "Paid after its discount code was used up"
        REFUND_FAILED = "refund_failed", "A refund failed"
        SEATS_IN_USE = "seats_in_use", "Refunded seats are in use by learners"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="orders"
    )
    email = models.EmailField(help_text="The learner's email when they ordered (for the receipt).")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="+")
    course_title = models.CharField(max_length=255)
    purpose = models.CharField(max_length=8, choices=Purpose.choices, default=Purpose.PLACE)
    quantity = models.PositiveIntegerField(default=1, help_text="Places bought (seats for an organisation).")
    currency = models.CharField(max_length=3)
    price_amount = models.DecimalField("course fee", **AMOUNT, help_text="The fee for all places bought.")
    discount_code = models.ForeignKey(
        DiscountCode, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    discount_code_text = models.CharField("discount code used", max_length=40, blank=True)
    discount_amount = models.DecimalField("discount", **AMOUNT, default=ZERO)
    # True while this order holds one use of its discount code (released if it expires).
    discount_reserved = models.BooleanField(default=False, editable=False)
    donation_amount = models.DecimalField("donation", **AMOUNT, default=ZERO)
    total_amount = models.DecimalField("total", **AMOUNT)
    amount_paid = models.DecimalField(**AMOUNT, null=True, blank=True, help_text="As reported by Stripe.")
    amount_refunded = models.DecimalField(**AMOUNT, default=ZERO)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.PENDING)
    flags = models.JSONField(default=list, blank=True, help_text="Why staff should look at this order.")
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
    closed_at = models.DateTimeField(null=True, blank=True, help_text="When it expired or was fully refunded.")
    last_checked_at = models.DateTimeField(
        null=True, blank=True, help_text="Last time reconciliation asked Stripe about it."
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

    def __str__(self):
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
        REQUESTED = "requested", "Requested (waiting for Stripe)"
        PENDING = "pending", "Pending"
        REQUIRES_ACTION = "requires_action", "Requires action"
        SUCCEEDED = "succeeded", "Refunded"
        FAILED = "failed", "Failed"
        CANCELED = "canceled", "Cancelled"

    # Counted in the order's amount refunded (as Stripe counts it on the charge).
    COUNTED = (Status.PENDING, Status.REQUIRES_ACTION, Status.SUCCEEDED)
    # Not refundable again: counted ones and those Stripe has not answered for yet.
    RESERVED = (Status.REQUESTED, *COUNTED)

    class Reason(models.TextChoices):
        REQUESTED_BY_CUSTOMER = "requested_by_customer", "The learner asked"
        COURSE_CANCELLED = "course_cancelled", "Course withdrawn or changed"
        DUPLICATE = "duplicate", "Paid twice"
        FEE_WAIVER = "fee_waiver", "Fee waiver granted afterwards"
        FRAUDULENT = "fraudulent", "Fraudulent payment"
        OTHER = "other", "Other"

    class Source(models.TextChoices):
        STAFF = "staff", "Staff, in this admin"
        STRIPE = "stripe", "Stripe dashboard"

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

    def __str__(self):
        return f"Refund of {money.display(self.amount, self.currency)} on {self.order.reference}"


class StripeEvent(models.Model):
    """A webhook event, stored once (by Stripe's id) after its signature was verified,
    then processed by ``stripe_event_process_task``."""

    stripe_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    livemode = models.BooleanField(default=False)
    api_version = models.CharField(max_length=64, blank=True)
    payload = models.JSONField()
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    processing_error = models.TextField(blank=True)
    outcome = models.CharField(max_length=255, blank=True, help_text="What processing did.")
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="stripe_events")

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["processed_at", "received_at"])]

    def __str__(self):
        return f"{self.type} {self.stripe_id}"

    @property
    def data_object(self) -> dict:
        return (self.payload.get("data") or {}).get("object") or {}


class ScholarshipApplication(models.Model):
    """A learner asking for help with a course fee: why, and what they can pay.

    Staff approve (a single-use code for the course covering the fee less what the learner
    can pay, emailed to them) or decline (with an optional kind note, emailed). An open
    application closes by itself when the learner gets a place another way (``CLOSED``:
    nobody decided it, ``closed_reason`` says how, ``decided_at`` when, and no decision
    email goes). One open application per learner and course. Only what the decision needs
    is kept: the learner's own words (the form asks them not to include health details)
    and an amount.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        CLOSED = "closed", "Closed: got a place another way"

    REASON_MIN = 20
    REASON_MAX = 1500

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scholarship_applications")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    course_title = models.CharField(max_length=255)
    currency = models.CharField(max_length=3)
    fee = models.DecimalField("course fee when applying", **AMOUNT)
    reason = models.TextField("why they are applying", max_length=REASON_MAX)
    can_pay = models.DecimalField("what they can pay", **AMOUNT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decision_note = models.TextField("note to the learner", blank=True, max_length=1000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    discount_code = models.OneToOneField(
        DiscountCode, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="scholarship_application"
    )
    # How the learner got a place when the application closed by itself, e.g. "Organisation
    # seat (enrolment 12)"; empty for applications staff decided.
    closed_reason = models.CharField("closed because", max_length=255, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    email_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the learner was told their application arrived: set once, like the others.
    received_email_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When staff (PAYMENTS_STAFF_EMAILS) were told it is waiting: set once, so a retried
    # task does not tell them twice.
    staff_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at"]
        verbose_name = "scholarship application"
        permissions = [("decide_scholarshipapplication", "Can approve or decline scholarship applications")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], condition=Q(status="open"), name="payments_scholarship_one_open_per_course"
            ),
            models.CheckConstraint(
                condition=Q(can_pay__gte=0, can_pay__lte=F("fee")), name="payments_scholarship_can_pay_within_fee"
            ),
            # Closing and approving meet under the application's row lock, one after the
            # other; whichever comes second finds nothing to do. Should that ever fail, the
            # database still refuses an application both closed and holding a code.
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(discount_code__isnull=True, decided_by__isnull=True),
                name="payments_scholarship_closed_has_no_code",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"Scholarship application {self.pk} · {self.course_title}"

    @property
    def covered(self) -> Decimal:
        """What the scholarship would take off the fee."""
        return self.fee - self.can_pay

    def display(self, field: str) -> str:
        return money.display(getattr(self, field), self.currency)
