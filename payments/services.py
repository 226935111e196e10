"""Writes for payments: checkout, fulfilment, Stripe events, refunds, reconciliation, codes.

The rules money depends on:

- Amounts come from the server: the course's fee, the code's discount, a donation within
  bounds. The browser chooses a code and a donation, never a price.
- One idempotent fulfilment service, ``order_fulfil``, used by the webhook task, the
  success page and reconciliation. It locks the order, checks its state and that Stripe
  took exactly the order's total in its currency, marks it paid, enrols the learner and
  queues the receipt once (marked under the lock). A mismatch gives no access and flags
  the order for staff.
- Webhook events are stored once (unique Stripe id) and processed by a task that locks
  the event row: a redelivered or duplicated event does nothing the second time.
- Locks are always taken in the same order: learner → discount code for a new order;
  event → order → refund / discount code / enrolment for everything else.
- Stripe calls carry idempotency keys derived from our rows (``order-<id>-checkout-v1``,
  ``order-<id>-refund-<n>``) and are never made while a lock is held.
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone

from accounts import emails
from courses import restrictions
from courses.models import CoursePage, Enrollment
from courses.services import LearningError, enrollment_create

from . import events, gateway, money
from .models import ZERO, DiscountCode, Order, Refund, StripeEvent, normalise_code

logger = logging.getLogger(__name__)
Status = Order.Status
Flag = Order.Flag

NOT_SET_UP = (
    "Online card payment is not set up on this site yet, so this fee cannot be paid here. "
    "To get a place, write to us (see below): we can take payment another way or arrange a fee "
    "waiver. If you have a scholarship code that covers the whole fee, enter it and you are "
    "enrolled at once."
)
# Stripe's smallest charge per currency (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts).
MINIMUM_CHARGE = {
    "USD": Decimal("0.50"), "EUR": Decimal("0.50"), "GBP": Decimal("0.30"), "CAD": Decimal("0.50"),
    "AUD": Decimal("0.50"), "NZD": Decimal("0.50"), "CHF": Decimal("0.50"), "JPY": Decimal("50"),
}


class PaymentError(Exception):
    """A request we refuse; ``message`` is safe to show, ``field`` names the form field."""

    field: str | None = None

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CodeError(PaymentError):
    field = "discount_code"


class DonationError(PaymentError):
    field = "donation_custom"


class CheckoutUnavailable(PaymentError):
    pass


class NotYet(Exception):
    """The event is about a payment we have not recorded yet (events out of order): it
    stays unprocessed and the sweep in ``orders_reconcile`` tries it again."""


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def _id(value) -> str:
    """A Stripe reference that may be an id or an expanded object."""
    if isinstance(value, dict):
        return value.get("id") or ""
    return value or ""


# --- quotes and discount codes --------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    course: CoursePage
    currency: str
    price: Decimal
    code: DiscountCode | None
    discount: Decimal
    donation: Decimal

    @property
    def course_amount(self) -> Decimal:
        return self.price - self.discount

    @property
    def total(self) -> Decimal:
        return self.price - self.discount + self.donation

    def display(self, amount: Decimal) -> str:
        return money.display(amount, self.currency)


def discount_code_problem(code: DiscountCode, course: CoursePage, now: datetime | None = None) -> str | None:
    """Why ``code`` cannot be used for ``course`` now, in words for the learner; None if it can."""
    now = _now(now)
    shown = code.code
    if not code.active:
        return f"The code “{shown}” is no longer active."
    limited = list(code.courses.values_list("pk", flat=True))
    if limited and course.pk not in limited:
        return f"The code “{shown}” is not valid for this course."
    if code.kind == DiscountCode.Kind.FIXED and code.currency.upper() != course.price_currency.upper():
        return (
            f"The code “{shown}” is for fees in {code.currency}; this course's fee is in "
            f"{course.price_currency}."
        )
    if code.expires_at is not None and code.expires_at <= now:
        return f"The code “{shown}” expired on {timezone.localtime(code.expires_at):%-d %B %Y}."
    if code.max_uses is not None and code.uses >= code.max_uses:
        if code.max_uses == 1:
            return f"The code “{shown}” has already been used. Each scholarship code works once."
        return f"The code “{shown}” has already been used as many times as it allows."
    return None


def discount_code_find(text: str) -> DiscountCode | None:
    code = normalise_code(text)
    if not code:
        return None
    return DiscountCode.objects.filter(code__iexact=code).first()


def discount_for(code: DiscountCode, price: Decimal, currency: str) -> Decimal:
    if code.kind == DiscountCode.Kind.PERCENT:
        amount = money.rounded(price * code.value / Decimal(100), currency)
    else:
        amount = money.rounded(code.value, currency)
    return min(amount, price)


def donation_clean(amount, currency: str) -> Decimal:
    """A donation within bounds (``PAYMENTS_DONATION_MIN`` .. ``PAYMENTS_DONATION_MAX``), or 0."""
    try:
        amount = Decimal(amount or 0)
    except (InvalidOperation, TypeError, ValueError):
        raise DonationError("Enter the donation as a number, for example 10.") from None
    if not amount.is_finite():
        raise DonationError("Enter the donation as a number, for example 10.")
    amount = money.rounded(amount, currency)
    if amount < 0:
        raise DonationError("A donation cannot be negative.")
    if amount == 0:
        return ZERO
    low, high = Decimal(settings.PAYMENTS_DONATION_MIN), Decimal(settings.PAYMENTS_DONATION_MAX)
    if amount < low:
        raise DonationError(f"The smallest donation we can take is {money.display(low, currency)}.")
    if amount > high:
        raise DonationError(
            f"Thank you! Online we can take up to {money.display(high, currency)}; for a larger gift please write to us."
        )
    return amount


def checkout_quote(*, course: CoursePage, code_text: str = "", donation=ZERO, now: datetime | None = None) -> Quote:
    """What the learner would pay: the fee, the code's discount (checked), the donation.

    Raises ``CodeError`` / ``DonationError`` with a message for the form."""
    currency = course.price_currency.upper()
    price = money.rounded(course.price_amount or ZERO, currency)
    donation = donation_clean(donation, currency)
    code = None
    discount = ZERO
    if normalise_code(code_text):
        code = discount_code_find(code_text)
        if code is None:
            raise CodeError(
                f"We do not recognise the code “{normalise_code(code_text)}”. Please check it; "
                "codes are not case-sensitive."
            )
        problem = discount_code_problem(code, course, now)
        if problem:
            raise CodeError(problem)
        discount = discount_for(code, price, currency)
    return Quote(course=course, currency=currency, price=price, code=code, discount=discount, donation=donation)


def minimum_charge(currency: str) -> Decimal:
    return MINIMUM_CHARGE.get(currency.upper(), Decimal("0.50") if money.exponent(currency) else Decimal("50"))


def has_place(*, user, course_id: int) -> bool:
    return Enrollment.objects.filter(
        user=user, course_id=course_id, status__in=[Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED]
    ).exists()


# --- starting a checkout --------------------------------------------------------------------


@dataclass
class CheckoutStart:
    order: Order
    redirect_url: str | None  # Stripe Checkout; None when enrolled at once
    enrolled: bool


def checkout_expires_at(order: Order) -> datetime:
    minutes = min(max(int(settings.PAYMENTS_CHECKOUT_EXPIRES_MINUTES), 30), 24 * 60)
    return order.created_at + timedelta(minutes=minutes)


def checkout_session_params(order: Order) -> dict:
    """The Checkout Session we ask Stripe for: amounts from the order (the server's), the
    order id in the session's and the PaymentIntent's metadata."""
    currency = order.currency.lower()
    items = []
    if order.is_seats:
        items.append({
            "quantity": order.quantity,
            "price_data": {
                "currency": currency,
                "unit_amount": money.to_minor(order.unit_amount, order.currency),
                "product_data": {"name": order.course_title, "description": "A place on the course for one member of staff"},
            },
        })
    elif order.course_amount > 0:
        description = "Course fee"
        if order.discount_amount:
            description += f" ({money.display(order.price_amount, order.currency)}, less "
            description += f"{money.display(order.discount_amount, order.currency)} with code {order.discount_code_text})"
        items.append({
            "quantity": 1,
            "price_data": {
                "currency": currency,
                "unit_amount": money.to_minor(order.course_amount, order.currency),
                "product_data": {"name": order.course_title, "description": description},
            },
        })
    if order.donation_amount > 0:
        items.append({
            "quantity": 1,
            "price_data": {
                "currency": currency,
                "unit_amount": money.to_minor(order.donation_amount, order.currency),
                "product_data": {
                    "name": f"Donation to {settings.ORGANISATION_NAME}",
                    "description": "Thank you: donations keep the meetings free.",
                },
            },
        })
    metadata = {"order_id": str(order.pk), "course_id": str(order.course_id)}
    if order.is_seats:
        metadata["seats"] = str(order.quantity)
    base = _base_url()
    return {
        "mode": "payment",
        "line_items": items,
        "customer_email": order.email,
        "client_reference_id": str(order.pk),
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata, "description": f"{order.reference}: {order.course_title}"},
        "success_url": f"{base}{reverse('payments:order_return', args=[order.pk])}?session_id={{CHECKOUT_SESSION_ID}}",
        "cancel_url": f"{base}{reverse('payments:order_cancelled', args=[order.pk])}",
        "expires_at": int(checkout_expires_at(order).timestamp()),
    }


def checkout_idempotency_key(order: Order) -> str:
    return f"order-{order.pk}-checkout-v1"


def _reusable_order(*, user, quote: Quote, now: datetime) -> Order | None:
    """The learner's own checkout for the same thing, started moments ago (a second click,
    a back button): reused, so one order and one Stripe session. Recent enough that the
    replayed session request still has half an hour to run."""
    window = timedelta(minutes=max(int(settings.PAYMENTS_CHECKOUT_EXPIRES_MINUTES) - 35, 0))
    return (
        Order.objects.filter(
            user=user, course=quote.course, purpose=Order.Purpose.PLACE, status=Status.PENDING, currency=quote.currency,
            price_amount=quote.price, discount_code=quote.code, discount_amount=quote.discount,
            donation_amount=quote.donation, created_at__gte=now - window,
        )
        .order_by("-created_at")
        .first()
    )


def order_start_checkout(
    *, user, course: CoursePage, code_text: str = "", donation=ZERO, now: datetime | None = None
) -> CheckoutStart:
    """Create the order on the server and, unless the total is zero, its Checkout Session.

    A total of zero (a code covering the whole fee, no donation) enrols at once and is
    recorded as a paid zero-amount order; Stripe is not involved. Raises ``PaymentError``
    (or ``CodeError`` / ``DonationError`` / ``CheckoutUnavailable``) with a message.
    """
    now = _now(now)
    course = CoursePage.objects.live().filter(pk=course.pk).first()
    if course is None:
        raise PaymentError("This course is not open for enrolment.")
    if course.is_free:
        raise PaymentError("This course is free: enrol from its page.")
    if has_place(user=user, course_id=course.pk):
        raise PaymentError("You already have a place on this course.")
    if not restrictions.may_enrol(course, user):
        raise PaymentError(restrictions.COURSE_MESSAGE)
    quote = checkout_quote(course=course, code_text=code_text, donation=donation, now=now)
    if quote.total > 0:
        if not gateway.is_configured():
            raise CheckoutUnavailable(NOT_SET_UP)
        if quote.total < minimum_charge(quote.currency):
            raise PaymentError(
                f"The total, {quote.display(quote.total)}, is below the smallest card payment we can take "
                f"({quote.display(minimum_charge(quote.currency))}). Add a small donation, or ask us for a fee waiver."
            )

    with transaction.atomic():
        # One checkout at a time per learner: a double click finds the first order.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if has_place(user=user, course_id=course.pk):
            raise PaymentError("You already have a place on this course.")
        order = _reusable_order(user=user, quote=quote, now=now)
        if order is None:
            code = None
            if quote.code is not None:
                code = DiscountCode.objects.select_for_update().get(pk=quote.code.pk)
                problem = discount_code_problem(code, course, now)
                if problem:
                    raise CodeError(problem)
                code.uses = F("uses") + 1
                code.save(update_fields=["uses"])
            order = Order.objects.create(
                user=user, email=user.email, course=course, course_title=course.title, currency=quote.currency,
                price_amount=quote.price, discount_code=code, discount_code_text=code.code if code else "",
                discount_amount=quote.discount, discount_reserved=code is not None,
                donation_amount=quote.donation, total_amount=quote.total, created_at=now,
            )
            if quote.total == 0:
                order = Order.objects.select_for_update().get(pk=order.pk)
                _settle_paid(order, amount_paid=ZERO, now=now)
                return CheckoutStart(order=order, redirect_url=None, enrolled=True)

    return checkout_open(order)


def checkout_open(order: Order) -> CheckoutStart:
    """Create (once: the idempotency key) the Checkout Session of a pending order that
    needs a card payment. Never called with a lock held. Raises ``PaymentError``."""
    if order.stripe_checkout_url:
        return CheckoutStart(order=order, redirect_url=order.stripe_checkout_url, enrolled=False)
    try:
        session = gateway.checkout_session_create(
            checkout_session_params(order), idempotency_key=checkout_idempotency_key(order)
        )
        session_id, url = session["id"], session["url"]
    except (gateway.GatewayError, KeyError) as error:
        order_abandon(order_id=order.pk, reason=f"Checkout could not start: {error}")
        raise PaymentError(
            "We could not reach our card payment provider just now, so nothing was charged. "
            "Please try again in a few minutes."
        ) from error
    Order.objects.filter(pk=order.pk, stripe_checkout_session_id="").update(
        stripe_checkout_session_id=session_id, stripe_checkout_url=url
    )
    order.refresh_from_db()
    if not order.is_seats:
        _expire_older_checkouts(order)
    return CheckoutStart(order=order, redirect_url=url, enrolled=False)


def seat_order_create(*, user, email: str, course: CoursePage, quantity: int, now: datetime | None = None) -> Order:
    """A pending order for ``quantity`` seats on ``course``, bought by ``user`` for an
    organisation (receipt to ``email``). Call inside the caller's transaction (which links
    the order to the seats), then ``checkout_open`` after it commits. No codes or
    donations apply: the amount is the course fee times the number of seats."""
    now = _now(now)
    course = CoursePage.objects.live().filter(pk=course.pk).first()
    if course is None:
        raise PaymentError("This course is not open for enrolment.")
    if course.is_free:
        raise PaymentError("This course is free: invite your staff without buying seats.")
    if not 1 <= int(quantity) <= settings.ORGANISATIONS_MAX_SEATS_PER_ORDER:
        raise PaymentError(f"Choose between 1 and {settings.ORGANISATIONS_MAX_SEATS_PER_ORDER} seats.")
    if not gateway.is_configured():
        raise CheckoutUnavailable(NOT_SET_UP)
    currency = course.price_currency.upper()
    unit = money.rounded(course.price_amount, currency)
    price = unit * int(quantity)
    if price < minimum_charge(currency):
        raise PaymentError(f"The total is below the smallest card payment we can take ({money.display(minimum_charge(currency), currency)}).")
    return Order.objects.create(
        user=user, email=email, course=course, course_title=course.title, purpose=Order.Purpose.SEATS,
        quantity=int(quantity), currency=currency, price_amount=price, total_amount=price, created_at=now,
    )


def _expire_older_checkouts(order: Order) -> None:
    """The learner started again (another donation, another code): close their earlier
    open sessions for this course so that they cannot pay twice, and free those orders'
    code uses. Best effort: whatever Stripe refuses, reconciliation settles later."""
    older = Order.objects.filter(
        user_id=order.user_id, course_id=order.course_id, purpose=Order.Purpose.PLACE, status__in=Order.OPEN,
        created_at__lt=order.created_at,
    ).exclude(stripe_checkout_session_id="")
    for previous in older:
        try:
            closed = gateway.checkout_session_expire(previous.stripe_checkout_session_id)
        except gateway.GatewayError:
            continue
        if closed is not None and closed.get("status") == "expired":
            order_expire(order_id=previous.pk)


# --- settling an order ----------------------------------------------------------------------


class Fulfilment:
    FULFILLED = "fulfilled"
    ALREADY = "already settled"
    MISMATCH = "amount mismatch: flagged, no access"
    DUPLICATE = "learner already had a paid place: flagged"
    SECOND_PAYMENT = "second payment for a paid order: flagged"
    NOT_FOUND = "no such order"
    FLAGGED = "order needs attention: left for staff"


def _flag(order: Order, flag: str, note: str, now: datetime) -> None:
    if flag not in order.flags:
        order.flags = [*order.flags, flag]
    stamp = timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
    order.attention_note = f"{order.attention_note}\n{stamp} {note}".strip()


def order_flag(order: Order, flag: str, note: str, *, alert: str = "", now: datetime | None = None) -> None:
    """For apps building on payments: note why staff should look at a locked order (the
    caller saves it) and, with ``alert``, email staff once the transaction commits."""
    _flag(order, flag, note, _now(now))
    if alert:
        _alert_staff(order, alert)


def _alert_staff(order: Order, subject: str) -> None:
    from .tasks import staff_alert_task

    logger.warning("Payments: %s (%s)", subject, order.reference)
    if settings.PAYMENTS_STAFF_EMAILS:
        staff_alert_task.delay_on_commit(order.pk, subject)


def _order_grant_access(order: Order) -> Enrollment | None:
    """Enrol the learner (or give back a place a refund took away). Caller holds the order lock."""
    source = Enrollment.Source.PAID if order.course_amount > 0 else Enrollment.Source.WAIVER
    enrollment = Enrollment.objects.select_for_update().filter(user_id=order.user_id, course_id=order.course_id).first()
    if enrollment is None:
        try:
            enrollment, _ = enrollment_create(user=order.user, course=order.course, source=source)
        except LearningError:
            # Paid for, then unpublished meanwhile: the learner keeps what they paid for.
            enrollment, _ = Enrollment.objects.get_or_create(
                user_id=order.user_id, course_id=order.course_id, defaults={"source": source}
            )
    elif enrollment.status == Enrollment.Status.WITHDRAWN:
        enrollment.status = Enrollment.Status.COMPLETED if enrollment.completed_at else Enrollment.Status.ACTIVE
        enrollment.source = source
        enrollment.save(update_fields=["status", "source"])
    return enrollment


def _order_end_access(order: Order) -> None:
    enrollment = order.enrollment or Enrollment.objects.filter(user_id=order.user_id, course_id=order.course_id).first()
    if enrollment is not None and enrollment.status != Enrollment.Status.WITHDRAWN:
        Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.WITHDRAWN)


def _reserve_code_again(order: Order, now: datetime) -> None:
    """An order paid after it expired (and gave its code use back) takes the use again."""
    if order.discount_code_id is None or order.discount_reserved:
        return
    taken = DiscountCode.objects.filter(
        Q(max_uses__isnull=True) | Q(uses__lt=F("max_uses")), pk=order.discount_code_id
    ).update(uses=F("uses") + 1)
    if taken:
        order.discount_reserved = True
    else:
        _flag(order, Flag.CODE_OVERUSED, f"Paid after code {order.discount_code_text} was used up elsewhere.", now)


def _settle_paid(
    order: Order, *, amount_paid: Decimal, payment_intent_id: str = "", charge_id: str = "",
    now: datetime, via: str = "",
) -> str:
    """Mark a locked, open order paid, enrol, queue the receipt once."""
    from .tasks import order_receipt_email_task

    if order.user_id is None:
        order.status = Status.NEEDS_ATTENTION
        order.amount_paid = amount_paid
        order.stripe_payment_intent_id = order.stripe_payment_intent_id or payment_intent_id
        _flag(order, Flag.NO_LEARNER, "Paid, but the learner's account was deleted: refund it.", now)
        order.save()
        _alert_staff(order, "Payment for a deleted account")
        return Fulfilment.FLAGGED
    if order.status == Status.EXPIRED:
        _reserve_code_again(order, now)
    order.status = Status.PAID
    order.amount_paid = amount_paid
    order.paid_at = now
    if payment_intent_id:
        order.stripe_payment_intent_id = payment_intent_id
    if charge_id:
        order.stripe_charge_id = charge_id
    try:
        with transaction.atomic():
            order.save()
    except IntegrityError:
        # Another order of this learner for this course is paid (two tabs, two payments).
        order.refresh_from_db()
        order.status = Status.NEEDS_ATTENTION
        order.amount_paid = amount_paid
        if payment_intent_id and not Order.objects.filter(stripe_payment_intent_id=payment_intent_id).exists():
            order.stripe_payment_intent_id = payment_intent_id
        _flag(order, Flag.DUPLICATE_PURCHASE, f"Paid {order.display('amount_paid')} ({via}) but the learner already "
              "had a paid place on this course: refund this order.", now)
        order.save()
        _alert_staff(order, "Duplicate payment for a course")
        return Fulfilment.DUPLICATE
    if order.is_seats:
        events.seats_paid.send(sender=Order, order=order)
    else:
        order.enrollment = _order_grant_access(order)
    if order.receipt_queued_at is None:
        order.receipt_queued_at = now
        order_receipt_email_task.delay_on_commit(order.pk)
    order.save(update_fields=["enrollment", "receipt_queued_at", "updated_at"])
    return Fulfilment.FULFILLED


def order_fulfil(
    *, order_id: int, paid_amount: int, currency: str, payment_intent_id: str = "", charge_id: str = "",
    via: str = "", now: datetime | None = None,
) -> str:
    """Settle an order Stripe says is paid: ``paid_amount`` in the currency's smallest unit.

    Idempotent and safe to run concurrently (the order row is locked): the first call
    enrols and queues the receipt; later ones change nothing. A payment that does not
    match the order's total and currency gives no access and flags the order.
    """
    now = _now(now)
    with transaction.atomic():
        order = Order.objects.select_for_update(of=("self",)).select_related("user", "course").filter(pk=order_id).first()
        if order is None:
            return Fulfilment.NOT_FOUND
        if order.status in (*Order.HOLDS_PLACE, Status.REFUNDED):
            if payment_intent_id and order.stripe_payment_intent_id and payment_intent_id != order.stripe_payment_intent_id:
                _flag(order, Flag.SECOND_PAYMENT, f"A second payment {payment_intent_id} was made ({via}): refund it in Stripe.", now)
                order.save()
                _alert_staff(order, "Second payment for an order")
                return Fulfilment.SECOND_PAYMENT
            return Fulfilment.ALREADY
        if order.status == Status.NEEDS_ATTENTION:
            return Fulfilment.FLAGGED
        currency = (currency or "").upper()
        expected = money.to_minor(order.total_amount, order.currency)
        if currency != order.currency or int(paid_amount) != expected:
            reported = f"{paid_amount} {currency or '?'} (smallest unit)"
            order.status = Status.NEEDS_ATTENTION
            if currency == order.currency:
                order.amount_paid = money.from_minor(int(paid_amount), currency)
            if payment_intent_id and not Order.objects.filter(stripe_payment_intent_id=payment_intent_id).exclude(pk=order.pk).exists():
                order.stripe_payment_intent_id = payment_intent_id
            _flag(order, Flag.AMOUNT_MISMATCH, f"Stripe reported {reported} ({via}); the order is for "
                  f"{expected} {order.currency}. No access given: check and refund or enrol by hand.", now)
            order.save()
            _alert_staff(order, "Paid amount does not match the order")
            return Fulfilment.MISMATCH
        return _settle_paid(
            order, amount_paid=order.total_amount, payment_intent_id=payment_intent_id, charge_id=charge_id, now=now, via=via
        )


def _release_code(order: Order) -> None:
    if order.discount_reserved and order.discount_code_id:
        DiscountCode.objects.filter(pk=order.discount_code_id, uses__gt=0).update(uses=F("uses") - 1)
        order.discount_reserved = False


def order_expire(*, order_id: int, now: datetime | None = None) -> bool:
    """An unpaid order's checkout ended: close it and give its code use back."""
    now = _now(now)
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id, status__in=Order.OPEN).first()
        if order is None:
            return False
        order.status = Status.EXPIRED
        order.closed_at = now
        _release_code(order)
        order.save()
        return True


