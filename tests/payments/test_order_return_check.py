"""``services.order_check_on_return``: a buyer back from Stripe Checkout (or whose waiting
page reloads every few seconds) has the order asked about at once, but Stripe is asked
about one order at most every 3 seconds, and Stripe out of reach is a warning, not an error
page. The success page and organisations' seat order page both go through it."""
import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from payments import services
from payments.models import Order
from tests.factories import UserFactory

from .helpers import paid_course, pending_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(catalogue, settings):
    settings.STRIPE_SECRET_KEY = ""  # Stripe not set up: asking it raises a gateway error
    return pending_order(UserFactory(), paid_course())


def _checked(order: Order, ago: timedelta | None) -> Order:
    Order.objects.filter(pk=order.pk).update(last_checked_at=timezone.now() - ago if ago is not None else None)
    order.refresh_from_db()
    return order


def test_an_order_asked_about_moments_ago_is_not_asked_about_again(order, django_assert_num_queries):
    order = _checked(order, timedelta(seconds=1))
    before = order.last_checked_at
    with django_assert_num_queries(0):
        assert services.order_check_on_return(order=order, session_id_hint="cs_test_1", via="success page") is False
    order.refresh_from_db()
    assert order.last_checked_at == before


@pytest.mark.parametrize("ago", [None, timedelta(seconds=4)])
def test_otherwise_stripe_is_asked_and_being_out_of_reach_is_logged(order, ago, caplog):
    order = _checked(order, ago)
    with caplog.at_level(logging.WARNING, logger="payments.services"):
        assert services.order_check_on_return(order=order, session_id_hint="cs_test_1", via="seats page") is True
    order.refresh_from_db()
    assert order.last_checked_at is not None and timezone.now() - order.last_checked_at < timedelta(seconds=2)
    assert f"Could not ask Stripe about {order.reference} from the seats page" in caplog.text
    assert order.status == Order.Status.PENDING


def test_an_order_no_longer_open_is_not_asked_about(order, django_assert_num_queries):
    Order.objects.filter(pk=order.pk).update(status=Order.Status.EXPIRED)
    order = _checked(order, None)
    with django_assert_num_queries(0):
        assert services.order_check_on_return(order=order, session_id_hint="", via="success page") is False
