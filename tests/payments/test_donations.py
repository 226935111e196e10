"""Donations per currency: suggested amounts and bounds that make sense in each currency
(staff's, else the defaults scaled for the currency, else scaled by the course's own
fees), whole units in zero-decimal currencies, Stripe's minimum and maximum, and the
bounds checked again on the server: a forged amount is refused and buys nothing."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from payments import money, selectors, services
from payments.models import CoursePrice, DonationAmounts, Order
from tests.factories import UserFactory

from .helpers import checkout_form, paid_course, payments_staff

pytestmark = pytest.mark.django_db
D = Decimal


def amounts(*values: str) -> tuple[Decimal, ...]:
    return tuple(D(v) for v in values)


@pytest.fixture
def course():
    """40.00 USD, and the same course's fee in pesos, yen and rupiah."""
    course = paid_course("40.00")
    for position, (currency, amount) in enumerate((("MXN", "700"), ("JPY", "6000"), ("IDR", "600000"))):
        CoursePrice.objects.create(course=course, currency=currency, amount=D(amount), sort_order=position)
    return course


def checkout_url(course) -> str:
    return reverse("payments:checkout", args=[course.pk])


# --- the amounts for each currency ------------------------------------------------------------


@pytest.mark.parametrize(("currency", "presets", "minimum", "maximum"), [
    ("USD", ("5", "10", "25"), "1", "1000"),
    ("EUR", ("5", "10", "25"), "1", "1000"),
    ("GBP", ("5", "10", "25"), "1", "1000"),
    ("CAD", ("5", "10", "25"), "1", "1000"),
    ("AUD", ("5", "10", "25"), "1", "1000"),
    ("MXN", ("100", "200", "500"), "20", "20000"),
    ("JPY", ("500", "1000", "2500"), "100", "100000"),
    ("KRW", ("5000", "10000", "25000"), "1000", "1000000"),
])
def test_the_common_currencies_have_sensible_defaults(currency, presets, minimum, maximum):
    bounds = selectors.donation_bounds(currency)
    assert (bounds.presets, bounds.minimum, bounds.maximum, bounds.source) == (
        amounts(*presets), D(minimum), D(maximum), "default")


def test_zero_decimal_amounts_are_whole_units():
    bounds = selectors.donation_bounds("JPY")
    assert all(value.as_tuple().exponent == 0 for value in (*bounds.presets, bounds.minimum, bounds.maximum))
    assert [money.to_minor(value, "JPY") for value in bounds.presets] == [500, 1000, 2500]  # yen, not cents


def test_another_currency_is_scaled_by_the_courses_own_fees(course):
    """40 USD = 600,000 IDR: 15,000 to one, taken as a round 20,000."""
    bounds = selectors.donation_bounds("IDR", course=course)
    assert (bounds.presets, bounds.minimum, bounds.maximum, bounds.source) == (
        amounts("100000", "200000", "500000"), D("20000"), D("20000000"), "fees")
    # The fees already read are used as they are (no query).
    fees = selectors.course_fees(course)
    assert selectors.donation_bounds("IDR", fees=fees) == bounds


def test_the_settings_are_the_defaults_scaled(settings):
    settings.PAYMENTS_DONATION_PRESETS = ["3", "7", "oops", "-2"]
    settings.PAYMENTS_DONATION_MIN, settings.PAYMENTS_DONATION_MAX = "2", "500"
    assert selectors.donation_bounds("USD").presets == amounts("3", "7")
    jpy = selectors.donation_bounds("JPY")
    assert (jpy.presets, jpy.minimum, jpy.maximum) == (amounts("300", "700"), D("200"), D("50000"))


def test_never_below_what_stripe_can_charge(settings):
    settings.PAYMENTS_DONATION_PRESETS, settings.PAYMENTS_DONATION_MIN = ["0.10", "5"], "0.10"
    assert selectors.donation_bounds("USD").minimum == D("0.50")
    assert selectors.donation_bounds("GBP").minimum == D("0.30")
    assert selectors.donation_bounds("USD").presets == amounts("5")  # 0.10 is below it: not offered
    assert money.minimum_charge("MXN") == D("10.00") and money.minimum_charge("JPY") == D("50")