def order_abandon(*, order_id: int, reason: str) -> None:
    """Checkout never started (Stripe unreachable): the order fails and frees its code."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id, status=Status.PENDING).first()
        if order is None or order.stripe_checkout_session_id:
            return
        order.status = Status.FAILED
        order.closed_at = timezone.now()
        order.last_payment_error = reason[:500]
        _release_code(order)
        order.save()


def order_mark_failed(*, order_id: int, payment_intent_id: str = "", message: str = "") -> bool:
    """A payment attempt failed. The Checkout Session stays open for another try, so the
    order may still be paid (then ``order_fulfil`` settles it)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id, status__in=Order.OPEN).first()
        if order is None:
            return False
        order.status = Status.FAILED
        order.last_payment_error = (message or "The payment was declined.")[:500]
        _note_intent(order, payment_intent_id)
        order.save()
        return True


def _note_intent(order: Order, payment_intent_id: str) -> None:
    if payment_intent_id and not order.stripe_payment_intent_id:
        if not Order.objects.filter(stripe_payment_intent_id=payment_intent_id).exists():
            order.stripe_payment_intent_id = payment_intent_id


def order_note_intent(*, order_id: int, payment_intent_id: str) -> None:
    """Remember the PaymentIntent of an open order (reconciliation asks Stripe about it)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is not None and not order.stripe_payment_intent_id:
            _note_intent(order, payment_intent_id)
            order.save(update_fields=["stripe_payment_intent_id", "updated_at"])


# --- asking Stripe (success page, reconciliation) -------------------------------------------


def order_check_with_stripe(*, order_id: int, session_id_hint: str = "", via: str = "check", now: datetime | None = None) -> str:
    """Ask Stripe about an open order and settle it: the Checkout Session first (by the id
    we stored, or the one on the success URL if we have none, trusted only when Stripe
    says it belongs to this order), then its PaymentIntent. Returns the order's status.

    Raises ``gateway.GatewayError`` if Stripe cannot be asked."""
    now = _now(now)
    grace = timedelta(minutes=int(settings.PAYMENTS_RECONCILE_AFTER_MINUTES))
    order = Order.objects.get(pk=order_id)
    if order.status not in Order.OPEN:
        return order.status
    Order.objects.filter(pk=order.pk).update(last_checked_at=now)
    session_id = order.stripe_checkout_session_id or session_id_hint
    session = gateway.checkout_session_retrieve(session_id) if session_id else None
    if session is not None and str((session.get("metadata") or {}).get("order_id")) == str(order.pk):
        if not order.stripe_checkout_session_id:
            Order.objects.filter(pk=order.pk, stripe_checkout_session_id="").update(stripe_checkout_session_id=session["id"])
        intent_id = _id(session.get("payment_intent"))
        if session.get("payment_status") == "paid":
            order_fulfil(
                order_id=order.pk, paid_amount=session["amount_total"], currency=session["currency"],
                payment_intent_id=intent_id, via=via, now=now,
            )
        elif session.get("status") == "expired":
            order_expire(order_id=order.pk, now=now)
        elif intent_id:
            order_note_intent(order_id=order.pk, payment_intent_id=intent_id)
        return Order.objects.values_list("status", flat=True).get(pk=order.pk)

    if order.stripe_payment_intent_id:
        intent = gateway.payment_intent_retrieve(order.stripe_payment_intent_id)
        if intent is not None and str((intent.get("metadata") or {}).get("order_id")) == str(order.pk):
            if intent.get("status") == "succeeded":
                order_fulfil(
                    order_id=order.pk, paid_amount=intent.get("amount_received") or intent["amount"],
                    currency=intent["currency"], payment_intent_id=intent["id"],
                    charge_id=_id(intent.get("latest_charge")), via=via, now=now,
                )
            elif intent.get("status") == "canceled":
                order_expire(order_id=order.pk, now=now)
            elif intent.get("status") != "processing" and now > checkout_expires_at(order) + grace:
                order_expire(order_id=order.pk, now=now)  # its checkout ended long ago, unpaid
            elif intent.get("last_payment_error"):
                order_mark_failed(
                    order_id=order.pk, payment_intent_id=intent["id"],
                    message=(intent.get("last_payment_error") or {}).get("message", ""),
                )
            return Order.objects.values_list("status", flat=True).get(pk=order.pk)

    if session is None and now > checkout_expires_at(order) + grace:
        # Stripe knows no payment for it and its checkout has long ended.
        order_expire(order_id=order.pk, now=now)
    return Order.objects.values_list("status", flat=True).get(pk=order.pk)


# --- receipts and messages ------------------------------------------------------------------


def organisation() -> dict:
    return {
        "name": settings.ORGANISATION_NAME,
        "address": settings.ORGANISATION_ADDRESS,
        "charity_number": settings.ORGANISATION_CHARITY_NUMBER,
        "contact_email": settings.PAYMENTS_CONTACT_EMAIL,
    }


def _receipt_to(order: Order) -> list[str]:
    """The learner; for seats, the organisation's billing address and the buying manager."""
    buyer = order.user.email if order.user else order.email
    if order.is_seats and order.email.lower() != buyer.lower():
        return [order.email, buyer]
    return [buyer]


