"""End to end against localstripe over real HTTP, no mocks of the stripe client.

Checkout starts through the shim (localstripe has no Checkout); the payment then goes
through the order's PaymentIntent in localstripe (created with the order id in its
metadata, as Checkout does with ``payment_intent_data.metadata``), and localstripe
delivers its signed ``payment_intent.*`` webhook to the live test server. Tasks run
eagerly in the server's thread here; ``test_worker.py`` runs them in a real worker.
"""
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
import stripe
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from courses.models import Enrollment
from payments import services
from payments.models import Order, Refund, StripeEvent
from tests.factories import UserFactory
from tests.integration.processes import wait_until

from .conftest import event_body, http_post_event, sign
from .helpers import checkout_form, deliver_at_once, minor, paid_course, pay_in_localstripe, pending_order

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _fresh(order) -> Order:
    return Order.objects.get(pk=order.pk)


def _start_checkout(client, course, **form) -> Order:
    response = client.post(reverse("payments:checkout", args=[course.id]), checkout_form(**form))
    assert response.status_code == 303, response.content.decode()[-2000:]
    return Order.objects.latest("pk")


def test_paid_through_a_real_signed_webhook_delivery(client, checkout_shim, live_server, stripe_api):
    course = paid_course("40.00")
    user = UserFactory()
    client.force_login(user)
    order = _start_checkout(client, course, donation="10.00")
    stripe_api.register_webhook(f"{live_server.url}/stripe/webhook/")

    intent = pay_in_localstripe(stripe_api, order)

    wait_until(lambda: _fresh(order).status == Order.Status.PAID, what="the webhook to settle the order",
               services=[stripe_api.service])
    order = _fresh(order)
    assert (order.stripe_payment_intent_id, order.amount_paid) == (intent.id, Decimal("50.00"))
    enrollment = Enrollment.objects.get(user=user, course=course)
    assert (enrollment.source, enrollment.status, order.enrollment) == (Enrollment.Source.PAID, "active", enrollment)
    event = StripeEvent.objects.get(type="payment_intent.succeeded")
    assert (event.order, event.outcome, event.livemode) == (order, services.Fulfilment.FULFILLED, False)
    wait_until(lambda: len(mail.outbox) == 1, what="the receipt")
    assert order.reference in mail.outbox[0].subject
    assert "Donation:         $10.00" in mail.outbox[0].body
    # Back from Stripe afterwards: straight into the course.
    response = client.get(reverse("payments:order_return", args=[order.pk]) + f"?session_id={order.stripe_checkout_session_id}")
    assert response.status_code == 302
    assert "Thank you: your payment is received" in [m.message for m in response.wsgi_request._messages][0]


def test_a_declined_card_gives_no_place(client, checkout_shim, live_server, stripe_api):
    course = paid_course("40.00")
    user = UserFactory()
    client.force_login(user)
    order = _start_checkout(client, course)
    stripe_api.register_webhook(f"{live_server.url}/stripe/webhook/")

    with pytest.raises(stripe.CardError):
        pay_in_localstripe(stripe_api, order, card="pm_card_chargeCustomerFail")

    wait_until(lambda: _fresh(order).status == Order.Status.FAILED, what="payment_failed to reach the order",
               services=[stripe_api.service])
    assert "declined" in _fresh(order).last_payment_error
    assert not Enrollment.objects.exists()
    assert mail.outbox == []
    page = client.get(reverse("payments:order_return", args=[order.pk])).content.decode()
    assert "did not go through" in page and "Nothing was charged" in page


def test_the_same_event_five_times_at_once_gives_one_place_and_one_receipt(live_server, stripe_api, delivery_catcher):
    course = paid_course("40.00")
    order = pending_order(UserFactory(), course)
    pay_in_localstripe(stripe_api, order)
    [delivery] = wait_until(lambda: delivery_catcher.of_type("payment_intent.succeeded"), what="localstripe's delivery")

    statuses = deliver_at_once(live_server.url, delivery, times=5)

    assert statuses == [200] * 5
    assert StripeEvent.objects.count() == 1
    assert _fresh(order).status == Order.Status.PAID
    assert Enrollment.objects.count() == 1
    assert len(mail.outbox) == 1


