"""Paying for a course, in a real browser: the checkout page, a 100% scholarship code,
the scholarship application, and a card payment through the success URL.

A learner opens a paid course ($40.00), clicks "Pay and enrol" and sees the checkout
page: the fee, the donation choices and the code field. A wrong code gives an error tied
to the field; a 100% scholarship code enrols at once without Stripe and leaves a paid
zero-amount order, listed on "Your orders" with a receipt. The scholarship application
(linked from the checkout page) shows its errors beside the fields. axe-core (WCAG 2.2
AA) runs on each of those states, and the checkout page is checked at a phone width too.

Stripe is emulated as in ``tests/payments``: localstripe on loopback, and the Checkout
shim that answers Checkout Session creation. The hosted Stripe page itself is external,
so the browser's visit to it is answered by a stub; the payment is then made in
localstripe and the learner comes back through the success URL.

Runs against ``live_server`` (transactional database; see test_learner_journey.py).
"""
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from courses.models import Enrollment
from payments.models import Order, ScholarshipApplication
from tests.factories import UserFactory, build_course
from tests.marks import BROWSER
from tests.payments.conftest import checkout_shim, localstripe, stripe_api  # noqa: F401  (fixtures)
from tests.payments.helpers import discount_code, minor

from .helpers import assert_page_healthy, check_axe, check_on_phone, screenshot, sign_in

pytestmark = BROWSER

TITLE = "Listening Circles"
CHECKOUT_PATH = re.compile(r"/pay/courses/\d+/checkout/$")
SCHOLARSHIP_PATH = re.compile(r"/pay/courses/\d+/scholarship/$")
STRIPE_PAGE = re.compile(r"^https://checkout\.stripe\.com/c/pay/cs_test_")


@pytest.fixture
def course():
    return build_course(title=TITLE, price=Decimal("40.00"), modules=1, lessons_per_module=2)


@pytest.fixture
def learner():
    return UserFactory(email="amara@example.org", certificate_name="Amara Ñúñez")


def open_checkout(page, course, learner):
    """Sign in, open the course page and click "Pay and enrol"."""
    sign_in(page, learner.email, next_url=course.url)
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Course fee: $40.00")
    page.get_by_role("link", name="Pay and enrol").click()
    expect(page).to_have_url(CHECKOUT_PATH)
    expect(page.get_by_role("heading", level=1, name=f"Enrol in {TITLE}")).to_be_visible()


def field_described_by(page, field) -> str:
    """The text of the elements the field's aria-describedby points at."""
    return field.evaluate(
        """el => (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean)
              .map(id => document.getElementById(id)?.textContent || '').join(' ')"""
    )