def order_send_receipt(*, order_id: int) -> bool:
    """Email the receipt once; True if this call sent it. Marked in the same transaction
    as the send, under the order lock (a failed send stays unmarked for the retry)."""
    with transaction.atomic():
        order = Order.objects.select_for_update(of=("self",)).select_related("user", "course").filter(pk=order_id).first()
        if order is None or order.receipt_sent_at is not None or order.status not in Order.WITH_RECEIPT:
            return False
        emails.send_templated(
            template="payments/email/receipt",
            context={
                "order": order, "org": organisation(), "user": order.user,
                "receipt_url": f"{_base_url()}{reverse('payments:receipt', args=[order.pk])}",
            },
            to=_receipt_to(order),
        )
        order.receipt_sent_at = timezone.now()
        order.save(update_fields=["receipt_sent_at", "updated_at"])
        return True


def refund_notify(*, refund_id: int) -> bool:
    """Tell the learner about a refund, once."""
    with transaction.atomic():
        refund = Refund.objects.select_for_update(of=("self",)).select_related("order__user").filter(pk=refund_id).first()
        if refund is None or refund.notified_at is not None or refund.status not in Refund.COUNTED:
            return False
        order = refund.order
        emails.send_templated(
            template="payments/email/refund",
            context={
                "order": order, "refund": refund, "org": organisation(), "user": order.user,
                "access_ended": order.status == Status.REFUNDED and settings.PAYMENTS_FULL_REFUND_ENDS_ACCESS,
                "receipt_url": f"{_base_url()}{reverse('payments:receipt', args=[order.pk])}",
            },
            to=[order.user.email if order.user else order.email],
        )
        refund.notified_at = timezone.now()
        refund.save(update_fields=["notified_at", "updated_at"])
        return True


