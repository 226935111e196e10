"""Receipts: the owner's page and email, with the organisation's details and the donation
shown apart; nobody else's receipt is reachable."""
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from payments import services
from payments.models import Order
from tests.factories import UserFactory

from .helpers import discount_code, minor, paid_course, pending_order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def organisation(settings):
    settings.ORGANISATION_NAME = "Recovery Facilitators International"
    settings.ORGANISATION_ADDRESS = "1 Example Street\nSpringfield"
    settings.ORGANISATION_CHARITY_NUMBER = "CH-1234567"


@pytest.fixture
def paid(django_capture_on_commit_callbacks):
    order = pending_order(UserFactory(), paid_course("40.00"), donation="15.00")
    with django_capture_on_commit_callbacks(execute=True):
        services.order_fulfil(order_id=order.pk, paid_amount=minor(order), currency="USD", payment_intent_id="pi_receipt")
    return Order.objects.get(pk=order.pk)


def receipt_url(order):
    return reverse("payments:receipt", args=[order.pk])


def test_the_owner_sees_the_receipt(client, paid):
    client.force_login(paid.user)
    page = client.get(receipt_url(paid)).content.decode()
    for text in ("Recovery Facilitators International", "1 Example Street<br>Springfield",
                 "Registered charity number CH-1234567", paid.reference, "$40.00", "Donation (thank you)",
                 "$15.00", "$55.00", "pi_receipt"):
        assert text in page, text
    assert f"{paid.paid_at:%H:%M} UTC" in page  # the time says which zone it is in


def test_receipt_email_is_sent_once_with_the_same_details(paid, django_capture_on_commit_callbacks):
    [message] = mail.outbox
    assert message.to == [paid.user.email]
    assert message.subject == f"Receipt {paid.reference}: {paid.course_title}"
    for text in ("Recovery Facilitators International", "CH-1234567", "Course fee:       $40.00",
                 "Donation:         $15.00", "Total paid:       $55.00", receipt_url(paid)):
        assert text in message.body, text
    # Running the task again sends nothing.
    assert services.order_send_receipt(order_id=paid.pk) is False
    with django_capture_on_commit_callbacks(execute=True):
        services.order_fulfil(order_id=paid.pk, paid_amount=5500, currency="usd", payment_intent_id="pi_receipt")
    assert len(mail.outbox) == 1


def test_another_learners_receipt_is_not_found(client, paid):
    client.force_login(UserFactory())
    assert client.get(receipt_url(paid)).status_code == 404
    assert client.get(reverse("payments:order_return", args=[paid.pk])).status_code == 404
    assert client.get(reverse("payments:order_cancelled", args=[paid.pk])).status_code == 404


def test_visitors_are_asked_to_sign_in(client, paid):
    response = client.get(receipt_url(paid))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_an_unpaid_order_has_no_receipt(client):
    order = pending_order(UserFactory(), paid_course("40.00"))
    client.force_login(order.user)
    assert client.get(receipt_url(order)).status_code == 404


def test_waived_fee_receipt(client, settings, django_capture_on_commit_callbacks):
    settings.STRIPE_SECRET_KEY = ""
    course = paid_course("40.00")
    discount_code("WAIVE", value="100")
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        start = services.order_start_checkout(user=user, course=course, code_text="waive")
    client.force_login(user)
    page = client.get(receipt_url(start.order)).content.decode()
    assert "The whole fee was covered by code WAIVE" in page
    assert "Nothing was charged" in mail.outbox[0].body


def test_my_orders_lists_only_mine(client, paid):
    other = pending_order(UserFactory(), paid_course("30.00", title="Family course"))
    client.force_login(paid.user)
    page = client.get(reverse("payments:my_orders")).content.decode()
    assert paid.reference in page and receipt_url(paid) in page
    assert other.reference not in page


def test_course_page_links_the_receipt(client, paid):
    client.force_login(paid.user)
    page = client.get(paid.course.url).content.decode()
    assert receipt_url(paid) in page
    assert "Pay and enrol" not in page
    assert Decimal(paid.total_amount) == Decimal("55.00")
