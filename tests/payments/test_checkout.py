"""Checkout: the order is made on the server, the Checkout Session request has Stripe's
shape (captured by the shim), codes and donations are checked with clear errors, a 100%
code enrols without Stripe, and nothing the browser sends changes an amount."""
import re
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils.http import urlencode

from courses.models import Enrollment
from payments import services
from payments.models import DiscountCode, Order
from tests.factories import UserFactory, build_course, lessons_of

from .conftest import API_KEY
from .helpers import checkout_form, discount_code, paid_course, pending_order

pytestmark = pytest.mark.django_db


def checkout_url(course):
    return reverse("payments:checkout", args=[course.id])


def first(form, key):
    return form[key][0]


def test_session_request_has_stripes_shape(client, checkout_shim, django_capture_on_commit_callbacks):
    course = paid_course("40.00")
    user = UserFactory()
    client.force_login(user)

    response = client.post(checkout_url(course), checkout_form(donation="10.00"))

    order = Order.objects.get()
    assert response.status_code == 303
    assert response["Location"] == order.stripe_checkout_url
    assert response["Location"].startswith("https://checkout.stripe.com/c/pay/cs_test_")
    [request] = checkout_shim.sessions()
    assert request["method"] == "POST" and request["path"] == "/v1/checkout/sessions"
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["idempotency-key"] == f"order-{order.pk}-checkout-v1"
    assert headers["authorization"] == f"Bearer {API_KEY}"
    assert headers["content-type"].startswith("application/x-www-form-urlencoded")
    form = request["form"]
    assert first(form, "mode") == "payment"
    assert first(form, "customer_email") == user.email
    assert first(form, "client_reference_id") == str(order.pk)
    assert first(form, "metadata[order_id]") == str(order.pk)
    assert first(form, "payment_intent_data[metadata][order_id]") == str(order.pk)
    # The fee and the donation are separate line items, amounts in cents, from the server.
    assert first(form, "line_items[0][price_data][currency]") == "usd"
    assert first(form, "line_items[0][price_data][unit_amount]") == "4000"
    assert first(form, "line_items[0][price_data][product_data][name]") == course.title
    assert first(form, "line_items[0][quantity]") == "1"
    assert first(form, "line_items[1][price_data][unit_amount]") == "1000"
    assert first(form, "line_items[1][price_data][product_data][name]").startswith("Donation to ")
    assert "line_items[2][quantity]" not in form
    success = first(form, "success_url")
    assert success.endswith(f"/pay/orders/{order.pk}/return/?session_id={{CHECKOUT_SESSION_ID}}")
    assert first(form, "cancel_url").endswith(f"/pay/orders/{order.pk}/cancelled/")
    assert int(first(form, "expires_at")) == int((order.created_at + timedelta(minutes=60)).timestamp())

    assert (order.status, order.user, order.course_id) == (Order.Status.PENDING, user, course.id)
    assert (order.price_amount, order.donation_amount, order.total_amount) == (
        Decimal("40.00"), Decimal("10.00"), Decimal("50.00"),
    )
    assert order.stripe_checkout_session_id.startswith("cs_test_")
    assert not Enrollment.objects.exists()


def test_amounts_from_the_browser_are_ignored(client, checkout_shim):
    course = paid_course("40.00")
    client.force_login(UserFactory())
    tampered = checkout_form(
        amount="1", total_amount="0.01", price_amount="0", unit_amount="1", discount_amount="40",
        **{"line_items[0][price_data][unit_amount]": "1"},
    )
    # A currency the course has no fee in is refused outright (test_currencies.py).
    refused = client.post(checkout_url(course), {**tampered, "currency": "jpy"})
    assert refused.status_code == 200 and "This course has no fee in JPY" in refused.content.decode()
    assert not Order.objects.exists()
    response = client.post(checkout_url(course), tampered)
    assert response.status_code == 303
    order = Order.objects.get()
    assert (order.total_amount, order.currency, order.discount_amount) == (Decimal("40.00"), "USD", Decimal("0"))
    form = checkout_shim.sessions()[0]["form"]
    assert first(form, "line_items[0][price_data][unit_amount]") == "4000"
    assert first(form, "line_items[0][price_data][currency]") == "usd"


