"""The whole path with real components: localstripe delivers a signed webhook over HTTP
to the live test server, which stores the event and publishes the task to a private
Redis; a real Celery worker process settles the order in PostgreSQL and sends the receipt
(read back from its file-based mailbox)."""
import threading

import pytest

from courses.models import Enrollment
from payments.models import Order, StripeEvent
from tests.factories import UserFactory

from .conftest import http_post_event
from .helpers import minor, paid_course, pending_order

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _pay(localstripe, order):
    return localstripe.client.v1.payment_intents.create(params={
        "amount": minor(order), "currency": "usd", "payment_method": "pm_card_visa", "confirm": True,
        "metadata": {"order_id": str(order.pk)},
    })


def test_worker_settles_a_real_delivery(live_worker, live_server, stripe_api):
    user = UserFactory()
    order = pending_order(user, paid_course("40.00"))
    stripe_api.register_webhook(f"{live_server.url}/stripe/webhook/")

    intent = _pay(stripe_api, order)

    live_worker.wait_until(
        lambda: Order.objects.get(pk=order.pk).status == Order.Status.PAID, what="the worker to settle the order",
        services=[stripe_api.service],
    )
    live_worker.wait_until(lambda: live_worker.mailbox.to(user.email), what="the receipt")
    live_worker.drain()
    order.refresh_from_db()
    assert order.stripe_payment_intent_id == intent.id
    assert Enrollment.objects.get(user=user).source == Enrollment.Source.PAID
    assert StripeEvent.objects.get().processed_at is not None
    [receipt] = live_worker.mailbox.to(user.email)
    assert receipt["Subject"] == f"Receipt {order.reference}: {order.course_title}"


def test_five_concurrent_deliveries_through_the_worker(live_worker, live_server, stripe_api, delivery_catcher):
    user = UserFactory()
    order = pending_order(user, paid_course("40.00"))
    _pay(stripe_api, order)
    [delivery] = live_worker.wait_until(
        lambda: delivery_catcher.of_type("payment_intent.succeeded"), what="localstripe's delivery"
    )
    barrier = threading.Barrier(5)
    statuses = []

    def replay():
        barrier.wait()
        statuses.append(http_post_event(live_server.url, delivery["body"], delivery["signature"]))

    threads = [threading.Thread(target=replay) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 5
    live_worker.wait_until(lambda: live_worker.mailbox.to(user.email), what="the receipt")
    live_worker.drain()
    assert StripeEvent.objects.count() == 1
    assert Enrollment.objects.filter(user=user).count() == 1
    assert len(live_worker.mailbox.to(user.email)) == 1
