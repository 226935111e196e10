"""Currencies: money written the reader's way, a course's fee in several currencies, the
currency a learner sees (chosen, else their country's, else the course's main one), and
checkout, codes, scholarships and seats in it. Stripe is localstripe (or the Checkout shim
in front of it) over real HTTP."""
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from payments import currencies, money, selectors, services
from payments.demo import DEMO_FEES, ensure_demo_fees
from payments.models import CoursePrice, Order, ScholarshipApplication
from tests.factories import UserFactory, build_course

from .helpers import checkout_form, discount_code, minor, paid_course, pay_in_localstripe

pytestmark = pytest.mark.django_db


def fees(course, **amounts) -> None:
    for position, (currency, amount) in enumerate(amounts.items()):
        CoursePrice.objects.create(course=course, currency=currency, amount=Decimal(amount), sort_order=position)


@pytest.fixture
def course():
    """40.00 USD (its main fee), 37.00 EUR and 32.00 GBP."""
    course = paid_course("40.00")
    fees(course, EUR="37.00", GBP="32.00")
    return course


# --- money written the reader's way ---------------------------------------------------------


@pytest.mark.parametrize(("language", "amount", "currency", "shown"), [
    ("en", "25", "USD", "$25.00"),
    ("en", "1234.5", "EUR", "€1,234.50"),
    ("en", "32", "GBP", "£32.00"),
    ("en", "500", "JPY", "¥500"),
    ("es", "25", "USD", "25,00\xa0US$"),
    ("es", "1234.5", "EUR", "1.234,50\xa0€"),
    ("es", "500", "JPY", "500\xa0JPY"),
])
def test_display_follows_the_active_language(language, amount, currency, shown):
    with translation.override(language):
        assert money.display(Decimal(amount), currency) == shown
    assert money.display(None, currency) == "-"


def test_zero_decimal_currencies_count_whole_units():
    assert money.to_minor(Decimal("500"), "JPY") == 500 and money.to_minor(Decimal("37.00"), "EUR") == 3700
    with pytest.raises(ValueError, match="smallest unit"):
        money.to_minor(Decimal("500.50"), "JPY")


def test_amount_filter_uses_the_one_display(client):
    from payments.templatetags.payments_tags import amount, currency_name

    with translation.override("es"):
        assert amount(Decimal("40"), "USD") == "40,00\xa0US$" and currency_name("EUR") == "euros"
    assert amount(Decimal("40"), "usd") == "$40.00" and currency_name("USD") == "US dollars"


# --- which currencies, and whose --------------------------------------------------------------


@pytest.mark.parametrize(("header", "currency"), [
    ("es-MX,es;q=0.9", "MXN"), ("en-GB", "GBP"), ("es-ES", "EUR"), ("fr-CA,fr;q=0.8", "CAD"), ("en-AU", "AUD"),
    ("es", ""), ("*", ""), ("", ""), ("xx-ZZ", ""),
])
def test_country_currency_from_accept_language(header, currency):
    assert currencies.from_accept_language(header) == currency


@pytest.mark.parametrize(("code", "problem"), [
    ("EUR", None), ("eur", None), ("XYZ", "We cannot take payments in XYZ"), ("EURO", "three-letter"),
    ("", "three-letter"), ("€", "three-letter"),
])
def test_a_currency_stripe_does_not_take_is_refused(code, problem):
    found = currencies.problem(code)
    assert found is None if problem is None else problem in found