def staff_alert(*, order_id: int, subject: str) -> None:
    order = Order.objects.filter(pk=order_id).first()
    if order is None or not settings.PAYMENTS_STAFF_EMAILS:
        return
    emails.send_templated(
        template="payments/email/staff_alert",
        context={
            "order": order, "subject": subject,
            "admin_url": f"{_base_url()}{reverse('payments_orders:inspect', args=[order.pk])}",
        },
        to=list(settings.PAYMENTS_STAFF_EMAILS),
    )


# --- refunds --------------------------------------------------------------------------------


def refund_idempotency_key(order: Order, n: int) -> str:
    return f"order-{order.pk}-refund-{n}"


def order_refund(
    *, order_id: int, amount: Decimal | None, by, reason: str = "", note: str = "", now: datetime | None = None
) -> Refund:
    """Refund ``amount`` (None: everything left) of a paid order through Stripe.

    The refund row is written first (its idempotency key ``order-<id>-refund-<n>``), then
    Stripe is asked without any lock held. A full refund ends the learner's place when
    ``PAYMENTS_FULL_REFUND_ENDS_ACCESS``; the learner is emailed."""
    with transaction.atomic():
        refund = refund_request(order_id=order_id, amount=amount, by=by, reason=reason, note=note, now=now)
    return refund_submit(refund_id=refund.pk)