def test_full_scholarship_code_enrols_without_stripe(page, live_server, stripe_api, course, learner):
    discount_code("SCH-AMRA-2026", value="100", max_uses=1, is_scholarship=True, courses=[course])
    open_checkout(page, course, learner)
    main = page.get_by_role("main")

    # The fee, the donation choices and the code field; online payment is set up.
    summary = main.get_by_role("table")
    expect(summary.get_by_role("row", name=re.compile("Course fee"))).to_contain_text("$40.00")
    expect(summary.get_by_role("row", name=re.compile("Total"))).to_contain_text("$40.00")
    donation = main.get_by_role("group", name=re.compile("Add a donation"))
    for choice in ("No donation this time", "$5.00", "$10.00", "$25.00", "Another amount"):
        expect(donation.get_by_role("radio", name=choice, exact=True)).to_be_visible()
    expect(donation.get_by_role("radio", name="No donation this time")).to_be_checked()
    code_field = main.get_by_role("textbox", name="Discount or scholarship code")
    expect(code_field).to_be_visible()
    expect(main).not_to_contain_text("Online payment is not set up")
    expect(main.get_by_role("button", name="Continue to payment")).to_be_visible()
    check_axe(page, "checkout page")
    screenshot(page, "payment-checkout")

    # At a phone's width: nothing scrolls sideways, and axe agrees there too.
    check_on_phone(page, "the checkout page on a phone", "payment-checkout-phone")

    # A code that does not exist: a clear error, tied to the field.
    code_field.fill("NOT-A-REAL-CODE")
    main.get_by_role("button", name="Apply and update the total").click()
    expect(page).to_have_url(CHECKOUT_PATH)
    code_field = main.get_by_role("textbox", name="Discount or scholarship code")
    expect(code_field).to_have_attribute("aria-invalid", "true")
    expect(code_field).to_have_value("NOT-A-REAL-CODE")
    error = main.locator(".field-errors")
    expect(error).to_be_visible()
    error_text = error.inner_text().strip()
    assert error_text, "the error for the wrong code is empty"
    assert error_text in field_described_by(page, code_field), "the code's error is not tied to the field"
    expect(summary.get_by_role("row", name=re.compile("Total"))).to_contain_text("$40.00")
    check_axe(page, "checkout page with a wrong code")
    screenshot(page, "payment-checkout-bad-code")
    assert not Order.objects.exists()

    # The scholarship code (any case): the total drops to zero, and the button says so.
    code_field.fill("sch-amra-2026")
    main.get_by_role("button", name="Apply and update the total").click()
    expect(main.get_by_role("status")).to_contain_text("Updated: the total above includes your choices")
    expect(code_field).not_to_have_attribute("aria-invalid", "true")
    expect(summary.get_by_role("row", name=re.compile("Code SCH-AMRA-2026"))).to_contain_text("$40.00")
    expect(summary.get_by_role("row", name=re.compile("Total"))).to_contain_text("$0.00")
    check_axe(page, "checkout page with the code applied")

    main.get_by_role("button", name="Enrol with this code").click()
    expect(page).not_to_have_url(CHECKOUT_PATH)
    expect(page.locator(".messages")).to_contain_text(
        f"Your code covers the whole fee: you are enrolled in {TITLE}"
    )
    enrollment = Enrollment.objects.get(user=learner, course=course)
    assert enrollment.status == "active"
    order = Order.objects.get(user=learner)
    assert (order.status, order.total_amount, order.discount_amount) == (
        Order.Status.PAID, Decimal("0.00"), Decimal("40.00"),
    )

    # The course page now links the receipt; "Your orders" lists the order.
    page.goto(course.url)
    expect(page.get_by_role("link", name=f"Your receipt ({order.reference})")).to_be_visible()
    expect(page.get_by_role("link", name="Pay and enrol")).to_have_count(0)
    page.goto("/pay/orders/")
    expect(page.get_by_role("heading", level=1, name="Your orders")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=order.reference)
    expect(row).to_contain_text(TITLE)
    expect(row).to_contain_text("$0.00")
    check_axe(page, "Your orders")
    check_on_phone(page, "Your orders on a phone", "payment-orders-phone", axe=False)
    row.get_by_role("link", name=re.compile("Receipt")).click()

    # The receipt: zero charged, the code named.
    expect(page.get_by_role("heading", level=1, name=f"Receipt {order.reference}")).to_be_visible()
    receipt = page.get_by_role("main")
    expect(receipt.get_by_role("row", name=re.compile("Discount"))).to_contain_text("$40.00")
    expect(receipt.get_by_role("row", name=re.compile("Total paid"))).to_contain_text("$0.00")
    expect(receipt).to_contain_text("The whole fee was covered by code SCH-AMRA-2026: nothing was charged.")
    check_axe(page, "receipt (zero amount)")
    check_on_phone(page, "the receipt on a phone", "payment-receipt-phone", axe=False)
    assert_page_healthy(page)