def test_staff_amounts_win_and_steer_other_currencies(course):
    DonationAmounts.objects.create(
        currency="JPY", suggested_1=D("1000"), suggested_2=D("3000"), suggested_3=None, minimum=D("500"), maximum=D("50000"),
    )
    jpy = selectors.donation_bounds("JPY", course=course)
    assert (jpy.presets, jpy.minimum, jpy.maximum, jpy.source) == (amounts("1000", "3000"), D("500"), D("50000"), "staff")
    DonationAmounts.objects.create(
        currency="USD", suggested_1=D("20"), suggested_2=D("50"), minimum=D("5"), maximum=D("2000"),
    )
    # A currency nobody set follows the main currency's amounts, scaled by the fees.
    idr = selectors.donation_bounds("IDR", course=course)
    assert (idr.presets, idr.minimum, idr.maximum) == (amounts("400000", "1000000"), D("100000"), D("40000000"))


# --- staff's rows -----------------------------------------------------------------------------


def row(**fields) -> DonationAmounts:
    values = {"currency": "JPY", "suggested_1": D("500"), "minimum": D("100"), "maximum": D("100000"), **fields}
    return DonationAmounts(**values)


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"currency": "XYZ"}, "currency", "We cannot take payments in XYZ"),
    ({"suggested_1": D("500.50")}, "suggested_1", "JPY has no smaller unit than 1"),
    ({"minimum": D("10")}, "minimum", "Stripe cannot take a card payment below ¥50"),
    ({"maximum": D("99999999.99"), "currency": "USD", "suggested_1": D("5"), "minimum": D("1")},
     "maximum", "Stripe cannot take a payment above $999,999.99"),
    ({"maximum": D("50")}, "maximum", "The largest donation cannot be below the smallest."),
    ({"suggested_2": D("200000")}, "suggested_2", "Suggest an amount between the smallest and the largest donation."),
])
def test_a_row_is_checked_before_it_is_saved(fields, field, message):
    with pytest.raises(ValidationError) as refused:
        row(**fields).full_clean()
    assert message in " ".join(refused.value.message_dict[field])
    ok = row(currency="jpy")
    ok.full_clean()
    assert ok.currency == "JPY"


