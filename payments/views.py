"""Learner views for paying a course fee, and Stripe's webhook. Thin: parse, authorise,
call a service, render. A learner only ever sees their own orders (404 otherwise)."""
import functools
import json
import logging
from collections.abc import Callable
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts import services as account_services
from courses import selectors as course_selectors
from courses.languages import source_page, translation_of
from courses.models import CoursePage

from . import currencies, extensions, gateway, selectors, services
from .forms import CheckoutForm, ScholarshipApplicationForm
from .models import ZERO, Order

logger = logging.getLogger(__name__)

NEEDS_A_FULL_CODE = gettext_lazy(
    "This fee cannot be paid online here yet, so only a code that covers the whole fee can enrol you. "
    "The note above says how else to get a place."
)
NO_ONLINE_DONATION = gettext_lazy(
    "Your code covers the whole fee, but a donation can only be paid online, which is not set up "
    "here yet. Set the donation to nothing to enrol now. Thank you for wanting to give."
)


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _into_course(request: HttpRequest, course: CoursePage) -> HttpResponseRedirect:
    """Where a newly enrolled learner goes: the first lesson to take (in the language read)."""
    state = course_selectors.course_state(course=course, user=request.user, request=request)
    target = state.continue_item
    return redirect(target.url if target else state.course_url)


def _title_read(request: HttpRequest, course: CoursePage, title: str = "") -> str:
    """The course's title as the learner reads it: its published translation's in the
    page's language, else ``title`` (an order's record of it) or the course's own."""
    translated = translation_of(course, request)
    return translated.title if translated is not None else title or course.title


def _a_fee_to_pay(view: Callable[[HttpRequest, CoursePage], HttpResponse]) -> Callable[..., HttpResponse]:
    """For a learner's page about paying a course's fee (never cached, signed in only): the
    view receives the live course (404 otherwise). With nothing to pay, a free course or
    one the learner already has a place on, they go back to the course's page instead."""

    @never_cache
    @login_required
    @functools.wraps(view)
    def for_course(request: HttpRequest, course_id: int) -> HttpResponse:
        course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
        # A translation's page leads here with its own id: the place is on its source course.
        course = source_page(course)
        if course is None or not course.live:
            raise Http404("No such course.")
        if course.is_free:
            return redirect(course.get_url(request))
        if services.has_place(user=request.user, course_id=course.pk):
            messages.info(request, gettext("You already have a place on this course."))
            return redirect(course.get_url(request))
        return view(request, course)

    return for_course


def _checkout_currency(
    request: HttpRequest, course: CoursePage, scholarship_code: str = ""
) -> tuple[str, str | None, list[str]]:
    """The currency of this checkout, why the one asked for cannot be used (None if it
    can), and every currency the course has a fee in.

    Asked for on the page (the form's hidden field, or ``?currency=``), else the learner's
    own (``selectors.course_fee``); an approved scholarship's code for a fixed amount
    brings its own currency when the course has a fee in it. Never a price: the fee in
    that currency is read again by the services."""
    asked = (request.POST if request.method == "POST" else request.GET).get("currency", "")
    fee = selectors.course_fee(course, request=request)
    default = fee.currency if fee else course.price_currency.upper()
    if scholarship_code:
        code = services.discount_code_find(scholarship_code)
        if code is not None and code.currency and code.currency.upper() in (fee.fees if fee else {}):
            default = code.currency.upper()
    offered = fee.currencies if fee else []
    if not asked:
        return default, None, offered
    try:
        return services.course_fee_in(course, asked)[0], None, offered
    except services.CurrencyError as error:
        return default, error.message, offered