def test_scholarship_application_from_the_checkout_page(page, live_server, stripe_api, course, learner):
    open_checkout(page, course, learner)
    page.get_by_role("link", name="Can't afford the fee? Apply for a scholarship").click()
    expect(page).to_have_url(SCHOLARSHIP_PATH)
    expect(page.get_by_role("heading", level=1, name="Apply for a scholarship")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text(f"{TITLE}: the fee is $40.00.")
    reason = main.get_by_role("textbox", name="Why are you applying?")
    can_pay = main.get_by_role("spinbutton", name="What can you pay?")
    expect(reason).to_be_visible()
    expect(can_pay).to_have_value("0")
    check_axe(page, "scholarship application")
    screenshot(page, "payment-scholarship")

    # Too short a reason and more than the fee: both errors, each tied to its field.
    reason.fill("Money is tight.")
    can_pay.fill("90")
    main.get_by_role("button", name="Send my application").click()
    expect(page).to_have_url(SCHOLARSHIP_PATH)
    for field in (reason, can_pay):
        expect(field).to_have_attribute("aria-invalid", "true")
        described = field_described_by(page, field)
        errors = field.locator("xpath=..").locator(".field-errors").inner_text().strip()
        assert errors and errors in described, f"the error {errors!r} is not tied to its field ({described!r})"
    expect(reason).to_have_value("Money is tight.")
    check_axe(page, "scholarship application with errors")
    check_on_phone(page, "the scholarship application with errors on a phone", "payment-scholarship-errors-phone",
                   axe=False)
    assert not ScholarshipApplication.objects.exists()

    # Put right: the application is sent, and the page says it is waiting for a decision.
    reason.fill("I volunteer at two meetings a week and my only income is a small pension.")
    can_pay.fill("10")
    main.get_by_role("button", name="Send my application").click()
    expect(page.locator(".messages")).to_contain_text("Thank you: your application is sent.")
    expect(main.get_by_role("status").filter(has_text="We have your application")).to_be_visible()
    application = ScholarshipApplication.objects.get(user=learner)
    assert application.can_pay == Decimal("10.00")
    check_axe(page, "scholarship application sent")
    assert_page_healthy(page)


def test_card_payment_through_the_success_url(page, live_server, checkout_shim, stripe_api, settings, course,
                                              learner):
    """Checkout starts (the shim answers as Stripe would), the browser is sent to the
    hosted page (a stub here), the payment is made in localstripe, and the success URL
    brings the learner into the course with a receipt."""
    settings.WAGTAILADMIN_BASE_URL = live_server.url  # the site's address, for Stripe's return URLs
    page.route(STRIPE_PAGE, lambda route: route.fulfill(
        status=200, content_type="text/html",
        body="<!doctype html><html lang='en'><title>Stripe Checkout (stub)</title><h1>Stripe Checkout</h1></html>",
    ))
    open_checkout(page, course, learner)
    main = page.get_by_role("main")
    main.get_by_role("radio", name="$10.00", exact=True).check()
    main.get_by_role("button", name="Continue to payment").click()
    expect(page).to_have_url(STRIPE_PAGE)

    order = Order.objects.get(user=learner)
    assert (order.status, order.total_amount, order.donation_amount) == (
        Order.Status.PENDING, Decimal("50.00"), Decimal("10.00"),
    )
    [session] = checkout_shim.sessions_by_id.values()
    assert session["amount_total"] == minor(order) == 5000
    assert page.url == session["url"]

    # Back from Stripe before paying (or before Stripe has confirmed): the waiting page.
    success_url = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"])
    assert success_url.startswith(live_server.url)
    page.goto(success_url)
    expect(page.get_by_role("heading", level=1, name=f"Your payment for {TITLE}")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("We are confirming your payment")
    check_axe(page, "payment waiting page")
    # It checks again by itself, but the learner can stop that (no <meta> refresh).
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    expect(page.get_by_role("link", name="Check again now")).to_be_visible()
    page.get_by_role("button", name="Stop checking automatically").click()
    expect(page.get_by_role("status")).to_contain_text("Automatic checking is off")
    expect(page.get_by_role("button", name="Stop checking automatically")).to_be_hidden()
    expect(page.get_by_role("link", name="Check again now")).to_be_focused()
    screenshot(page, "payment-waiting")
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING

    # Pay as Stripe's Checkout would: the order's PaymentIntent, in localstripe.
    intent = stripe_api.client.v1.payment_intents.create(params={
        "amount": minor(order), "currency": order.currency.lower(), "payment_method": "pm_card_visa",
        "confirm": True, "metadata": {"order_id": str(order.pk), "course_id": str(order.course_id)},
    })
    # Stripe's Checkout would have told us the PaymentIntent; localstripe has no sessions.
    # (And forget the last check, so that the success page asks Stripe again at once.)
    Order.objects.filter(pk=order.pk).update(stripe_payment_intent_id=intent.id, last_checked_at=None)
    page.goto(success_url)

    expect(page.locator(".messages")).to_contain_text(
        f"Thank you: your payment is received and you are enrolled in {TITLE}"
    )
    order.refresh_from_db()
    assert (order.status, order.amount_paid) == (Order.Status.PAID, Decimal("50.00"))
    assert Enrollment.objects.get(user=learner, course=course).source == Enrollment.Source.PAID

    page.goto(f"/pay/orders/{order.pk}/receipt/")
    receipt = page.get_by_role("main")
    expect(receipt.get_by_role("row", name=re.compile("Donation"))).to_contain_text("$10.00")
    expect(receipt.get_by_role("row", name=re.compile("Total paid"))).to_contain_text("$50.00")
    expect(receipt).to_contain_text(intent.id)
    expect(receipt.get_by_role("button", name="Print this receipt")).to_be_visible()
    check_axe(page, "receipt (card payment with a donation)")
    assert_page_healthy(page)
