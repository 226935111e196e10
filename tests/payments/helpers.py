"""Builders for the payments tests."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from payments import money
from payments.models import DiscountCode, Order
from tests.factories import UserFactory, build_course


def payments_staff(**fields):
    """A member of staff in the "Payments staff" group (every payments permission)."""
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name="Payments staff"))
    return user


def paid_course(price: str = "40.00", *, title: str = "Facilitator Training", currency: str = "USD"):
    course = build_course(title=title, price=Decimal(price), modules=1, lessons_per_module=2)
    if currency != "USD":
        course.price_currency = currency
        course.save_revision().publish()
        course.refresh_from_db()
    return course


def discount_code(code: str = "HALF", *, kind: str = "percent", value: str = "50", currency: str = "",
                  max_uses: int | None = None, expires_in: timedelta | None = None, courses=(), **fields) -> DiscountCode:
    created = DiscountCode.objects.create(
        code=code, kind=kind, value=Decimal(value), currency=currency, max_uses=max_uses,
        expires_at=timezone.now() + expires_in if expires_in is not None else None, **fields,
    )
    if courses:
        created.courses.set(courses)
    return created


def pending_order(user, course, *, donation: str = "0", discount: str = "0", payment_intent_id: str = "",
                  session_id: str = "", created_ago: timedelta = timedelta(0), **fields) -> Order:
    price = course.price_amount
    donation, discount = Decimal(donation), Decimal(discount)
    return Order.objects.create(
        user=user, email=user.email, course=course, course_title=course.title, currency=course.price_currency,
        price_amount=price, donation_amount=donation, discount_amount=discount, total_amount=price - discount + donation,
        stripe_payment_intent_id=payment_intent_id, stripe_checkout_session_id=session_id,
        created_at=timezone.now() - created_ago, **fields,
    )


def minor(order: Order) -> int:
    return money.to_minor(order.total_amount, order.currency)


def checkout_form(*, donation: str = "0", custom: str = "", code: str = "", action: str = "pay", **extra) -> dict:
    return {"donation": donation, "donation_custom": custom, "discount_code": code, "action": action, **extra}


def pay_in_localstripe(localstripe, order: Order, *, card: str = "pm_card_visa"):
    """Pay the order's PaymentIntent in localstripe, as Stripe Checkout would."""
    return localstripe.client.v1.payment_intents.create(params={
        "amount": minor(order), "currency": order.currency.lower(), "payment_method": card, "confirm": True,
        "metadata": {"order_id": str(order.pk), "course_id": str(order.course_id)},
    })


def deliver_at_once(base_url: str, delivery: dict, times: int = 5) -> list[int]:
    """Post one signed delivery ``times`` times at the same moment; the HTTP statuses."""
    import threading

    from .conftest import http_post_event

    barrier = threading.Barrier(times)
    statuses: list[int] = []

    def replay():
        barrier.wait()
        statuses.append(http_post_event(base_url, delivery["body"], delivery["signature"]))

    threads = [threading.Thread(target=replay) for _ in range(times)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses
