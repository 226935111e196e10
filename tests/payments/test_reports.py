"""Staff reporting: order filters, revenue by course and month (currencies apart,
donations apart), CSV exports safe for spreadsheets, constant queries, permissions."""
import csv
import io
import re
from datetime import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kernel.spreadsheets import csv_safe
from payments import selectors
from payments.admin.forms import RevenueFilterForm
from payments.admin.revenue import REVENUE_HEADER
from payments.models import Order
from tests.factories import UserFactory

from .helpers import paid_course, pending_order

pytestmark = pytest.mark.django_db


def at(year, month, day=15):
    return timezone.make_aware(datetime(year, month, day, 12, 0))


def settled(course, *, paid_at, status="paid", discount="0", donation="0", refunded="0", user=None):
    order = pending_order(user or UserFactory(), course, discount=discount, donation=donation, created_ago=timezone.timedelta(0))
    Order.objects.filter(pk=order.pk).update(
        status=status, paid_at=paid_at, created_at=paid_at, amount_paid=order.total_amount,
        amount_refunded=Decimal(refunded),
    )
    return Order.objects.get(pk=order.pk)


@pytest.fixture
def books():
    usd = paid_course("40.00", title="Facilitator Training")
    eur = paid_course("30.00", title="Facilitator Training EU", currency="EUR")
    settled(usd, paid_at=at(2026, 3), donation="10")
    settled(usd, paid_at=at(2026, 3, 20), discount="20", status="partially_refunded", refunded="5")
    settled(usd, paid_at=at(2026, 3, 21), discount="40")  # a full scholarship: zero-amount order
    settled(usd, paid_at=at(2026, 4), status="refunded", refunded="40")
    settled(eur, paid_at=at(2026, 3), donation="5")
    pending_order(UserFactory(), usd)  # not paid: never revenue
    Order.objects.filter(status="pending").update(created_at=at(2026, 3, 2))
    return usd, eur


def test_revenue_by_course_month_and_currency(books):
    usd, eur = books
    rows = {(r.month.strftime("%Y-%m"), r.currency): r for r in selectors.revenue()}
    assert set(rows) == {("2026-03", "USD"), ("2026-04", "USD"), ("2026-03", "EUR")}
    march = rows[("2026-03", "USD")]
    assert (march.orders, march.zero_amount_orders) == (3, 1)
    assert (march.fees, march.discounts, march.refunds, march.net, march.donations) == (
        Decimal("120.00"), Decimal("60.00"), Decimal("5.00"), Decimal("55.00"), Decimal("10.00")
    )
    april = rows[("2026-04", "USD")]
    assert (april.fees, april.refunds, april.net) == (Decimal("40.00"), Decimal("40.00"), Decimal("0.00"))
    euro = rows[("2026-03", "EUR")]
    assert (euro.course_title, euro.fees, euro.donations) == ("Facilitator Training EU", Decimal("30.00"), Decimal("5.00"))
    totals = {t["currency"]: t for t in selectors.revenue_totals(list(rows.values()))}
    assert totals["USD"]["fees"] == Decimal("160.00") and totals["EUR"]["fees"] == Decimal("30.00")  # never mixed
    # Filters: a date range and a course.
    only_april = selectors.revenue(date_from=datetime(2026, 4, 1).date(), date_to=datetime(2026, 4, 30).date())
    assert [(r.month.month, r.currency) for r in only_april] == [(4, "USD")]
    assert {r.currency for r in selectors.revenue(course_id=eur.pk)} == {"EUR"}


def test_revenue_page_and_csv_in_constant_queries(client, finance, books):
    usd, eur = books
    client.force_login(finance)
    url = reverse("payments_admin:revenue")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "$120.00" in html and "€30.00" in html and "Total in EUR" in html
    with CaptureQueriesContext(connection) as few:
        client.get(url + "?export=csv").getvalue()
    for month in (1, 2, 5, 6):
        settled(usd, paid_at=at(2026, month), donation="3")
        settled(eur, paid_at=at(2026, month))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url + "?export=csv")
        body = response.getvalue().decode()
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as page_few:
        client.get(url)
    settled(usd, paid_at=at(2026, 7))
    with CaptureQueriesContext(connection) as page_many:
        client.get(url)
    assert len(page_many) == len(page_few)
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == REVENUE_HEADER
    assert ["2026-03", "Facilitator Training", "USD", "3", "1", "120.00", "60.00", "5.00", "55.00", "10.00"] in rows


def test_order_listing_filters_by_course_and_dates(client, finance, books):
    usd, eur = books
    client.force_login(finance)
    index = reverse("payments_orders:index")
    euro_orders = client.get(index, {"course": eur.pk}).content.decode()
    eur_order = Order.objects.get(course=eur)
    usd_orders = Order.objects.filter(course=usd)
    assert eur_order.reference in euro_orders
    assert not any(o.reference in euro_orders for o in usd_orders)
    april = client.get(index, {"paid_at_from": "2026-04-01", "paid_at_to": "2026-04-30"}).content.decode()
    assert [o.reference for o in Order.objects.all() if o.reference in april] == [
        Order.objects.get(status="refunded").reference
    ]
    pending = client.get(index, {"status": "pending", "created_at_from": "2026-03-01", "created_at_to": "2026-03-02"})
    assert Order.objects.get(status="pending").reference in pending.content.decode()
    assert eur_order.reference not in pending.content.decode()


def test_orders_csv_follows_the_filters_and_defuses_formulas(client, finance):
    course = paid_course("40.00", title="=HYPERLINK(\"http://evil.example\",\"Click\")")
    other = paid_course("25.00", title="Other course")
    evil = UserFactory(email="+cmd@example.org")
    settled(course, paid_at=at(2026, 3), user=evil)
    settled(other, paid_at=at(2026, 3))
    client.force_login(finance)
    response = client.get(reverse("payments_orders:index"), {"course": course.pk, "export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 2  # header and the one filtered order
    cells = rows[1]
    assert "'=HYPERLINK(\"http://evil.example\",\"Click\")" in cells
    assert "'+cmd@example.org" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


@pytest.mark.parametrize("value, safe", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Plain", "Plain"), ("a=b", "a=b"), (None, ""), (Decimal("4.00"), "4.00"),
])
def test_csv_safe(value, safe):
    assert csv_safe(value) == safe


@pytest.mark.parametrize("who", ["anonymous", "learner", "staff_without_permission"])
def test_reports_refuse_without_the_permission(client, books, who):
    if who == "learner":
        client.force_login(UserFactory())
    elif who == "staff_without_permission":
        user = UserFactory(is_staff=True)
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(user)
    for url in (reverse("payments_admin:revenue"), reverse("payments_admin:revenue") + "?export=csv",
                reverse("payments_orders:index") + "?export=csv"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "login" in response["Location"] or response["Location"] == "/admin/"
        assert b"USD" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_a_viewer_with_only_view_order_sees_revenue(client, books):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_order"))
    client.force_login(user)
    assert client.get(reverse("payments_admin:revenue")).status_code == 200


def test_revenue_page_brings_the_date_pickers_script(client, finance, books):
    """The date inputs call ``initDateChooser``, defined by the widget's media: without it
    the browser reports "initDateChooser is not defined" and the pickers do nothing."""
    client.force_login(finance)
    html = client.get(reverse("payments_admin:revenue")).content.decode()
    assert html.count("initDateChooser(") == 2  # "Paid from" and "Paid until" ask for a picker
    scripts = RevenueFilterForm().media.render_js()
    assert any("wagtailadmin/js/date-time-chooser.js" in tag for tag in scripts)
    for tag in scripts:
        # Included, and before the first input's call (scripts run in order).
        assert tag in html and html.index(tag) < html.index("initDateChooser("), tag


def test_revenue_table_scrolls_in_its_own_region_on_a_narrow_screen(client, finance, books):
    client.force_login(finance)
    html = client.get(reverse("payments_admin:revenue")).content.decode()
    wrapper = re.search(r"<div ([^>]*)>\s*<table [^>]*id=\"revenue-table\"", html)
    assert wrapper, "the table is not wrapped"
    attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', wrapper.group(1)))
    # Reachable and named: the keyboard can scroll it, a screen reader announces it.
    assert attrs["role"] == "region" and attrs["tabindex"] == "0" and attrs["aria-label"].strip()
    style = " ".join(re.findall(r"<style>(.*?)</style>", html, re.S))
    rules = {
        one.strip(): body for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", style) for one in selectors.split(",")
    }
    scroll_rule = " ".join(body for selector, body in rules.items()
                           if any(f".{c}" in selector.split() for c in attrs["class"].split()))
    assert "overflow-x: auto" in scroll_rule
    # The course list (as wide as its longest title) and its field, which Wagtail sizes to it.
    assert "max-width: 100%" in rules.get("#revenue-filters select", "")
    assert "max-width: 100%" in rules.get("#revenue-filters .w-field", "")
    assert 'id="revenue-filters"' in html and 'name="course"' in html.split('id="revenue-filters"', 1)[1]


@pytest.mark.parametrize("query", [
    {"date_from": "2026-13-45"},
    {"date_to": "not a date"},
    {"date_from": "soon", "export": "csv"},
])
def test_revenue_with_unreadable_dates_shows_the_error_and_no_figures(client, finance, books, query):
    client.force_login(finance)
    response = client.get(reverse("payments_admin:revenue"), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")  # no CSV of every order either
    html = response.content.decode()
    assert "Enter a valid date." in html
    assert "No figures are shown until the filters above are corrected." in html
    assert "$120.00" not in html and "Total in" not in html and 'id="revenue-csv"' not in html


def test_revenue_with_a_reversed_range_says_so(client, finance, books):
    client.force_login(finance)
    html = client.get(reverse("payments_admin:revenue"), {"date_from": "2026-04-30", "date_to": "2026-04-01"}).content.decode()
    assert "“Paid from” must be on or before “Paid until”." in html
    assert "No paid orders" not in html and "Total in" not in html
    # The same dates the right way round are a filter like any other.
    april = client.get(reverse("payments_admin:revenue"), {"date_from": "2026-04-01", "date_to": "2026-04-30"}).content.decode()
    assert "must be on or before" not in april and "Total in USD" in april and "April 2026" in april
