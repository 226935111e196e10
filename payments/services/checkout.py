"""Starting a checkout: the order on the server, then its Stripe Checkout Session (or a zero-amount enrolment)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext

from accounts.models import User
from courses import restrictions
from courses.models import CoursePage

from .. import gateway, money
from ..models import ZERO, DiscountCode, Order
from .base import NOT_SET_UP, CheckoutUnavailable, CodeError, PaymentError, Status, base_url, live_paid_course, moment
from .codes import Amount, Quote, checkout_quote, discount_code_problem, has_place, minimum_charge
from .settle import order_abandon, order_expire, order_settle_paid

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
                "product_data": {"name": order.course_title, "description": gettext("A place on the course for one member of staff")},
            },
        })
    elif order.course_amount > 0:
        description = gettext("Course fee")
        if order.discount_amount:
            description = gettext("Course fee (%(fee)s, less %(discount)s with code %(code)s)") % {
                "fee": money.display(order.price_amount, order.currency),
                "discount": money.display(order.discount_amount, order.currency),
                "code": order.discount_code_text,
            }
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
                    "name": gettext("Donation to %(organisation)s") % {"organisation": settings.ORGANISATION_NAME},
                    "description": gettext("Thank you: donations keep the meetings free."),
                },
            },
        })
    metadata = {"order_id": str(order.pk), "course_id": str(order.course_id)}
    if order.is_seats:
        metadata["seats"] = str(order.quantity)
    base = base_url()
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


def _reusable_order(*, user: User, quote: Quote, now: datetime) -> Order | None:
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
    *, user: User, course: CoursePage, code_text: str = "", donation: Amount = ZERO, now: datetime | None = None
) -> CheckoutStart:
    """Create the order on the server and, unless the total is zero, its Checkout Session.

    A total of zero (a code covering the whole fee, no donation) enrols at once and is
    recorded as a paid zero-amount order; Stripe is not involved. Raises ``PaymentError``
    (or ``CodeError`` / ``DonationError`` / ``CheckoutUnavailable``) with a message.
    """
    now = moment(now)
    course = live_paid_course(course, free=gettext("This course is free: enrol from its page."))
    if has_place(user=user, course_id=course.pk):
        raise PaymentError(gettext("You already have a place on this course."))
    if not restrictions.may_enrol(course, user):
        raise PaymentError(restrictions.COURSE_MESSAGE)
    quote = checkout_quote(course=course, code_text=code_text, donation=donation, now=now)
    if quote.total > 0:
        if not gateway.is_configured():
            raise CheckoutUnavailable(NOT_SET_UP)
        if quote.total < minimum_charge(quote.currency):
            raise PaymentError(gettext(
                "The total, %(total)s, is below the smallest card payment we can take "
                "(%(minimum)s). Add a small donation, or ask us for a fee waiver."
            ) % {"total": quote.display(quote.total), "minimum": quote.display(minimum_charge(quote.currency))})

    with transaction.atomic():
        # One checkout at a time per learner: a double click finds the first order.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if has_place(user=user, course_id=course.pk):
            raise PaymentError(gettext("You already have a place on this course."))
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
                order_settle_paid(order, amount_paid=ZERO, now=now)
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
        raise PaymentError(gettext(
            "We could not reach our card payment provider just now, so nothing was charged. "
            "Please try again in a few minutes."
        )) from error
    Order.objects.filter(pk=order.pk, stripe_checkout_session_id="").update(
        stripe_checkout_session_id=session_id, stripe_checkout_url=url
    )
    order.refresh_from_db()
    if not order.is_seats:
        _expire_older_checkouts(order)
    return CheckoutStart(order=order, redirect_url=url, enrolled=False)


def seat_order_create(
    *, user: User, email: str, course: CoursePage, quantity: int, now: datetime | None = None
) -> Order:
    """A pending order for ``quantity`` seats on ``course``, bought by ``user`` for an
    organisation (receipt to ``email``). Call inside the caller's transaction (which links
    the order to the seats), then ``checkout_open`` after it commits. No codes or
    donations apply: the amount is the course fee times the number of seats."""
    now = moment(now)
    course = live_paid_course(course, free=gettext("This course is free: invite your staff without buying seats."))
    if not 1 <= int(quantity) <= settings.ORGANISATIONS_MAX_SEATS_PER_ORDER:
        raise PaymentError(gettext("Choose between 1 and %(most)s seats.") % {"most": settings.ORGANISATIONS_MAX_SEATS_PER_ORDER})
    if not gateway.is_configured():
        raise CheckoutUnavailable(NOT_SET_UP)
    currency = course.price_currency.upper()
    unit = money.rounded(course.price_amount, currency)
    price = unit * int(quantity)
    if price < minimum_charge(currency):
        raise PaymentError(
            gettext("The total is below the smallest card payment we can take (%(minimum)s).")
            % {"minimum": money.display(minimum_charge(currency), currency)}
        )
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