def test_one_fee_per_course_and_currency_above_zero_in_the_database(course):
    with pytest.raises(IntegrityError), transaction.atomic():
        CoursePrice.objects.create(course=course, currency="EUR", amount=Decimal("30.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        CoursePrice.objects.create(course=course, currency="CAD", amount=Decimal("0"))
    with pytest.raises(IntegrityError), transaction.atomic():
        CoursePrice.objects.create(course=course, currency="cad", amount=Decimal("50"))
    assert sorted(CoursePrice.objects.values_list("currency", flat=True)) == ["EUR", "GBP"]


@pytest.mark.parametrize(("currency", "amount", "field", "message"), [
    ("XYZ", "10", "currency", "We cannot take payments in XYZ"),
    ("dollars", "10", "currency", "three-letter"),
    ("JPY", "500.50", "amount", "JPY has no smaller unit than 1"),
])
def test_a_fee_row_is_checked_before_it_is_saved(course, currency, amount, field, message):
    row = CoursePrice(course=course, currency=currency, amount=Decimal(amount))
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert message in " ".join(refused.value.message_dict[field])
    ok = CoursePrice(course=course, currency="jpy", amount=Decimal("6000"))
    ok.full_clean()
    assert ok.currency == "JPY"


def _request(header="", user=None, session=None):
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=header)
    request.user = user or AnonymousUser()
    request.session = session if session is not None else {}
    return request


def test_the_learners_currency_chosen_else_country_else_main(course):
    fee = selectors.course_fee(course, request=_request("en-GB"))
    assert (fee.currency, fee.amount, fee.source, fee.is_fallback) == ("GBP", Decimal("32.00"), "country", False)
    assert fee.currencies == ["USD", "EUR", "GBP"]
    # A visitor's choice in the session wins over their country.
    fee = selectors.course_fee(course, request=_request("en-GB", session={selectors.SESSION_KEY: "EUR"}))
    assert (fee.currency, fee.source) == ("EUR", "chosen")
    # A signed-in learner's choice on their account wins over the session.
    learner = UserFactory(preferred_currency="GBP")
    fee = selectors.course_fee(course, request=_request("es-ES", user=learner, session={selectors.SESSION_KEY: "EUR"}))
    assert fee.currency == "GBP"
    # No fee in the learner's currency: the main one, said plainly.
    fee = selectors.course_fee(course, request=_request("es-MX"))
    assert (fee.currency, fee.amount, fee.wanted, fee.is_fallback) == ("USD", Decimal("40.00"), "MXN", True)
    assert fee.in_currency == "This course's fee is in US dollars."
    with translation.override("es"):
        assert "dólares estadounidenses" in fee.in_currency
    # Nothing says: the main currency, nothing to explain.
    fee = selectors.course_fee(course, request=_request("es"))
    assert (fee.currency, fee.is_fallback) == ("USD", False)
    # A stored currency Stripe does not take is ignored.
    fee = selectors.course_fee(course, request=_request("en-GB", session={selectors.SESSION_KEY: "XYZ"}))
    assert fee.currency == "GBP"
    assert selectors.course_fee(build_course(title="Free one"), request=_request("en-GB")) is None


def test_course_page_shows_the_visitors_currency_in_one_query(client, course):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # An English reader in Mexico (a Spanish one would be sent to the /es/ page): no fee in
    # pesos, so the main currency, said plainly.
    client.get(course.url)  # caches warmed
    with CaptureQueriesContext(connection) as main_only:
        page = client.get(course.url, HTTP_ACCEPT_LANGUAGE="en-MX").content.decode()
    assert "Course fee: <strong>$40.00</strong>" in page
    assert "This course&#x27;s fee is in US dollars." in page
    page = client.get(course.url, HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert "Course fee: <strong>£32.00</strong>" in page and "fee is in" not in page
    assert 'name="currency"' in page and '<option value="EUR">Euros (EUR)</option>' in page
    # The fee lookup costs one query, whatever the number of currencies.
    fees(course, CAD="55.00", AUD="60.00")
    with CaptureQueriesContext(connection) as more:
        client.get(course.url, HTTP_ACCEPT_LANGUAGE="en-MX")
    assert len(more) == len(main_only)
    prices = [q for q in main_only.captured_queries if "payments_courseprice" in q["sql"]]
    assert len(prices) == 1


def test_visitor_chooses_a_currency_for_the_session(client, course):
    response = client.post(reverse("payments:choose_currency"), {"currency": "eur", "next": course.url})
    assert response.status_code == 303 and response["Location"] == course.url
    assert client.session[selectors.SESSION_KEY] == "EUR"
    assert "Course fee: <strong>€37.00</strong>" in client.get(course.url, HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()


def test_signed_in_learner_chooses_a_currency_on_their_account(client, course):
    learner = UserFactory()
    client.force_login(learner)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert 'id="profile-currency"' in profile and '<option value="">My country\'s currency</option>' in profile
    client.post(reverse("payments:choose_currency"), {"currency": "GBP", "next": reverse("accounts:profile")})
    learner.refresh_from_db()
    assert learner.preferred_currency == "GBP"
    assert "Course fee: <strong>£32.00</strong>" in client.get(course.url).content.decode()
    # Back to "my country's": cleared.
    client.post(reverse("payments:choose_currency"), {"currency": "", "next": "/"})
    learner.refresh_from_db()
    assert learner.preferred_currency == ""


@pytest.mark.parametrize("bad", ["XYZ", "EURO", "<b>"])
def test_an_invalid_currency_choice_changes_nothing(client, course, bad):
    learner = UserFactory(preferred_currency="EUR")
    client.force_login(learner)
    response = client.post(reverse("payments:choose_currency"), {"currency": bad, "next": course.url}, follow=True)
    page = response.content.decode()
    assert "We cannot take payments in" in page or "three-letter currency code" in page
    learner.refresh_from_db()
    assert learner.preferred_currency == "EUR" and selectors.SESSION_KEY not in client.session


def test_choosing_a_currency_goes_back_to_this_site_only(client):
    response = client.post(reverse("payments:choose_currency"), {"currency": "EUR", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.get(reverse("payments:choose_currency")).status_code == 405


# --- paying in the learner's currency -------------------------------------------------------


def first(form, key):
    return form[key][0]


def test_checkout_in_the_learners_currency(client, checkout_shim, course):
    learner = UserFactory(preferred_currency="EUR")
    client.force_login(learner)
    page = client.get(reverse("payments:checkout", args=[course.pk])).content.decode()
    assert '<input type="hidden" name="currency" value="EUR">' in page and "€37.00" in page
    assert "€5.00" in page  # the donation presets, in the same currency

    response = client.post(reverse("payments:checkout", args=[course.pk]), checkout_form(donation="5.00", currency="EUR"))
    assert response.status_code == 303
    order = Order.objects.get()
    assert (order.currency, order.price_amount, order.donation_amount, order.total_amount) == (
        "EUR", Decimal("37.00"), Decimal("5.00"), Decimal("42.00"))
    [session] = checkout_shim.sessions()
    assert first(session["form"], "line_items[0][price_data][currency]") == "eur"
    assert first(session["form"], "line_items[0][price_data][unit_amount]") == "3700"


@pytest.mark.parametrize(("forged", "message"), [
    ("XYZ", "We cannot take payments in XYZ"),
    ("JPY", "This course has no fee in JPY: choose one of USD, EUR, GBP."),
    ("E", "three-letter currency code"),
])
def test_a_forged_currency_is_refused_and_nothing_is_bought(client, checkout_shim, course, forged, message):
    client.force_login(UserFactory())
    response = client.post(
        reverse("payments:checkout", args=[course.pk]),
        checkout_form(currency=forged, amount="0.01", price_amount="0.01", total_amount="0.01"),
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not Order.objects.exists() and not checkout_shim.sessions()
    # The same in a link: the page says so and shows the learner's own fee.
    page = client.get(reverse("payments:checkout", args=[course.pk]) + f"?currency={forged}").content.decode()
    assert message in page and "$40.00" in page


def test_amount_is_read_again_from_the_database(checkout_shim, course):
    """A fee changed between the page and the payment: the order has the new one."""
    learner = UserFactory()
    CoursePrice.objects.filter(course=course, currency="GBP").update(amount=Decimal("35.00"))
    start = services.order_start_checkout(user=learner, course=course, currency="GBP")
    assert (start.order.currency, start.order.total_amount) == ("GBP", Decimal("35.00"))
    with pytest.raises(services.CurrencyError, match="no fee in CAD"):
        services.order_start_checkout(user=UserFactory(), course=course, currency="CAD")


def test_fixed_codes_apply_in_their_own_currency_only(course):
    discount_code("TENEURO", kind="fixed", value="10", currency="EUR")
    quote = services.checkout_quote(course=course, code_text="teneuro", currency="EUR")
    assert (quote.currency, quote.price, quote.discount, quote.total) == ("EUR", Decimal("37.00"), Decimal("10.00"), Decimal("27.00"))
    with pytest.raises(services.CodeError, match="The code “TENEURO” is for fees in EUR; this course's fee is in USD."):
        services.checkout_quote(course=course, code_text="TENEURO", currency="USD")
    # A percentage applies in any currency.
    discount_code("HALF", value="50")
    assert services.checkout_quote(course=course, code_text="HALF", currency="GBP").total == Decimal("16.00")


def test_a_fixed_code_refused_on_the_page_says_so(client, checkout_shim, course):
    discount_code("TENEURO", kind="fixed", value="10", currency="EUR")
    client.force_login(UserFactory())
    response = client.post(reverse("payments:checkout", args=[course.pk]), checkout_form(code="TENEURO", currency="USD"))
    assert "is for fees in EUR; this course&#x27;s fee is in USD." in response.content.decode()
    assert not Order.objects.exists()


def test_scholarship_application_in_the_learners_currency(client, course):
    learner = UserFactory(preferred_currency="GBP")
    client.force_login(learner)
    url = reverse("payments:scholarship_apply", args=[course.pk])
    assert "the fee is £32.00" in client.get(url).content.decode()
    reason = "I co-lead a weekly meeting and would like to train as its facilitator this year."
    client.post(url, {"reason": reason, "can_pay": "10", "currency": "GBP"})
    app = ScholarshipApplication.objects.get()
    assert (app.currency, app.fee, app.can_pay) == ("GBP", Decimal("32.00"), Decimal("10.00"))
    with pytest.raises(services.CurrencyError):
        services.scholarship_apply(user=UserFactory(), course=course, reason=reason, can_pay=Decimal("1"), currency="JPY")


def test_seats_in_the_chosen_currency(checkout_shim, course):
    manager = UserFactory()
    order = services.seat_order_create(user=manager, email=manager.email, course=course, quantity=3, currency="EUR")
    assert (order.currency, order.price_amount, order.unit_amount) == ("EUR", Decimal("111.00"), Decimal("37.00"))
    with pytest.raises(services.CurrencyError, match="no fee in AUD"):
        services.seat_order_create(user=manager, email=manager.email, course=course, quantity=3, currency="AUD")


def test_revenue_keeps_one_courses_currencies_apart(course):
    from django.utils import timezone

    for currency, amount in (("USD", "40.00"), ("EUR", "37.00"), ("EUR", "37.00")):
        Order.objects.create(
            user=UserFactory(), email="x@example.org", course=course, course_title=course.title, currency=currency,
            price_amount=Decimal(amount), total_amount=Decimal(amount), amount_paid=Decimal(amount),
            status=Order.Status.PAID, paid_at=timezone.now(),
        )
    rows = {r.currency: r for r in selectors.revenue(course_id=course.pk)}
    assert (rows["USD"].orders, rows["USD"].fees) == (1, Decimal("40.00"))
    assert (rows["EUR"].orders, rows["EUR"].fees) == (2, Decimal("74.00"))
    totals = {t["currency"]: t["fees"] for t in selectors.revenue_totals(list(rows.values()))}
    assert totals == {"USD": Decimal("40.00"), "EUR": Decimal("74.00")}


def test_demo_course_has_fees_in_five_currencies():
    course = paid_course("40.00")
    assert ensure_demo_fees(course) == 4 and ensure_demo_fees(course) == 0
    assert set(selectors.course_fees(course)) == {"USD", *DEMO_FEES} == {"USD", "GBP", "EUR", "CAD", "AUD"}
    fee = selectors.course_fee(course, request=_request("es-ES,es;q=0.9"))
    assert (fee.currency, fee.display) == ("EUR", "€37.00")


def test_paid_and_refunded_in_euros_through_localstripe(
    client, checkout_shim, stripe_api, course, django_capture_on_commit_callbacks
):
    learner = UserFactory(preferred_currency="EUR")
    client.force_login(learner)
    client.post(reverse("payments:checkout", args=[course.pk]), checkout_form(currency="EUR"))
    order = Order.objects.get()
    intent = pay_in_localstripe(stripe_api, order)
    assert (intent.amount, intent.currency) == (3700, "eur")
    Order.objects.filter(pk=order.pk).update(stripe_payment_intent_id=intent.id)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("payments:order_return", args=[order.pk]) + "?session_id=cs_x")
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.amount_paid, order.currency) == (Order.Status.PAID, Decimal("37.00"), "EUR")
    [receipt] = [m for m in mail.outbox if order.reference in m.subject]
    assert "€37.00" in receipt.body
    assert "€37.00" in client.get(reverse("payments:receipt", args=[order.pk])).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        refund = services.order_refund(order_id=order.pk, amount=Decimal("7.00"), by=None)
    assert (refund.currency, refund.amount, refund.status) == ("EUR", Decimal("7.00"), "succeeded")
    order.refresh_from_db()
    assert (order.status, order.amount_refunded) == (Order.Status.PARTIALLY_REFUNDED, Decimal("7.00"))
    assert minor(order) == 3700


def test_a_payment_in_another_currency_than_the_order_is_caught(checkout_shim, course):
    order = services.order_start_checkout(user=UserFactory(), course=course, currency="GBP").order
    outcome = services.order_fulfil(order_id=order.pk, paid_amount=3200, currency="usd", payment_intent_id="pi_wrong")
    order.refresh_from_db()
    assert order.status != Order.Status.PAID and Order.Flag.AMOUNT_MISMATCH in order.flags, outcome


def test_the_course_editor_checks_fees_in_other_currencies(course):
    """The inline on the course page in the admin: a currency Stripe does not take, a
    second fee in the same currency and a fee of zero are refused with a message."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    from courses.models import CoursePage

    page = CoursePage.objects.get(pk=course.pk)
    form_class = CoursePage.get_edit_handler().get_form_class()

    def form(*rows):
        data = nested_form_data({
            "title": page.title, "slug": page.slug, "summary": page.summary, "audience": "",
            "learning_outcomes": streamfield([]), "description": rich_text(""), "estimated_hours": "2",
            "price_amount": "40.00", "price_currency": "USD",
            "prices": inline_formset([{"currency": c, "amount": a} for c, a in rows]),
            "comments": inline_formset([]),
        })
        return form_class(data, instance=page, for_user=UserFactory(is_superuser=True))

    ok = form(("eur", "37.00"), ("GBP", "32.00"))
    assert ok.is_valid(), ok.errors
    refused = form(("XYZ", "10.00"), ("EUR", "0"))
    assert not refused.is_valid()
    errors = " ".join(str(e) for e in refused.formsets["prices"].errors)
    assert "We cannot take payments in XYZ" in errors and "greater than or equal to 0.01" in errors
    twice = form(("EUR", "37.00"), ("EUR", "30.00"))
    assert not twice.is_valid()
    assert "duplicate data for course and currency" in str(twice.formsets["prices"].non_form_errors())


@pytest.mark.parametrize(("code", "message"), [("XYZ", "We cannot take payments in XYZ"), ("US", "three-letter")])
def test_a_courses_main_currency_is_one_stripe_takes(course, code, message):
    course.price_currency = code
    with pytest.raises(ValidationError) as refused:
        course.full_clean()
    assert message in " ".join(refused.value.message_dict["price_currency"])
    course.price_currency = "eur"
    course.full_clean()
    assert course.price_currency == "EUR"
