"""Data for the webhook benchmark (``webhook.py``; call after ``django.setup()``).

One paid course (40.00 USD) and, per learner, one pending order as ``order_start_checkout``
leaves it after Stripe made the Checkout Session: a fake session id and a fake
PaymentIntent id (``cs_bench_…`` / ``pi_bench_…``), the metadata Stripe would echo back
being the order id. Every fourth order carries a 5.00 donation, so the amounts differ.
Orders are written directly (``bulk_create``, the same fields the service sets): making
them through the service would ask Stripe for a session per order.

``intent_succeeded`` / ``session_completed`` build the Stripe event bodies for an order
(Stripe's shapes, the fields ``payments.services`` reads: metadata ``order_id``, amount in
the smallest unit, lower-case currency), and ``sign`` the ``Stripe-Signature`` header
(``t=<unix>,v1=HMAC-SHA256(secret, "<t>.<body>")``, as ``tests/payments/conftest.py``).
"""
import hashlib
import hmac
import json
import time
from decimal import Decimal

from . import fixtures

COURSE_SLUG = "webhook-bench-course"
LEARNER_EMAIL = "bench-webhook-{}@example.org"
PRICE = Decimal("40.00")
CURRENCY = "USD"
DONATION = Decimal("5.00")
API_VERSION = "2026-10-28.endive"


def paid_course():
    course = fixtures.build_course(slug=COURSE_SLUG, title="Webhook bench course", lessons=2)
    course.price_amount = PRICE
    course.price_currency = CURRENCY
    course.save_revision().publish()
    course.refresh_from_db()
    return course


def pending_orders(course, count: int, *, start: int = 0, tag: str = "") -> list:
    """``count`` learners, each with one pending order for ``course``; the orders, in order."""
    from payments.models import Order

    orders = []
    for i in range(start, start + count):
        user = fixtures.make_learner(i, email_pattern=LEARNER_EMAIL)
        donation = DONATION if i % 4 == 3 else Decimal("0")
        orders.append(Order(
            user=user, email=user.email, course=course, course_title=course.title, currency=CURRENCY,
            price_amount=PRICE, donation_amount=donation, discount_amount=Decimal("0"),
            total_amount=PRICE + donation,
            stripe_checkout_session_id=f"cs_bench_{tag}{i:06d}",
            stripe_payment_intent_id=f"pi_bench_{tag}{i:06d}",
        ))
    return Order.objects.bulk_create(orders)


def _event(event_id: str, event_type: str, obj: dict) -> bytes:
    return json.dumps({
        "id": event_id, "object": "event", "api_version": API_VERSION, "created": int(time.time()),
        "livemode": False, "pending_webhooks": 1, "type": event_type, "data": {"object": obj},
        "request": {"id": None, "idempotency_key": None},
    }, separators=(",", ":")).encode()


def _minor(order) -> int:
    from payments import money

    return money.to_minor(order.total_amount, order.currency)


def _metadata(order) -> dict:
    return {"order_id": str(order.pk), "course_id": str(order.course_id)}


def intent_succeeded(order, event_id: str) -> bytes:
    amount = _minor(order)
    return _event(event_id, "payment_intent.succeeded", {
        "id": order.stripe_payment_intent_id, "object": "payment_intent", "amount": amount,
        "amount_received": amount, "currency": order.currency.lower(), "status": "succeeded",
        "livemode": False, "metadata": _metadata(order),
        "latest_charge": order.stripe_payment_intent_id.replace("pi_", "ch_", 1),
        "description": f"{order.reference}: {order.course_title}",
    })


def session_completed(order, event_id: str) -> bytes:
    return _event(event_id, "checkout.session.completed", {
        "id": order.stripe_checkout_session_id, "object": "checkout.session", "mode": "payment",
        "status": "complete", "payment_status": "paid", "amount_total": _minor(order),
        "currency": order.currency.lower(), "client_reference_id": str(order.pk),
        "payment_intent": order.stripe_payment_intent_id, "livemode": False, "metadata": _metadata(order),
    })


def sign(body: bytes, secret: str, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"