@pytest.mark.parametrize("fields", [
    {"minimum": D("0"), "suggested_1": D("0")},
    {"maximum": D("50"), "suggested_1": D("50")},
    {"suggested_1": D("200000")},
    {"suggested_3": D("1")},
    {"currency": "jpy"},
])
def test_the_database_refuses_rows_that_make_no_sense(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        row(**fields).save()
    row().save()
    with pytest.raises(IntegrityError), transaction.atomic():
        row().save()  # one row per currency


def test_payments_staff_set_amounts_in_the_admin(client):
    client.force_login(payments_staff())
    listing = reverse("wagtailsnippets_payments_donationamounts:list")
    assert client.get(listing).status_code == 200
    form = {"currency": "jpy", "suggested_1": "500", "suggested_2": "1000", "suggested_3": "3000",
            "minimum": "100", "maximum": "100000"}
    response = client.post(reverse("wagtailsnippets_payments_donationamounts:add"), form)
    assert response.status_code == 302, response.content.decode()[-2000:]
    saved = DonationAmounts.objects.get()
    assert (saved.currency, saved.suggestions) == ("JPY", [D("500"), D("1000"), D("3000")])
    assert "¥500, ¥1,000, ¥3,000" in client.get(listing).content.decode()
    refused = client.post(reverse("wagtailsnippets_payments_donationamounts:add"), {**form, "currency": "MXN", "minimum": "1"})
    assert "Stripe cannot take a card payment below MX$10.00" in refused.content.decode()
    assert DonationAmounts.objects.count() == 1


def test_others_cannot_change_donation_amounts(client):
    client.force_login(UserFactory(is_staff=True))
    response = client.post(reverse("wagtailsnippets_payments_donationamounts:add"), {
        "currency": "USD", "suggested_1": "1", "minimum": "1", "maximum": "1"})
    assert response.status_code in (302, 403)
    assert not DonationAmounts.objects.exists()


# --- at checkout -------------------------------------------------------------------------------


def test_checkout_in_yen_offers_yen_amounts(client, course):
    client.force_login(UserFactory(preferred_currency="JPY"))
    page = client.get(checkout_url(course)).content.decode()
    for offered in ("¥500", "¥1,000", "¥2,500"):
        assert f">{offered}</label>" in page, offered
    assert "In JPY, between ¥100 and ¥100,000." in page
    assert 'step="1"' in page and 'inputmode="numeric"' in page
    assert ">$5.00</label>" not in page and ">¥5</label>" not in page


def test_checkout_in_pesos_in_spanish(client, course):
    client.force_login(UserFactory(preferred_currency="MXN"))
    page = client.get("/es" + checkout_url(course), HTTP_ACCEPT_LANGUAGE="es-MX").content.decode()
    with translation.override("es"):
        for value in ("100", "200", "500"):
            assert f">{money.display(D(value), 'MXN')}</label>" in page


def test_a_donation_in_yen_is_charged_in_yen(client, checkout_shim, course):
    client.force_login(UserFactory(preferred_currency="JPY"))
    response = client.post(checkout_url(course), checkout_form(donation="custom", custom="1500", currency="JPY"))
    assert response.status_code == 303
    order = Order.objects.get()
    assert (order.currency, order.price_amount, order.donation_amount, order.total_amount) == (
        "JPY", D("6000"), D("1500"), D("7500"))
    form = checkout_shim.sessions()[0]["form"]
    assert form["line_items[1][price_data][unit_amount]"] == ["1500"]  # whole yen, not ×100
    # A suggested amount is taken as it is offered.
    Order.objects.all().delete()
    client.post(checkout_url(course), checkout_form(donation="2500", currency="JPY"))
    assert Order.objects.get().donation_amount == D("2500")


@pytest.mark.parametrize(("donation", "custom", "message"), [
    ("custom", "5", "The smallest donation we can take is ¥100."),
    ("custom", "500.5", "JPY has no smaller unit than ¥1: enter the donation as a whole number of it."),
    ("custom", "150000", "Online we can take up to ¥100,000"),
    ("25", "", "Select a valid choice. 25 is not one of the available choices."),  # the dollar preset, forged
    ("5.00", "", "Select a valid choice."),
])
def test_a_forged_donation_in_yen_is_refused_and_nothing_is_bought(client, checkout_shim, course, donation, custom, message):
    client.force_login(UserFactory(preferred_currency="JPY"))
    response = client.post(checkout_url(course), checkout_form(donation=donation, custom=custom, currency="JPY"))
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Order.objects.exists() and not checkout_shim.sessions()


def test_the_service_checks_the_currencys_bounds_whatever_the_caller(checkout_shim, course):
    """Past the form: the services refuse amounts outside the currency's bounds too."""
    learner = UserFactory()
    with pytest.raises(services.DonationError, match="smallest donation we can take is ¥100"):
        services.order_start_checkout(user=learner, course=course, donation="5", currency="JPY")
    with pytest.raises(services.DonationError, match="whole number"):
        services.checkout_quote(course=course, donation=D("500.5"), currency="JPY")
    with pytest.raises(services.DonationError, match="smallest donation we can take"):
        services.checkout_quote(course=course, donation=D("5000"), currency="IDR")  # 20,000 IDR at least
    with pytest.raises(services.DonationError, match="whole number"):
        services.checkout_quote(course=course, donation="10.005", currency="USD")
    assert not Order.objects.exists() and not checkout_shim.sessions()
    # The same amounts are fine where they make sense.
    assert services.checkout_quote(course=course, donation="5", currency="USD").donation == D("5.00")
    assert services.checkout_quote(course=course, donation="100000", currency="IDR").total == D("700000.00")