def test_success_page_and_webhook_at_the_same_moment_give_one_place(client, checkout_shim, live_server, stripe_api,
                                                                   delivery_catcher):
    course = paid_course("40.00")
    user = UserFactory()
    client.force_login(user)
    order = _start_checkout(client, course)
    intent = pay_in_localstripe(stripe_api, order)
    [delivery] = wait_until(lambda: delivery_catcher.of_type("payment_intent.succeeded"), what="localstripe's delivery")
    # Stripe's Checkout would have told us the PaymentIntent; localstripe has no sessions.
    Order.objects.filter(pk=order.pk).update(stripe_payment_intent_id=intent.id)
    return_url = reverse("payments:order_return", args=[order.pk]) + f"?session_id={order.stripe_checkout_session_id}"
    learner = Client()
    learner.force_login(user)
    barrier = threading.Barrier(2)
    results = {}

    def success_page():
        try:
            barrier.wait()
            results["page"] = learner.get(return_url)
        finally:
            connection.close()

    def webhook():
        barrier.wait()
        results["webhook"] = http_post_event(live_server.url, delivery["body"], delivery["signature"])

    threads = [threading.Thread(target=success_page), threading.Thread(target=webhook)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert results["webhook"] == 200
    assert results["page"].status_code == 302  # into the course, enrolled
    assert _fresh(order).status == Order.Status.PAID
    assert Enrollment.objects.filter(user=user).count() == 1
    assert len(mail.outbox) == 1
    # The success page asked Stripe for the session (localstripe: 404), then the PaymentIntent.
    asked = [(r["method"], r["path"].split("?")[0]) for r in checkout_shim.requests if r["method"] == "GET"]
    assert ("GET", f"/v1/checkout/sessions/{order.stripe_checkout_session_id}") in asked
    assert ("GET", f"/v1/payment_intents/{intent.id}") in asked


def test_success_page_settles_before_any_webhook(client, checkout_shim, stripe_api):
    course = paid_course("40.00")
    user = UserFactory()
    client.force_login(user)
    order = _start_checkout(client, course)
    intent = pay_in_localstripe(stripe_api, order)
    Order.objects.filter(pk=order.pk).update(stripe_payment_intent_id=intent.id)
    response = client.get(reverse("payments:order_return", args=[order.pk]) + "?session_id=cs_someone_elses")
    assert response.status_code == 302
    assert _fresh(order).status == Order.Status.PAID
    assert Enrollment.objects.get(user=user).source == Enrollment.Source.PAID


def test_success_page_of_an_unpaid_order_waits(client, checkout_shim):
    course = paid_course("40.00")
    user = UserFactory()
    client.force_login(user)
    order = _start_checkout(client, course)
    response = client.get(reverse("payments:order_return", args=[order.pk]) + f"?session_id={order.stripe_checkout_session_id}")
    assert response.status_code == 200
    assert "We are confirming your payment" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_reconciliation_settles_orders_whose_webhook_never_came(stripe_api, settings):
    course = paid_course("40.00")
    paid = pending_order(UserFactory(), course, session_id="cs_test_paid", created_ago=timedelta(minutes=20))
    intent = pay_in_localstripe(stripe_api, paid)
    Order.objects.filter(pk=paid.pk).update(stripe_payment_intent_id=intent.id)
    declined = pending_order(UserFactory(), course, created_ago=timedelta(minutes=20))
    with pytest.raises(stripe.CardError):
        pay_in_localstripe(stripe_api, declined, card="pm_card_chargeCustomerFail")
    [failed_intent] = [
        pi for pi in stripe_api.client.v1.payment_intents.list(params={"limit": 10}).data
        if pi.metadata["order_id"] == str(declined.pk)
    ]
    Order.objects.filter(pk=declined.pk).update(stripe_payment_intent_id=failed_intent.id)
    abandoned = pending_order(UserFactory(), course, session_id="cs_test_gone", created_ago=timedelta(hours=3))
    recent = pending_order(UserFactory(), course, session_id="cs_test_new", created_ago=timedelta(minutes=2))

    summary = services.orders_reconcile()

    assert _fresh(paid).status == Order.Status.PAID
    assert Enrollment.objects.filter(user=paid.user, source="paid").exists()
    assert _fresh(declined).status == Order.Status.FAILED
    assert _fresh(abandoned).status == Order.Status.EXPIRED
    assert _fresh(recent).status == Order.Status.PENDING
    assert summary["checked"] == 3 and summary["errors"] == 0
    assert len(mail.outbox) == 1  # the receipt of the settled one
    # Checked again at once: nothing asked twice within the interval.
    assert services.orders_reconcile()["checked"] == 0


def _paid_order(stripe_api) -> Order:
    order = pending_order(UserFactory(), paid_course("40.00"), donation="10.00")
    intent = pay_in_localstripe(stripe_api, order)
    services.order_fulfil(order_id=order.pk, paid_amount=minor(order), currency="usd", payment_intent_id=intent.id)
    return _fresh(order)


def test_refunds_through_localstripe_partial_then_full(stripe_api):
    order = _paid_order(stripe_api)
    staff = UserFactory(is_staff=True)
    mail.outbox.clear()

    partial = services.order_refund(order_id=order.pk, amount=Decimal("10.00"), by=staff,
                                    reason=Refund.Reason.REQUESTED_BY_CUSTOMER, note="Could not attend")
    assert partial.stripe_refund_id.startswith("re_")
    assert (partial.status, partial.idempotency_key) == (Refund.Status.SUCCEEDED, f"order-{order.pk}-refund-1")
    order = _fresh(order)
    assert (order.status, order.amount_refunded) == (Order.Status.PARTIALLY_REFUNDED, Decimal("10.00"))
    assert Enrollment.objects.get().status == Enrollment.Status.ACTIVE
    in_stripe = stripe_api.client.v1.refunds.list(params={"payment_intent": order.stripe_payment_intent_id}).data
    assert [(r.amount, r.metadata["refund_id"]) for r in in_stripe] == [(1000, str(partial.pk))]

    rest = services.order_refund(order_id=order.pk, amount=None, by=staff, reason=Refund.Reason.COURSE_CANCELLED)
    assert (rest.amount, rest.idempotency_key) == (Decimal("40.00"), f"order-{order.pk}-refund-2")
    order = _fresh(order)
    assert (order.status, order.amount_refunded) == (Order.Status.REFUNDED, Decimal("50.00"))
    assert Enrollment.objects.get().status == Enrollment.Status.WITHDRAWN
    assert [m.subject for m in mail.outbox] == [f"Refund on {order.reference}: {order.course_title}"] * 2
    assert "your place in the course has ended" in mail.outbox[1].body

    with pytest.raises(services.PaymentError, match="in full already|Only an order"):
        services.order_refund(order_id=order.pk, amount=Decimal("1.00"), by=staff)
    # Submitting a refund again never refunds twice.
    services.refund_submit(refund_id=rest.pk)
    assert len(stripe_api.client.v1.refunds.list(params={"payment_intent": order.stripe_payment_intent_id}).data) == 2

    # Stripe's charge.refunded (signed here: localstripe sends no refund events) with the
    # same refunds: recorded already, nothing counted twice.
    refunds = [r.to_dict() for r in stripe_api.client.v1.refunds.list(params={"payment_intent": order.stripe_payment_intent_id}).data]
    charge = {"id": "ch_x", "object": "charge", "payment_intent": order.stripe_payment_intent_id, "amount": 5000,
              "amount_refunded": 5000, "currency": "usd", "refunds": {"object": "list", "data": refunds, "has_more": False}}
    body = event_body("charge.refunded", charge)
    assert Client().post("/stripe/webhook/", data=body, content_type="application/json",
                         HTTP_STRIPE_SIGNATURE=sign(body)).status_code == 200
    order = _fresh(order)
    assert (order.amount_refunded, Refund.objects.count()) == (Decimal("50.00"), 2)
    assert len(mail.outbox) == 2


def test_refund_events_without_embedded_refunds_are_fetched_from_stripe(stripe_api):
    order = _paid_order(stripe_api)
    # A refund made in Stripe's dashboard (here: straight in localstripe).
    stripe_api.client.v1.refunds.create(params={"payment_intent": order.stripe_payment_intent_id, "amount": 2000})
    charge = {"id": "ch_x", "object": "charge", "payment_intent": order.stripe_payment_intent_id,
              "amount": 5000, "amount_refunded": 2000, "currency": "usd"}
    body = event_body("charge.refunded", charge)
    assert Client().post("/stripe/webhook/", data=body, content_type="application/json",
                         HTTP_STRIPE_SIGNATURE=sign(body)).status_code == 200
    order = _fresh(order)
    assert (order.status, order.amount_refunded) == (Order.Status.PARTIALLY_REFUNDED, Decimal("20.00"))
    refund = Refund.objects.get()
    assert (refund.source, refund.by, refund.idempotency_key) == (Refund.Source.STRIPE, None, None)


def test_refund_amount_bounds(stripe_api):
    order = _paid_order(stripe_api)
    for amount in (Decimal("0"), Decimal("-5"), Decimal("50.01")):
        with pytest.raises(services.PaymentError, match="Enter an amount between"):
            services.order_refund(order_id=order.pk, amount=amount, by=None)
    assert not Refund.objects.exists()


def test_buying_again_after_a_full_refund(client, checkout_shim, stripe_api):
    order = _paid_order(stripe_api)
    services.order_refund(order_id=order.pk, amount=None, by=None)
    assert Enrollment.objects.get().status == Enrollment.Status.WITHDRAWN
    client.force_login(order.user)
    page = client.get(order.course.url).content.decode()
    assert "Your place in this course ended" in page and "Pay and enrol" in page
    again = _start_checkout(client, order.course.specific)
    services.order_fulfil(order_id=again.pk, paid_amount=minor(again), currency="usd", payment_intent_id="pi_again")
    enrollment = Enrollment.objects.get()
    assert (enrollment.status, _fresh(again).enrollment) == (Enrollment.Status.ACTIVE, enrollment)