@_a_fee_to_pay
def checkout(request: HttpRequest, course: CoursePage) -> HttpResponse:
    # An approved scholarship's code is filled in: the learner need not find the email.
    scholarship = selectors.scholarship_state(user=request.user, course_id=course.pk)
    initial = {"discount_code": scholarship.code.code} if scholarship and scholarship.code else {}
    currency, currency_error, offered = _checkout_currency(request, course, initial.get("discount_code", ""))
    donations = selectors.donation_bounds(currency, course=course)
    form = CheckoutForm(request.POST or None, currency=currency, donations=donations, initial=initial)
    quote = None
    if currency_error:
        pass  # said above the form (``currency_error``); nothing is bought
    elif request.method == "POST" and form.is_valid():
        code_text = form.cleaned_data["discount_code"]
        donation = form.cleaned_data["donation_amount"]
        try:
            quote = services.checkout_quote(course=course, code_text=code_text, donation=donation, currency=currency)
            if request.POST.get("action") != "apply":
                start = services.order_start_checkout(
                    user=request.user, course=course, code_text=code_text, donation=donation, currency=currency
                )
                if start.enrolled:
                    messages.success(
                        request,
                        gettext("Your code covers the whole fee: you are enrolled in %(course)s. Take it at your own pace.")
                        % {"course": _title_read(request, course)},
                    )
                    return _into_course(request, course)
                return _see_other(start.redirect_url)
        except services.CheckoutUnavailable:
            # The page already explains this in full in the "not set up" note above the form
            # (services.NOT_SET_UP): the error points to it instead of repeating the paragraph.
            covered = quote is not None and quote.course_amount <= ZERO and quote.donation > ZERO
            form.add_error(None, NO_ONLINE_DONATION if covered else NEEDS_A_FULL_CODE)
        except services.PaymentError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    if quote is None:
        # The summary follows the form: the filled-in code on a first visit, else the fee
        # alone (a refused post shows its own code's error, not another code's total).
        try:
            quote = services.checkout_quote(
                course=course, code_text="" if request.method == "POST" else initial.get("discount_code", ""),
                currency=currency,
            )
        except services.PaymentError:  # the code stopped working since it was read
            quote = services.checkout_quote(course=course, currency=currency)
    return TemplateResponse(
        request,
        "payments/checkout.html",
        {
            "course": course,
            "form": form,
            "quote": quote,
            "scholarship": scholarship,
            "configured": gateway.is_configured(),
            "org": services.organisation(),
            "not_set_up": services.NOT_SET_UP,
            "applied": request.method == "POST" and request.POST.get("action") == "apply" and not form.errors,
            "fee_currencies": offered,
            "currency_error": currency_error,
        },
    )


@_a_fee_to_pay
def scholarship_apply(request: HttpRequest, course: CoursePage) -> HttpResponse:
    """A short application for help with the fee (in the learner's currency): why, and
    what the learner can pay."""
    currency, currency_error, _offered = _checkout_currency(request, course)
    fee = services.course_fee_in(course, currency)[1]
    existing = selectors.open_scholarship_application(user=request.user, course_id=course.pk)
    code = selectors.usable_scholarship_code(user=request.user, course_id=course.pk)
    form = ScholarshipApplicationForm(request.POST or None, fee=fee, currency=currency)
    if currency_error:
        pass  # said above the form (``currency_error``); nothing is sent
    elif request.method == "POST" and existing is None and code is None and form.is_valid():
        try:
            existing = services.scholarship_apply(
                user=request.user, course=course, reason=form.cleaned_data["reason"],
                can_pay=form.cleaned_data["can_pay"], currency=currency,
            )
        except services.PaymentError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("Thank you: your application is sent. We will email you when we have decided."))
            return redirect("payments:scholarship_apply", course.pk)
    return TemplateResponse(
        request, "payments/scholarship_application.html",
        {"course": course, "form": form, "fee": fee, "currency": currency, "existing": existing, "code": code,
         "org": services.organisation(), "currency_error": currency_error},
    )


def _own_order(request: HttpRequest, order_id: int) -> Order:
    return get_object_or_404(Order.objects.select_related("course"), pk=order_id, user=request.user)


def _seat_order_page(request: HttpRequest, order: Order, **extra: str) -> HttpResponseRedirect:
    """Seat orders belong to an organisation: its seats pages check and report them
    (there is no place to go into here). The app that sells seats registers that page's
    address (``payments.extensions``); Stripe's ``session_id`` goes along."""
    url = extensions.seat_order_page(order)
    if url is None:
        raise Http404("No page shows this order.")
    query = request.GET.copy()
    query.update(extra)
    return redirect(f"{url}?{query.urlencode()}" if query else url)