def refund_request(
    *, order_id: int, amount: Decimal | None, by, reason: str = "", note: str = "", now: datetime | None = None
) -> Refund:
    """Record a refund to send (the first half of ``order_refund``), inside the caller's
    transaction: organisations take seats away in the same one. Then ``refund_submit``."""
    now = _now(now)
    order = Order.objects.select_for_update().filter(pk=order_id).first()
    if order is None:
        raise PaymentError("No such order.")
    if order.status not in (*Order.HOLDS_PLACE, Status.NEEDS_ATTENTION) or not order.amount_paid:
        raise PaymentError("Only an order with money paid can be refunded.")
    if not order.stripe_payment_intent_id:
        raise PaymentError("This order has no Stripe payment to refund.")
    reserved = order.refunds.filter(status__in=Refund.RESERVED).aggregate(s=Sum("amount"))["s"] or ZERO
    refundable = order.amount_paid - reserved
    amount = refundable if amount is None else money.rounded(Decimal(amount), order.currency)
    if refundable <= 0:
        raise PaymentError("This order has been refunded in full already (or refunds are on their way).")
    if amount <= 0 or amount > refundable:
        raise PaymentError(f"Enter an amount between {money.display(money.quantum(order.currency), order.currency)} "
                           f"and {money.display(refundable, order.currency)}.")
    n = order.refunds.count() + 1
    return Refund.objects.create(
        order=order, amount=amount, currency=order.currency, status=Refund.Status.REQUESTED,
        source=Refund.Source.STAFF, idempotency_key=refund_idempotency_key(order, n),
        reason=reason, note=note, by=by if getattr(by, "pk", None) else None, created_at=now,
    )


