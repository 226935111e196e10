"""Seats: what the organisation holds per course, who holds a place, the ledger, buying
more through Stripe Checkout and the page Stripe sends the buyer back to."""
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from courses.models import CoursePage
from payments import gateway
from payments import selectors as payments_selectors
from payments import services as payments
from payments.models import Order

from .. import selectors, services
from ..forms import SeatBuyForm
from ..models import Membership, Seat
from .manager import manager_page, manager_view
from .orgs import see_other
from .pager import pager


# The two long lists page independently, each under its own parameter. A page number that
# is not one (or past the end) shows the first (or last) page, as on the dashboard.
PER_PAGE = 50
HELD_PAGE, HISTORY_PAGE = "held_page", "history_page"


def _seats_page(
    request: HttpRequest, membership: Membership, *, form: SeatBuyForm | None = None, status: int = 200
) -> HttpResponse:
    organisation = membership.organisation
    pools = list(selectors.seat_pools(organisation))
    waiting = selectors.pending_counts_by_course(organisation)
    for pool in pools:
        pool.waiting = waiting.get(pool.course_id, 0)
    courses = selectors.buyable_courses(organisation)
    # Two queries per list (its count and its page), however many people hold a place.
    seats = Paginator(selectors.held_seats(organisation), PER_PAGE).get_page(request.GET.get(HELD_PAGE))
    changes = Paginator(selectors.seat_changes(organisation), PER_PAGE).get_page(request.GET.get(HISTORY_PAGE))
    return manager_page(
        request, membership, "organisations/seats.html", section="seats", status=status,
        pools=pools,
        seats=seats,
        seats_pager=pager(request, seats, what=gettext("staff holding a place"), param=HELD_PAGE, fragment="held"),
        changes=changes,
        changes_pager=pager(request, changes, what=gettext("history"), param=HISTORY_PAGE, fragment="history"),
        form=form or SeatBuyForm(
            courses=courses, currency=payments_selectors.wanted_currency(request)[0], fees=_fees(request, courses),
        ),
        can_buy=courses.exists(),
        configured=gateway.is_configured(),
        not_set_up=services.SEATS_NOT_SET_UP,
        org=payments.organisation(),
    )


def _fees(request: HttpRequest, courses: QuerySet[CoursePage]) -> dict:
    """Each course's fee for one place as the manager sees fees (one query for all)."""
    return payments_selectors.course_fees_shown(courses, request=request)


# The page on GET; buying shows it again with its refused form.
seats = never_cache(manager_view("GET")(_seats_page))


@manager_view("POST")
def buy(request: HttpRequest, membership: Membership) -> HttpResponse:
    courses = selectors.buyable_courses(membership.organisation)
    form = SeatBuyForm(request.POST, courses=courses)
    if form.is_valid():
        try:
            start = services.seats_buy_start(
                organisation_id=membership.organisation_id, by=request.user, course=form.cleaned_data["course"],
                quantity=form.cleaned_data["quantity"], currency=form.cleaned_data["currency"],
            )
        except services.OrganisationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return see_other(start.redirect_url)
    form.fields["course"].fees = _fees(request, courses)  # shown again: each course's fee as the manager sees fees
    return _seats_page(request, membership, form=form)


@manager_view("POST")
def release(request: HttpRequest, membership: Membership, seat_id: int) -> HttpResponse:
    org_id = membership.organisation_id
    seat = get_object_or_404(Seat.objects.select_related("user", "pool__course"), pk=seat_id, pool__organisation_id=org_id)
    try:
        services.seat_release(organisation_id=membership.organisation_id, seat_id=seat.pk, by=request.user)
    except services.OrganisationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("The place on %(course)s held by %(email)s is free again for someone else.")
            % {"course": seat.pool.course.title, "email": seat.user.email},
        )
    # Back to the page of holders the manager was on (a number, or the first page).
    try:
        held_page = int(request.POST.get(HELD_PAGE, ""))
    except ValueError:
        held_page = 1
    query = f"?{HELD_PAGE}={held_page}" if held_page > 1 else ""
    return see_other(reverse("organisations:seats", args=[org_id]) + query + "#held")


@never_cache
@manager_view("GET")
def order(request: HttpRequest, membership: Membership, order_id: int) -> HttpResponse:
    """Back from Stripe Checkout: ask Stripe at once rather than wait for the webhook, and
    settle the order through payments' own service (the same one the webhook uses)."""
    found = selectors.seat_order(organisation=membership.organisation, order_id=order_id)
    if found is None:
        raise Http404("No such order.")
    # The waiting page reloads itself: payments asks Stripe at most every few seconds.
    if payments.order_check_for_page(order=found, session_id_hint=request.GET.get("session_id", ""), via="seats page"):
        found = selectors.seat_order(organisation=membership.organisation, order_id=order_id)
    added = selectors.seats_added_by_order(found)
    cancelled = request.GET.get("cancelled") == "1"
    keep_checking = (
        found.status == Order.Status.PENDING and not cancelled and timezone.now() - found.created_at < timedelta(minutes=30)
    )
    return manager_page(
        request, membership, "organisations/seat_order.html", section="seats",
        order=found, pool=found.seat_purchase.pool, added=added, cancelled=cancelled,
        paid=found.status in Order.WITH_RECEIPT, keep_checking=keep_checking, is_buyer=found.user_id == request.user.pk,
        org=payments.organisation(),
    )


@never_cache
@login_required
@require_GET
def order_landing(request: HttpRequest, order_id: int) -> HttpResponse:
    """Where payments sends the buyer of a seat order back from Stripe: payments does not
    know the organisation, so this finds it and goes on to the organisation's order page
    (with Stripe's ``session_id``)."""
    org_id = selectors.seat_order_organisation_id(order_id=order_id)
    if org_id is None:
        raise Http404("No such order.")
    selectors.managed_membership(user=request.user, organisation_id=org_id)
    url = reverse("organisations:seat_order", args=[org_id, order_id])
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)
