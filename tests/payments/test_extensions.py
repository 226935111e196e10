"""Seat orders in payments' pages come only from what the selling app registers
(``payments.extensions``): payments names nothing of organisations, a seat order without
a registered app has no page and no detail, and the detail costs one query (none for a
learner's own place)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from organisations.models import SeatPurchase
from organisations.order_seats import seat_order_detail, seat_order_page
from payments import extensions
from tests.factories import UserFactory
from tests.organisations.support import make_org, seat_order

from .helpers import paid_course, pending_order

pytestmark = pytest.mark.django_db

ROOT = Path(django_settings.BASE_DIR)
# An import of organisations, one of its URL names, or its reverse relation on Order.
NAMES_ORGANISATIONS = re.compile(
    r"^\s*(from|import)\s+organisations\b|[\"']organisations(_admin)?:|\bseat_purchase\b", re.MULTILINE
)


@pytest.fixture
def unregistered():
    """No app tells payments about seat orders (as if organisations were not installed)."""
    extensions.register_seat_orders(page=None, detail=None)
    yield
    extensions.register_seat_orders(page=seat_order_page, detail=seat_order_detail)


@pytest.fixture
def seats(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_extensions"  # seat orders need card payment set up; nothing calls Stripe
    owner = UserFactory()
    org = make_org(owner)
    order = seat_order(org, paid_course("40.00"), owner, quantity=3)
    SeatPurchase.objects.filter(order=order).update(refunded=1)
    return org, order


def test_payments_names_nothing_of_organisations():
    sources = [p for p in (ROOT / "payments").rglob("*.py") if "migrations" not in p.parts]
    sources += list((ROOT / "templates" / "payments").rglob("*.*"))
    offending = [str(p.relative_to(ROOT)) for p in sources if NAMES_ORGANISATIONS.search(p.read_text())]
    assert len(sources) > 40 and offending == []


def test_the_detail_comes_from_the_registered_app_in_one_query(seats, django_assert_num_queries):
    org, order = seats
    with django_assert_num_queries(1):
        detail = extensions.seat_order_detail(order)
    assert detail == extensions.SeatOrderDetail(
        organisation=org.name, organisation_url=reverse("organisations_admin:inspect", args=[org.pk]),
        refund_url=reverse("organisations_admin:refund_seats", args=[order.pk]), quantity=3, refunded=1,
    )
    place = pending_order(UserFactory(), order.course)
    with django_assert_num_queries(0):
        assert extensions.seat_order_detail(place) is None and extensions.seat_order_page(place) is None


def test_without_a_registered_app_a_seat_order_has_no_page_and_no_detail(client, finance, seats, unregistered):
    _, order = seats
    assert extensions.seat_order_detail(order) is None and extensions.seat_order_page(order) is None
    client.force_login(finance)
    page = client.get(reverse("payments_orders:inspect", args=[order.pk])).content.decode()
    assert "Refund unused seats" not in page and "Seats for" not in page
    client.force_login(order.user)
    assert client.get(reverse("payments:order_return", args=[order.pk])).status_code == 404
    assert client.get(reverse("payments:order_cancelled", args=[order.pk])).status_code == 404


def test_the_buyer_goes_back_to_the_page_the_app_registered(client, seats):
    _, order = seats
    extensions.register_seat_orders(page=lambda o: f"/elsewhere/{o.pk}/", detail=seat_order_detail)
    try:
        client.force_login(order.user)
        response = client.get(reverse("payments:order_return", args=[order.pk]), {"session_id": "cs_test_1"})
        cancelled = client.get(reverse("payments:order_cancelled", args=[order.pk]))
    finally:
        extensions.register_seat_orders(page=seat_order_page, detail=seat_order_detail)
    assert response.status_code == 302 and response["Location"] == f"/elsewhere/{order.pk}/?session_id=cs_test_1"
    assert cancelled["Location"] == f"/elsewhere/{order.pk}/?cancelled=1"