def refund_submit(*, refund_id: int) -> Refund:
    """Send a requested refund to Stripe (again: the same idempotency key, so at most once)."""
    refund = Refund.objects.select_related("order").get(pk=refund_id)
    if refund.status != Refund.Status.REQUESTED:
        return refund
    order = refund.order
    try:
        data = gateway.refund_create(
            payment_intent_id=order.stripe_payment_intent_id,
            amount_minor=money.to_minor(refund.amount, refund.currency),
            # Stripe's own ``reason`` takes only three values (and localstripe none): ours goes in metadata.
            metadata={"order_id": str(order.pk), "refund_id": str(refund.pk), "reason": refund.reason or "other"},
            idempotency_key=refund.idempotency_key,
        )
    except gateway.GatewayError as error:
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order.pk)
            refund = Refund.objects.select_for_update().get(pk=refund_id)
            refund.error = error.message[:2000]
            if not error.transient and refund.status == Refund.Status.REQUESTED:
                refund.status = Refund.Status.FAILED
            refund.save()
        if error.transient:
            raise PaymentError(
                "Stripe could not be reached. The refund is recorded and will be sent again automatically; "
                "nothing is refunded twice."
            ) from error
        raise PaymentError(f"Stripe refused the refund: {error.message}") from error
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        _refund_upsert(order, data)
        _order_apply_refunds(order)
    return Refund.objects.get(pk=refund_id)


REFUND_STATUS = {
    "pending": Refund.Status.PENDING, "succeeded": Refund.Status.SUCCEEDED, "failed": Refund.Status.FAILED,
    "canceled": Refund.Status.CANCELED, "requires_action": Refund.Status.REQUIRES_ACTION,
}


def _refund_upsert(order: Order, data: dict) -> Refund:
    """Record one Stripe refund (ours, or made in the dashboard) exactly once. Caller
    holds the order lock, so two deliveries of the same refund queue behind each other."""
    stripe_id = data["id"]
    refund = Refund.objects.filter(stripe_refund_id=stripe_id).first()
    if refund is None:
        local_id = str((data.get("metadata") or {}).get("refund_id") or "")
        if local_id.isdigit():
            refund = Refund.objects.filter(pk=int(local_id), order=order, stripe_refund_id__isnull=True).first()
    if refund is None:
        refund = Refund(order=order, currency=order.currency, source=Refund.Source.STRIPE, note="Made in Stripe.")
        reason = data.get("reason") or ""
        refund.reason = reason if reason in Refund.Reason.values else (Refund.Reason.OTHER if reason else "")
    if refund.order_id != order.pk:
        raise PaymentError(f"Refund {stripe_id} belongs to another order.")
    refund.stripe_refund_id = stripe_id
    refund.amount = money.from_minor(int(data["amount"]), (data.get("currency") or order.currency))
    refund.status = REFUND_STATUS.get(data.get("status") or "succeeded", Refund.Status.PENDING)
    if refund.status == Refund.Status.FAILED:
        refund.error = data.get("failure_reason") or refund.error or "Stripe could not return the money."
    refund.save()
    return refund


def _settled_status(order: Order) -> str:
    paid = order.amount_paid or ZERO
    if paid > 0 and order.amount_refunded >= paid:
        return Status.REFUNDED
    if order.amount_refunded > 0:
        return Status.PARTIALLY_REFUNDED
    return Status.PAID


def _order_apply_refunds(order: Order, now: datetime | None = None) -> None:
    """Recompute what was refunded from the refund rows (never by adding, so nothing is
    counted twice), then the status, the learner's place and the emails. Caller holds the lock."""
    from .tasks import refund_email_task

    now = _now(now)
    if order.status in Order.OPEN or order.status == Status.EXPIRED:
        raise NotYet(f"{order.reference} has no recorded payment yet.")
    counted = order.refunds.filter(status__in=Refund.COUNTED).aggregate(s=Sum("amount"))["s"] or ZERO
    paid = order.amount_paid or ZERO
    if counted > paid:
        _flag(order, Flag.REFUND_FAILED, f"Stripe reports {money.display(counted, order.currency)} refunded, "
              f"more than the {money.display(paid, order.currency)} paid.", now)
        counted = paid
    if order.refunds.filter(status=Refund.Status.FAILED).exists() and Flag.REFUND_FAILED not in order.flags:
        _flag(order, Flag.REFUND_FAILED, "A refund failed in Stripe: see the refunds below.", now)
    before = order.status
    order.amount_refunded = counted
    if before == Status.NEEDS_ATTENTION:
        if paid > 0 and counted >= paid:
            order.status = Status.REFUNDED
    elif before != Status.DISPUTED:
        order.status = _settled_status(order)
    if order.status == Status.REFUNDED and before != Status.REFUNDED:
        order.closed_at = now
        if settings.PAYMENTS_FULL_REFUND_ENDS_ACCESS and before != Status.NEEDS_ATTENTION and not order.is_seats:
            _order_end_access(order)
    if order.is_seats:
        events.seats_refunded.send(sender=Order, order=order)
    try:
        with transaction.atomic():
            order.save()
    except IntegrityError:  # back to paid (a refund failed) while a newer order holds the place
        order.status = Status.NEEDS_ATTENTION
        _flag(order, Flag.REFUND_FAILED, "A refund failed after the learner bought a new place.", now)
        order.save()
    if before == Status.REFUNDED and order.status in Order.HOLDS_PLACE and order.user_id and not order.is_seats:
        _order_grant_access(order)  # the refund failed: the place comes back
    for refund in order.refunds.filter(status__in=Refund.COUNTED, notify_queued_at__isnull=True):
        Refund.objects.filter(pk=refund.pk).update(notify_queued_at=now)
        refund_email_task.delay_on_commit(refund.pk)