@never_cache
@login_required
def order_return(request: HttpRequest, order_id: int) -> HttpResponse:
    """Stripe's success URL: ask Stripe at once (do not wait for the webhook) and settle
    the order through the same service as the webhook."""
    order = _own_order(request, order_id)
    if order.is_seats:
        return _seat_order_page(request, order)
    hint = request.GET.get("session_id", "")
    if services.order_check_for_page(order=order, session_id_hint=hint, via="success page"):
        order.refresh_from_db()
    if order.status in Order.HOLDS_PLACE:
        messages.success(
            request,
            gettext(
                "Thank you: your payment is received and you are enrolled in %(course)s. "
                "Your receipt is on its way to your email."
            ) % {"course": _title_read(request, order.course.specific, order.course_title)},
        )
        return _into_course(request, order.course.specific)
    keep_checking = order.status == Order.Status.PENDING and timezone.now() - order.created_at < timedelta(minutes=30)
    return TemplateResponse(
        request, "payments/order_status.html",
        {"order": order, "org": services.organisation(), "keep_checking": keep_checking},
    )


@never_cache
@login_required
def order_cancelled(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _own_order(request, order_id)
    if order.is_seats:
        return _seat_order_page(request, order, cancelled="1")
    if order.status in Order.HOLDS_PLACE:
        return redirect("payments:order_return", order.pk)
    return TemplateResponse(request, "payments/order_cancelled.html", {"order": order})


@login_required
def receipt(request: HttpRequest, order_id: int) -> HttpResponse:
    order = get_object_or_404(
        Order.objects.select_related("course", "user"), pk=order_id, user=request.user, status__in=Order.WITH_RECEIPT
    )
    return TemplateResponse(
        request,
        "payments/receipt.html",
        {"order": order, "org": services.organisation(), "refunds": selectors.order_refunds_counted(order=order), "zero": ZERO},
    )


@login_required
def my_orders(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "payments/my_orders.html", {"orders": selectors.orders_for_learner(user=request.user)})


@require_POST
def choose_currency(request: HttpRequest) -> HttpResponse:
    """The currency a person wants fees in: on their account for a signed-in learner, in
    the session for a visitor; ``""`` goes back to their country's. A currency Stripe does
    not take is refused with a message and changes nothing. Back to ``next`` (this site only)."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    chosen = currencies.normalise(request.POST.get("currency", ""))
    problem = currencies.problem(chosen) if chosen else None
    if problem:
        messages.error(request, problem)
        return redirect(target)
    if request.user.is_authenticated:
        account_services.user_set_preferred_currency(user=request.user, currency=chosen)
    if chosen:
        request.session[selectors.SESSION_KEY] = chosen
    else:
        request.session.pop(selectors.SESSION_KEY, None)
    if chosen:
        messages.success(request, gettext("Fees are shown in %(currency)s where a course has a fee in them.") % {
            "currency": currencies.name(chosen)})
    else:
        messages.success(request, gettext("Fees are shown in your country's currency where a course has a fee in it."))
    return _see_other(target)


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    """Verify the signature on the raw body before anything else, store the event once,
    answer at once; a task processes it."""
    payload = request.body
    try:
        gateway.webhook_verify(payload, request.headers.get("Stripe-Signature"))
    except gateway.NotConfigured as error:
        logger.error("Stripe webhook received but %s", error.message)
        return JsonResponse({"error": "Webhooks are not configured on this site."}, status=503)
    except gateway.BadSignature as error:
        return JsonResponse({"error": f"Signature verification failed: {error}"}, status=400)
    try:
        data = json.loads(payload)
        if not (isinstance(data, dict) and data.get("object") == "event" and isinstance(data.get("id"), str)
                and isinstance(data.get("type"), str)):
            raise ValueError("not an event")
    except ValueError:
        return JsonResponse({"error": "The body is not a Stripe event."}, status=400)
    event, created = services.stripe_event_record(data)
    return JsonResponse({"received": True, "duplicate": not created})