def test_a_second_click_reuses_the_order_and_its_session(client, checkout_shim):
    course = paid_course("40.00")
    client.force_login(UserFactory())
    one = client.post(checkout_url(course), checkout_form())
    two = client.post(checkout_url(course), checkout_form())
    assert one["Location"] == two["Location"]
    assert Order.objects.count() == 1
    assert len(checkout_shim.sessions()) == 1


def test_a_different_choice_makes_a_new_order_and_closes_the_old_checkout(client, checkout_shim):
    course = paid_course("40.00")
    code = discount_code("HALF", max_uses=1)
    client.force_login(UserFactory())
    client.post(checkout_url(course), checkout_form(code="half"))
    first_order = Order.objects.get()
    assert DiscountCode.objects.get().uses == 1
    client.post(checkout_url(course), checkout_form(donation="5.00"))
    assert Order.objects.count() == 2
    keys = [r["headers"]["Idempotency-Key"] for r in checkout_shim.sessions()]
    assert len(set(keys)) == 2
    # The earlier session is closed at Stripe, so it cannot be paid too; its code use is freed.
    expire = [r for r in checkout_shim.requests if r["path"].endswith("/expire")]
    assert [r["path"] for r in expire] == [f"/v1/checkout/sessions/{first_order.stripe_checkout_session_id}/expire"]
    first_order.refresh_from_db()
    code.refresh_from_db()
    assert (first_order.status, code.uses) == (Order.Status.EXPIRED, 0)


def test_stripe_down_shows_an_error_and_frees_the_code(client, checkout_shim):
    course = paid_course("40.00")
    code = discount_code("HALF", max_uses=1)
    checkout_shim.fail_with = 500
    client.force_login(UserFactory())
    response = client.post(checkout_url(course), checkout_form(code="half"))
    assert response.status_code == 200
    assert "could not reach our card payment provider" in response.content.decode()
    order = Order.objects.get()
    assert order.status == Order.Status.FAILED
    code.refresh_from_db()
    assert code.uses == 0
    assert not Enrollment.objects.exists()


def test_page_shows_fee_donations_and_code_field(client, stripe_api):
    course = paid_course("40.00")
    client.force_login(UserFactory())
    page = client.get(checkout_url(course)).content.decode()
    assert "$40.00" in page
    assert 'name="discount_code"' in page
    for preset in ("$5.00", "$10.00", "$25.00", "Another amount"):
        assert preset in page
    assert "Online payment is not set up" not in page


def test_without_stripe_the_page_says_so_and_nothing_breaks(client, settings):
    settings.STRIPE_SECRET_KEY = ""
    course = paid_course("40.00")
    client.force_login(UserFactory())
    page = client.get(checkout_url(course))
    assert page.status_code == 200
    assert "Online payment is not set up" in page.content.decode()
    response = client.post(checkout_url(course), checkout_form())
    assert response.status_code == 200
    assert "not set up on this site" in response.content.decode()
    assert not Order.objects.exists()


@pytest.mark.parametrize("code", ["", "HALF"])
def test_without_stripe_the_explanation_is_shown_once(client, settings, code):
    """Without a code covering the whole fee, the page's note already says why and what to
    do: the form's error points to it instead of repeating the paragraph."""
    settings.STRIPE_SECRET_KEY = ""
    course = paid_course("40.00")
    discount_code("HALF", value="50")
    client.force_login(UserFactory())
    response = client.post(checkout_url(course), checkout_form(code=code))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(str(services.NOT_SET_UP)) == 1  # a lazy translation: the current language's text
    assert page.count("we can take payment another way") == 1
    errors = _form_errors(response)
    assert "only a code that covers the whole fee can enrol you" in errors
    assert not Order.objects.exists()


def _form_errors(response) -> str:
    return re.search(r'<div class="form-errors" role="alert">(.*?)</div>', response.content.decode(), re.S).group(1)


@pytest.fixture
def full_code_without_stripe(client, settings):
    """No online payment, a course with a fee, a code covering all of it ("FREE100") and a
    signed-in learner: (course, learner)."""
    settings.STRIPE_SECRET_KEY = ""
    course = paid_course("40.00")
    discount_code("FREE100", value="100")
    user = UserFactory()
    client.force_login(user)
    return course, user


def test_without_stripe_a_full_code_with_a_donation_is_told_to_drop_the_donation(client, full_code_without_stripe):
    """The code is fine: it is the donation that needs online payment."""
    course, user = full_code_without_stripe
    response = client.post(checkout_url(course), checkout_form(code="free100", donation="5.00"))
    assert response.status_code == 200
    errors = _form_errors(response)
    assert "Your code covers the whole fee, but a donation can only be paid online" in errors
    assert "only a code that covers the whole fee" not in errors
    assert not Order.objects.exists() and not Enrollment.objects.filter(user=user).exists()
    enrolled = client.post(checkout_url(course), checkout_form(code="free100", donation="0"))
    assert enrolled.status_code == 302 and Enrollment.objects.filter(user=user).exists()


def test_without_stripe_a_full_code_still_enrols(client, full_code_without_stripe):
    course, user = full_code_without_stripe
    response = client.post(checkout_url(course), checkout_form(code="free100"))
    assert response.status_code == 302
    assert Enrollment.objects.get(user=user).source == Enrollment.Source.WAIVER


def test_full_code_enrols_at_once_without_stripe(client, checkout_shim, django_capture_on_commit_callbacks):
    course = paid_course("40.00")
    code = discount_code("SCH-AAAA-BBBB", value="100", max_uses=1, is_scholarship=True)
    user = UserFactory()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(checkout_url(course), checkout_form(code=" sch-aaaa-bbbb "))
    assert response.status_code == 302
    assert checkout_shim.requests == []  # Stripe was not asked anything
    order = Order.objects.get()
    assert (order.status, order.total_amount, order.amount_paid) == (Order.Status.PAID, Decimal("0"), Decimal("0"))
    assert (order.discount_code, order.discount_amount) == (code, Decimal("40.00"))
    enrollment = Enrollment.objects.get(user=user, course=course)
    assert (enrollment.source, enrollment.status) == (Enrollment.Source.WAIVER, Enrollment.Status.ACTIVE)
    assert order.enrollment == enrollment
    code.refresh_from_db()
    assert code.uses == 1
    [receipt] = mail.outbox
    assert "Nothing was charged" in receipt.body


def test_apply_shows_the_discounted_total(client, stripe_api):
    course = paid_course("40.00")
    discount_code("HALF", value="50")
    client.force_login(UserFactory())
    response = client.post(checkout_url(course), checkout_form(code="half", donation="5.00", action="apply"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "−$20.00" in page and "$25.00" in page
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    "setup, typed, message",
    [
        (lambda course: None, "NOPE", "We do not recognise the code “NOPE”"),
        (lambda course: discount_code("OLD", expires_in=timedelta(days=-1)), "old", "The code “OLD” expired on"),
        (lambda course: discount_code("ONCE", max_uses=1, uses=1), "once", "has already been used. Each scholarship code works once"),
        (lambda course: discount_code("TWICE", max_uses=2, uses=2), "twice", "has already been used as many times as it allows"),
        (lambda course: discount_code("OFF", active=False), "off", "is no longer active"),
        (lambda course: discount_code("OTHER", courses=[build_course(title="Other course", price=Decimal("10"))]),
         "other", "The code “OTHER” is not valid for this course."),
        (lambda course: discount_code("EUROS", kind="fixed", value="10", currency="EUR"), "euros", "is for fees in EUR"),
    ],
    ids=["unknown", "expired", "single-use-used", "used-up", "inactive", "other-course", "other-currency"],
)
def test_code_problems_are_clear_form_errors(client, checkout_shim, setup, typed, message):
    course = paid_course("40.00")
    setup(course)
    client.force_login(UserFactory())
    for action in ("apply", "pay"):
        response = client.post(checkout_url(course), checkout_form(code=typed, action=action))
        assert response.status_code == 200
        assert message in response.content.decode()
        assert 'aria-invalid="true"' in response.content.decode()
    assert not Order.objects.exists()
    assert checkout_shim.sessions() == []


@pytest.mark.parametrize(
    "custom, message",
    [("5000", "Online we can take up to $1,000.00"), ("-3", "Ensure this value is greater than or equal to 0"),
     ("0.5", "The smallest donation we can take is $1.00"), ("", "Enter the amount you would like to give")],
)
def test_custom_donation_bounds(client, checkout_shim, custom, message):
    course = paid_course("40.00")
    client.force_login(UserFactory())
    response = client.post(checkout_url(course), checkout_form(donation="custom", custom=custom))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Order.objects.exists()


def test_custom_donation_is_a_separate_line(client, checkout_shim):
    course = paid_course("40.00")
    client.force_login(UserFactory())
    client.post(checkout_url(course), checkout_form(donation="custom", custom="12.50"))
    order = Order.objects.get()
    assert (order.donation_amount, order.total_amount) == (Decimal("12.50"), Decimal("52.50"))
    assert first(checkout_shim.sessions()[0]["form"], "line_items[1][price_data][unit_amount]") == "1250"


def test_fixed_code_and_tiny_totals(client, checkout_shim):
    course = paid_course("40.00")
    discount_code("TENOFF", kind="fixed", value="10", currency="usd")
    discount_code("ALMOST", kind="fixed", value="39.80", currency="USD")
    client.force_login(UserFactory())
    client.post(checkout_url(course), checkout_form(code="tenoff"))
    order = Order.objects.get()
    assert (order.discount_amount, order.total_amount, order.discount_code_text) == (Decimal("10.00"), Decimal("30.00"), "TENOFF")
    form = checkout_shim.sessions()[0]["form"]
    assert first(form, "line_items[0][price_data][unit_amount]") == "3000"
    response = client.post(checkout_url(course), checkout_form(code="almost"))
    assert "below the smallest card payment" in response.content.decode()


def test_zero_decimal_currency(client, checkout_shim):
    course = paid_course("5000", currency="JPY")
    client.force_login(UserFactory())
    client.post(checkout_url(course), checkout_form())
    form = checkout_shim.sessions()[0]["form"]
    assert first(form, "line_items[0][price_data][unit_amount]") == "5000"
    assert first(form, "line_items[0][price_data][currency]") == "jpy"


def test_free_courses_and_learners_with_a_place_skip_checkout(client, stripe_api):
    free = build_course(title="Free course")
    course = paid_course("40.00")
    user = UserFactory()
    client.force_login(user)
    assert client.get(checkout_url(free))["Location"] == free.url
    Enrollment.objects.create(user=user, course=course, source=Enrollment.Source.PAID)
    response = client.get(checkout_url(course), follow=True)
    assert "You already have a place on this course." in response.content.decode()
    assert client.post(checkout_url(course), checkout_form()).status_code == 302
    assert not Order.objects.exists()


def test_visitors_sign_in_first(client):
    course = paid_course("40.00")
    response = client.get(checkout_url(course))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    response = client.post(reverse("courses:enrol", args=[course.id]))
    # Back to checkout after signing in.
    assert response["Location"] == f"{reverse('account_login')}?{urlencode({'next': checkout_url(course)})}"


def test_course_page_and_enrol_button_lead_to_checkout(client, stripe_api):
    course = paid_course("40.00")
    client.force_login(UserFactory())
    page = client.get(course.url).content.decode()
    assert "Course fee: <strong>$40.00</strong>" in page
    assert "Pay and enrol" in page
    assert "Have a discount or scholarship code?" in page
    assert checkout_url(course) in page
    response = client.post(reverse("courses:enrol", args=[course.id]))
    assert response["Location"] == checkout_url(course)
    assert not Enrollment.objects.exists()


def test_unpublished_course_has_no_checkout(client, stripe_api):
    course = paid_course("40.00")
    course.unpublish()
    client.force_login(UserFactory())
    assert client.get(checkout_url(course)).status_code == 404


# serialized_rollback: the flush after a transactional test would otherwise take the
# migrations' page tree away from the tests that run after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_redemptions_of_a_single_use_code_give_one_place(settings):
    """Eight learners use the same single-use scholarship code at the same moment: one place."""
    settings.STRIPE_SECRET_KEY = ""
    course = paid_course("40.00")
    discount_code("SCH-ONCE-ONLY", value="100", max_uses=1, is_scholarship=True)
    learners = [UserFactory() for _ in range(8)]
    barrier = threading.Barrier(len(learners))
    results: list = []

    def redeem(user):
        try:
            barrier.wait()
            results.append(services.order_start_checkout(user=user, course=course, code_text="sch-once-only"))
        except services.CodeError as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=redeem, args=(user,)) for user in learners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    enrolled = [r for r in results if isinstance(r, services.CheckoutStart)]
    refused = [r for r in results if isinstance(r, services.CodeError)]
    assert (len(enrolled), len(refused)) == (1, 7)
    assert all("has already been used" in r.message for r in refused)
    assert Enrollment.objects.count() == 1
    assert Order.objects.get().status == Order.Status.PAID
    assert DiscountCode.objects.get().uses == 1


def test_the_waiting_page_asks_stripe_at_most_every_few_seconds_and_survives_stripe_down(
    client, webhook_settings, caplog, django_assert_num_queries
):
    """Stripe unreachable (a closed loopback port): the success page still answers with the
    waiting page, the failure is logged, and a reload moments later does not ask again."""
    learner = UserFactory()
    order = pending_order(learner, paid_course("40.00"), session_id="cs_test_waiting")
    client.force_login(learner)
    first_visit = client.get(reverse("payments:order_return", args=[order.pk]))
    assert first_visit.status_code == 200 and "We are confirming your payment" in first_visit.content.decode()
    assert f"Could not ask Stripe about {order.reference} from the success page" in caplog.text
    order.refresh_from_db()
    assert order.last_checked_at is not None and order.status == Order.Status.PENDING
    with django_assert_num_queries(0):
        assert services.order_check_for_page(order=order, via="success page") is False  # asked moments ago
    order.last_checked_at -= services.RECHECK_AFTER
    assert services.order_check_for_page(order=order, via="success page") is True
    Order.objects.filter(pk=order.pk).update(status=Order.Status.PAID, last_checked_at=None)
    order.refresh_from_db()
    with django_assert_num_queries(0):
        assert services.order_check_for_page(order=order, via="success page") is False  # nothing to ask about


def test_a_full_code_used_on_the_spanish_page_names_the_course_in_spanish_and_leads_to_its_lesson(
    client, full_code_without_stripe
):
    """The message named the English course and the learner was sent to the English
    course page when the course had no lesson to open."""
    from django.utils import translation

    from tests.courses.translated import spanish, translate, translate_site

    course, user = full_code_without_stripe
    translate_site()
    for page in course.get_descendants(inclusive=True).order_by("path"):
        translate(page)
    with translation.override("es"):
        url = checkout_url(course)
    assert url.startswith("/es/")
    response = client.post(url, checkout_form(code="free100"))
    assert response.status_code == 302
    assert response["Location"] == lessons_of(course)[0].get_translation(spanish()).url
    [message] = [m.message for m in response.wsgi_request._messages]
    assert message == "Tu código cubre toda la cuota: ya tienes tu plaza en ES Facilitator Training. Avanza a tu ritmo."
