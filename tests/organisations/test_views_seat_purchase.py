"""Buying seats end to end against localstripe, over real HTTP, as in
``tests/payments/test_localstripe.py``: the manager's form starts Checkout (through the
payments tests' shim: localstripe has no Checkout), the payment goes through the order's
PaymentIntent in localstripe, localstripe delivers its signed webhook to the live test
server, and the seats page, the return page and the receipt show the 3 places."""
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from organisations.models import SeatChange, SeatPool
from payments.models import Order, StripeEvent
from tests.factories import UserFactory
from tests.integration.processes import wait_until
from tests.payments.conftest import checkout_shim, delivery_catcher, localstripe, stripe_api  # noqa: F401
from tests.payments.helpers import deliver_at_once, paid_course, pay_in_localstripe

from .support import make_org

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def start_buying(client, org, course, quantity="3") -> Order:
    response = client.post(reverse("organisations:seats_buy", args=[org.pk]), {"course": course.pk, "quantity": quantity})
    assert response.status_code == 303, response.content.decode()[-2000:]
    order = Order.objects.get(purpose=Order.Purpose.SEATS)
    assert response["Location"] == order.stripe_checkout_url
    return order


def pool_total(org, course) -> int:
    return SeatPool.objects.get(organisation=org, course=course).total


def test_buying_three_seats_through_checkout_and_the_webhook(client, checkout_shim, live_server, stripe_api):  # noqa: F811
    course = paid_course("40.00")
    owner = UserFactory(email="owner@riverside.example")
    org = make_org(owner)
    client.force_login(owner)

    order = start_buying(client, org, course, quantity="3")

    assert (order.quantity, order.total_amount, order.email, order.user) == (
        3, Decimal("120.00"), "accounts@riverside.example", owner
    )
    form = checkout_shim.sessions()[0]["form"]
    assert (form["line_items[0][quantity]"], form["line_items[0][price_data][unit_amount]"]) == (["3"], ["4000"])
    assert form["metadata[seats]"] == ["3"]
    return_url = reverse("payments:order_return", args=[order.pk]) + f"?session_id={order.stripe_checkout_session_id}"
    # Back from Stripe before paying: the organisation's page waits.
    page = client.get(return_url, follow=True).content.decode()
    assert "Waiting for payment" in page
    assert pool_total(org, course) == 0

    stripe_api.register_webhook(f"{live_server.url}/stripe/webhook/")
    pay_in_localstripe(stripe_api, order)

    wait_until(lambda: pool_total(org, course) == 3, what="the webhook to add the seats", services=[stripe_api.service])
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
    response = client.get(return_url, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("organisations:seat_order", args=[org.pk, order.pk]))
    page = response.content.decode()
    assert "Paid: 3 places added to Facilitator Training" in page and "3 free places" in page

    seats = client.get(reverse("organisations:seats", args=[org.pk])).content.decode()
    assert "Bought online" in seats and f"Receipt {order.reference}" in seats

    receipt = client.get(reverse("payments:receipt", args=[order.pk])).content.decode()
    assert "Facilitator Training: 3 places × $40.00" in receipt and "$120.00" in receipt
    wait_until(lambda: len(mail.outbox) == 1, what="the receipt email")
    [message] = mail.outbox
    assert message.to == ["accounts@riverside.example", "owner@riverside.example"]
    assert "3 places × $40.00" in message.body


def test_the_same_delivery_several_times_at_once_adds_the_seats_once(
    client, checkout_shim, live_server, stripe_api, delivery_catcher  # noqa: F811
):
    course = paid_course("40.00")
    owner = UserFactory()
    org = make_org(owner)
    client.force_login(owner)
    order = start_buying(client, org, course, quantity="3")

    pay_in_localstripe(stripe_api, order)
    [delivery] = wait_until(lambda: delivery_catcher.of_type("payment_intent.succeeded"), what="localstripe's delivery")
    statuses = deliver_at_once(live_server.url, delivery, times=4)

    assert statuses == [200] * 4
    assert StripeEvent.objects.count() == 1
    wait_until(lambda: pool_total(org, course) == 3, what="the seats")
    assert list(SeatChange.objects.values_list("kind", "quantity")) == [("purchase", 3)]
    wait_until(lambda: len(mail.outbox) == 1, what="one receipt")


def test_seats_in_the_managers_currency_else_the_courses_main_one(client, checkout_shim):  # noqa: F811
    from payments.models import CoursePrice

    course = paid_course("40.00")
    CoursePrice.objects.create(course=course, currency="EUR", amount=Decimal("37.00"))
    owner = UserFactory(email="owner@riverside.example")
    org = make_org(owner)
    client.force_login(owner)
    url = reverse("organisations:seats_buy", args=[org.pk])
    # Spain (an English reader there; a Spanish one reads the same at /es/): euros are
    # offered first, and the order and Stripe's line are in euros.
    page = client.get(reverse("organisations:seats", args=[org.pk]), HTTP_ACCEPT_LANGUAGE="en-ES").content.decode()
    assert '<option value="EUR" selected>' in page
    response = client.post(url, {"course": course.pk, "quantity": "3", "currency": "EUR"})
    assert response.status_code == 303
    order = Order.objects.get(purpose=Order.Purpose.SEATS)
    assert (order.currency, order.unit_amount, order.total_amount) == ("EUR", Decimal("37.00"), Decimal("111.00"))
    form = checkout_shim.sessions()[0]["form"]
    assert (form["line_items[0][price_data][currency]"], form["line_items[0][price_data][unit_amount]"]) == (["eur"], ["3700"])
    # A currency the course has no fee in: its main one. One that is no currency: refused, nothing made.
    client.post(url, {"course": course.pk, "quantity": "2", "currency": "GBP"})
    assert Order.objects.filter(purpose=Order.Purpose.SEATS).latest("pk").currency == "USD"
    refused = client.post(url, {"course": course.pk, "quantity": "4", "currency": "XYZ"})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert Order.objects.filter(purpose=Order.Purpose.SEATS).count() == 2