def order_sync_refunds(*, order_id: int, refunds: list[dict]) -> int:
    """Record refunds Stripe told us about (events, or a list fetched from Stripe)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is None:
            return 0
        for data in refunds:
            _refund_upsert(order, data)
        _order_apply_refunds(order)
        return len(refunds)


# --- disputes -------------------------------------------------------------------------------


def order_dispute_opened(*, order_id: int, dispute: dict, now: datetime | None = None) -> bool:
    now = _now(now)
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is None:
            return False
        amount = money.display(money.from_minor(int(dispute.get("amount") or 0), dispute.get("currency") or order.currency), order.currency)
        _flag(order, Flag.DISPUTE, f"Dispute {dispute.get('id')} opened for {amount} "
              f"(reason: {dispute.get('reason') or 'not given'}). Answer it in Stripe.", now)
        if order.status in Order.HOLDS_PLACE:
            order.status = Status.DISPUTED
        order.save()
        _alert_staff(order, "A payment is disputed")
        return True


def order_dispute_closed(*, order_id: int, dispute: dict, now: datetime | None = None) -> bool:
    now = _now(now)
    outcome = dispute.get("status") or ""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is None:
            return False
        if outcome == "lost":
            _flag(order, Flag.DISPUTE_LOST, f"Dispute {dispute.get('id')} lost: the money went back to the card holder.", now)
            order.save()
            _alert_staff(order, "A dispute was lost")
            return True
        _flag(order, Flag.DISPUTE, f"Dispute {dispute.get('id')} closed: {outcome or 'closed'}.", now)
        if order.status == Status.DISPUTED:
            order.status = _settled_status(order)
            try:
                with transaction.atomic():
                    order.save()
            except IntegrityError:
                order.status = Status.NEEDS_ATTENTION
                order.save()
        else:
            order.save()
        return True


# --- Stripe events --------------------------------------------------------------------------


def stripe_event_record(payload: dict) -> tuple[StripeEvent, bool]:
    """Store a verified event once and queue its processing; (event, created).

    A second delivery of the same event finds the first (the unique Stripe id) and
    queues nothing."""
    from .tasks import stripe_event_process_task

    try:
        with transaction.atomic():
            event = StripeEvent.objects.create(
                stripe_id=payload["id"], type=payload["type"], livemode=bool(payload.get("livemode")),
                api_version=str(payload.get("api_version") or "")[:64], payload=payload,
            )
            stripe_event_process_task.delay_on_commit(event.pk)
    except IntegrityError:
        return StripeEvent.objects.get(stripe_id=payload["id"]), False
    return event, True


def _order_for(obj: dict) -> Order | None:
    """The order a Stripe object is about: our order id in its metadata (or the session's
    client_reference_id), else a Stripe id we stored on the order."""
    reference = str((obj.get("metadata") or {}).get("order_id") or obj.get("client_reference_id") or "")
    if reference.isdigit():
        order = Order.objects.filter(pk=int(reference)).first()
        if order is not None:
            return order
    kind = obj.get("object")
    lookups = [
        ("stripe_payment_intent_id", obj.get("id") if kind == "payment_intent" else _id(obj.get("payment_intent"))),
        ("stripe_checkout_session_id", obj.get("id") if kind == "checkout.session" else ""),
        ("stripe_charge_id", obj.get("id") if kind == "charge" else _id(obj.get("charge"))),
    ]
    for field, value in lookups:
        if value:
            order = Order.objects.filter(**{field: value}).first()
            if order is not None:
                return order
    return None


NO_ORDER = "no matching order: recorded, nothing given"


def _on_session_completed(event: StripeEvent, session: dict):
    order = _order_for(session)
    if order is None:
        return None, NO_ORDER
    intent_id = _id(session.get("payment_intent"))
    if session.get("payment_status") == "paid":
        result = order_fulfil(
            order_id=order.pk, paid_amount=int(session.get("amount_total") or 0), currency=session.get("currency") or "",
            payment_intent_id=intent_id, via=f"webhook {event.type}",
        )
        return order, result
    if intent_id:
        order_note_intent(order_id=order.pk, payment_intent_id=intent_id)
    return order, "checkout completed; payment still processing"


def _on_session_failed(event: StripeEvent, session: dict):
    order = _order_for(session)
    if order is None:
        return None, NO_ORDER
    order_mark_failed(order_id=order.pk, payment_intent_id=_id(session.get("payment_intent")),
                      message="The payment did not go through.")
    return order, "payment failed"


def _on_session_expired(event: StripeEvent, session: dict):
    order = _order_for(session)
    if order is None:
        return None, NO_ORDER
    return order, "expired" if order_expire(order_id=order.pk) else "already settled"


def _on_intent_succeeded(event: StripeEvent, intent: dict):
    order = _order_for(intent)
    if order is None:
        return None, NO_ORDER
    result = order_fulfil(
        order_id=order.pk, paid_amount=int(intent.get("amount_received") or intent.get("amount") or 0),
        currency=intent.get("currency") or "", payment_intent_id=intent.get("id") or "",
        charge_id=_id(intent.get("latest_charge")), via=f"webhook {event.type}",
    )
    return order, result


def _on_intent_failed(event: StripeEvent, intent: dict):
    order = _order_for(intent)
    if order is None:
        return None, NO_ORDER
    message = (intent.get("last_payment_error") or {}).get("message") or "The payment was declined."
    changed = order_mark_failed(order_id=order.pk, payment_intent_id=intent.get("id") or "", message=message)
    return order, "payment failed" if changed else "already settled"


def _payment_recorded_first(order: Order, obj: dict) -> Order:
    """Before a refund or dispute: make sure the payment itself is recorded, asking Stripe
    if its own event has not arrived yet."""
    if order.status not in Order.OPEN:
        return order
    intent_id = obj.get("id") if obj.get("object") == "payment_intent" else _id(obj.get("payment_intent"))
    if intent_id:
        order_note_intent(order_id=order.pk, payment_intent_id=intent_id)
    if gateway.is_configured():
        order_check_with_stripe(order_id=order.pk, via="refund or dispute event")
    order.refresh_from_db()
    if order.status in Order.OPEN:
        raise NotYet(f"{order.reference} has no recorded payment yet; trying again later.")
    return order


def _on_charge_refunded(event: StripeEvent, charge: dict):
    order = _order_for(charge)
    if order is None:
        return None, NO_ORDER
    order = _payment_recorded_first(order, charge)
    embedded = charge.get("refunds") or {}
    if isinstance(embedded, dict) and "data" in embedded and not embedded.get("has_more"):
        refunds = embedded["data"]
    else:  # newer API versions leave the refunds out of the charge
        refunds = gateway.refunds_list(_id(charge.get("payment_intent")) or order.stripe_payment_intent_id)
    order_sync_refunds(order_id=order.pk, refunds=refunds)
    return order, f"{len(refunds)} refund(s) recorded"


def _on_refund(event: StripeEvent, refund: dict):
    order = _order_for(refund)
    if order is None:
        return None, NO_ORDER
    order = _payment_recorded_first(order, refund)
    order_sync_refunds(order_id=order.pk, refunds=[refund])
    return order, f"refund {refund.get('id')} recorded ({refund.get('status')})"


def _on_dispute_created(event: StripeEvent, dispute: dict):
    order = _order_for(dispute)
    if order is None:
        return None, NO_ORDER
    order = _payment_recorded_first(order, dispute)
    order_dispute_opened(order_id=order.pk, dispute=dispute)
    return order, "dispute flagged for staff"


def _on_dispute_closed(event: StripeEvent, dispute: dict):
    order = _order_for(dispute)
    if order is None:
        return None, NO_ORDER
    order_dispute_closed(order_id=order.pk, dispute=dispute)
    return order, f"dispute closed: {dispute.get('status')}"


EVENT_HANDLERS = {
    "checkout.session.completed": _on_session_completed,
    "checkout.session.async_payment_succeeded": _on_session_completed,
    "checkout.session.async_payment_failed": _on_session_failed,
    "checkout.session.expired": _on_session_expired,
    "payment_intent.succeeded": _on_intent_succeeded,
    "payment_intent.payment_failed": _on_intent_failed,
    "charge.refunded": _on_charge_refunded,
    "charge.refund.updated": _on_refund,
    "refund.created": _on_refund,
    "refund.updated": _on_refund,
    "refund.failed": _on_refund,
    "charge.dispute.created": _on_dispute_created,
    "charge.dispute.closed": _on_dispute_closed,
}


def stripe_event_process(*, event_id: int, now: datetime | None = None) -> bool:
    """Act on a stored event, once; True if this call processed it.

    The event row stays locked while it is handled, so concurrent runs queue behind each
    other and the second finds it processed. An error is recorded on the event (and the
    sweeper in ``orders_reconcile`` tries again later) instead of being lost."""
    now = _now(now)
    with transaction.atomic():
        event = StripeEvent.objects.select_for_update().filter(pk=event_id).first()
        if event is None or event.processed_at is not None:
            return False
        event.attempts += 1
        handler = EVENT_HANDLERS.get(event.type)
        try:
            with transaction.atomic():
                if gateway.is_configured() and event.livemode != gateway.is_live_key():
                    order, outcome = None, "ignored: test-mode event on a live site (or the other way round)"
                elif handler is None:
                    order, outcome = None, "ignored: not an event we act on"
                else:
                    order, outcome = handler(event, event.data_object)
        except Exception as error:  # recorded for staff and retried by the sweeper
            if isinstance(error, NotYet):
                logger.info("Stripe event %s (%s) waits: %s", event.stripe_id, event.type, error)
            else:
                logger.exception("Processing Stripe event %s (%s) failed", event.stripe_id, event.type)
            event.processing_error = f"{type(error).__name__}: {error}"[:2000]
            event.save(update_fields=["attempts", "processing_error"])
            return False
        event.processed_at = timezone.now()
        event.outcome = str(outcome)[:255]
        event.order = order
        event.processing_error = ""
        event.save(update_fields=["attempts", "processed_at", "outcome", "order", "processing_error"])
        return True


# --- reconciliation -------------------------------------------------------------------------


def orders_reconcile(*, now: datetime | None = None, limit: int = 100) -> dict:
    """The periodic sweep: ask Stripe about orders left open (their webhook never came),
    and re-queue work a lost message stranded (events, receipts, refunds, refund emails)."""
    from .tasks import order_receipt_email_task, refund_email_task, stripe_event_process_task

    now = _now(now)
    after = timedelta(minutes=int(settings.PAYMENTS_RECONCILE_AFTER_MINUTES))
    summary = {"checked": 0, "settled": 0, "errors": 0, "events": 0, "receipts": 0, "refunds": 0}
    if gateway.is_configured():
        open_orders = (
            Order.objects.filter(status__in=Order.OPEN, created_at__lte=now - after)
            .filter(Q(last_checked_at__isnull=True) | Q(last_checked_at__lte=now - after))
            .exclude(stripe_checkout_session_id="", stripe_payment_intent_id="", status=Status.FAILED)
            .order_by("created_at")
            .values_list("pk", flat=True)[:limit]
        )
        for order_id in list(open_orders):
            summary["checked"] += 1
            try:
                status = order_check_with_stripe(order_id=order_id, via="reconciliation", now=now)
            except gateway.GatewayError:
                summary["errors"] += 1
                continue
            if status not in Order.OPEN:
                summary["settled"] += 1
        for refund_id in Refund.objects.filter(
            status=Refund.Status.REQUESTED, created_at__lte=now - timedelta(minutes=5)
        ).values_list("pk", flat=True)[:limit]:
            try:
                refund_submit(refund_id=refund_id)
                summary["refunds"] += 1
            except PaymentError:
                summary["errors"] += 1
    stuck = StripeEvent.objects.filter(
        processed_at__isnull=True, received_at__lte=now - timedelta(minutes=2),
        attempts__lt=int(settings.PAYMENTS_EVENT_MAX_ATTEMPTS),
    ).values_list("pk", flat=True)[:limit]
    for event_id in stuck:
        stripe_event_process_task.delay(event_id)
        summary["events"] += 1
    for order_id in Order.objects.filter(
        receipt_queued_at__lte=now - timedelta(minutes=10), receipt_sent_at__isnull=True, status__in=Order.WITH_RECEIPT
    ).values_list("pk", flat=True)[:limit]:
        order_receipt_email_task.delay(order_id)
        summary["receipts"] += 1
    for refund_id in Refund.objects.filter(
        notify_queued_at__lte=now - timedelta(minutes=10), notified_at__isnull=True, status__in=Refund.COUNTED
    ).values_list("pk", flat=True)[:limit]:
        refund_email_task.delay(refund_id)
    return summary


# --- scholarship codes ----------------------------------------------------------------------

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read out


def _random_code(prefix: str) -> str:
    part = lambda: "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))  # noqa: E731
    return f"{prefix}-{part()}-{part()}" if prefix else f"{part()}-{part()}"


def discount_codes_generate(
    *, count: int, batch_label: str, value: Decimal = Decimal("100"), kind: str = DiscountCode.Kind.PERCENT,
    currency: str = "", courses=(), expires_at: datetime | None = None, by=None, prefix: str = "SCH", note: str = "",
) -> list[DiscountCode]:
    """A batch of single-use scholarship codes (100% off unless told otherwise)."""
    if not 1 <= count <= 1000:
        raise PaymentError("Generate between 1 and 1000 codes at a time.")
    if not batch_label.strip():
        raise PaymentError("Give the batch a label, so that staff can find its codes.")
    prefix = normalise_code(prefix)
    courses = list(courses)
    for _ in range(5):
        codes = [
            DiscountCode(
                code=_random_code(prefix), kind=kind, value=value, currency=currency.upper() if kind == "fixed" else "",
                max_uses=1, expires_at=expires_at, batch_label=batch_label.strip(), is_scholarship=True,
                note=note, created_by=by if getattr(by, "pk", None) else None,
            )
            for _ in range(count)
        ]
        if len({c.code for c in codes}) != count:
            continue
        try:
            with transaction.atomic():
                created = DiscountCode.objects.bulk_create(codes)
                if courses:
                    through = DiscountCode.courses.through
                    through.objects.bulk_create(
                        [through(discountcode_id=code.pk, coursepage_id=course.pk) for code in created for course in courses]
                    )
                return created
        except IntegrityError:  # a clash with an existing code: draw again
            continue
    raise PaymentError("Could not generate unique codes; please try again.")
