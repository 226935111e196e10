"""The whole path with real components: localstripe delivers a signed webhook over HTTP
to the live test server, which stores the event and publishes the task to a private
Redis; a real Celery worker process settles the order in PostgreSQL and sends the receipt
(read back from its file-based mailbox)."""

import pytest

from courses.models import Enrollment
from payments.models import Order, StripeEvent
from tests.factories import UserFactory

from .helpers import deliver_at_once, paid_course, pay_in_localstripe, pending_order

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_worker_settles_a_real_delivery(live_worker, live_server, stripe_api):
    user = UserFactory()
    order = pending_order(user, paid_course("40.00"))
    stripe_api.register_webhook(f"{live_server.url}/stripe/webhook/")

    intent = pay_in_localstripe(stripe_api, order)

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
    pay_in_localstripe(stripe_api, order)
    [delivery] = live_worker.wait_until(
        lambda: delivery_catcher.of_type("payment_intent.succeeded"), what="localstripe's delivery"
    )
    statuses = deliver_at_once(live_server.url, delivery, times=5)
    assert statuses == [200] * 5
    live_worker.wait_until(lambda: live_worker.mailbox.to(user.email), what="the receipt")
    live_worker.drain()
    assert StripeEvent.objects.count() == 1
    assert Enrollment.objects.filter(user=user).count() == 1
    assert len(live_worker.mailbox.to(user.email)) == 1
