"""Reads about seats: the pools an organisation holds, who holds a place, the ledger,
seat orders and what may be bought or refunded."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from accounts.models import User
from courses.models import CoursePage, Enrollment, LessonProgress, QuizAttempt
from payments.models import Order, Refund

from ..models import Organisation, Seat, SeatChange, SeatPool, SeatPurchase

# A second "Buy" within this time reuses the first checkout (Stripe keeps it open longer).
SEAT_CHECKOUT_REUSE = timedelta(minutes=10)


def seat_pools(organisation: Organisation) -> QuerySet[SeatPool]:
    """The pools that have ever held a place (or hold one now). A pool with no places and
    no ledger row has nothing to show: its only link is a seat order that never reached
    payment (Stripe could not start the checkout, or the manager is still on Stripe's
    page), or it was left by an earlier version that made the pool before the order was
    refused. Such a row read "0 0 0 0" on the Seats page; once the order is paid, its
    ledger row makes the pool appear."""
    return (
        SeatPool.objects.filter(organisation=organisation)
        .filter(Q(total__gt=0) | Q(Exists(SeatChange.objects.filter(pool=OuterRef("pk")))))
        .select_related("course")
        .order_by("course__title")
    )


def all_seat_pools(organisation: Organisation) -> QuerySet[SeatPool]:
    """Every pool of the organisation, empty ones too (for staff), by course title."""
    return SeatPool.objects.filter(organisation=organisation).select_related("course").order_by("course__title")


def seat_pool_free(*, organisation: Organisation, course: CoursePage) -> int:
    """Free places on the course (0 when the organisation has no pool for it)."""
    pool = SeatPool.objects.filter(organisation=organisation, course=course).first()
    return pool.free if pool else 0


def has_started(enrollment: str = "") -> Q:
    """Whether the learner has started the course: some progress, a completion, a lesson
    opened or a quiz started. A seat held by someone who has started is theirs to keep.

    The one statement of that rule, as a condition, so that ``services.seat_release``
    (which refuses to take such a seat back) and the Seats page (which offers no button
    for it) cannot disagree, and the page tests every holder inside its one query.
    ``enrollment`` is the path to the enrolment: "" on ``Enrollment`` itself,
    "enrollment" on ``Seat``. No enrolment (a null link) counts as not started."""
    prefix = f"{enrollment}__" if enrollment else ""
    ref = OuterRef(enrollment or "pk")
    return (
        Q(**{f"{prefix}progress_percent__gt": 0})
        | Q(**{f"{prefix}completed_at__isnull": False})
        | Q(Exists(LessonProgress.objects.filter(enrollment=ref)))
        | Q(Exists(QuizAttempt.objects.filter(enrollment=ref)))
    )


def has_made_progress(enrollment: Enrollment | None) -> bool:
    """Whether the learner has started: opened a lesson or started a quiz. A seat in
    use this way is theirs; it cannot be taken back. The rule is ``has_started``, which
    the Seats page uses too (it shows no "Give the seat back" button for such a seat)."""
    if enrollment is None:
        return False
    return Enrollment.objects.filter(has_started(), pk=enrollment.pk).exists()


def held_seats(organisation: Organisation) -> QuerySet[Seat]:
    """Places in use, by course and holder's email (the id last, so that pages of them
    never repeat or skip anyone), each marked ``started`` (``has_started``) so the page
    offers "Give the seat back" only where it can work."""
    return (
        Seat.objects.filter(pool__organisation=organisation, released_at__isnull=True)
        .select_related("user", "pool__course", "enrollment")
        .annotate(
            started=Case(When(has_started("enrollment"), then=Value(True)), default=Value(False),
                         output_field=BooleanField())
        )
        .order_by("pool__course__title", "user__email", "pk")
    )


def seat_changes(organisation: Organisation) -> QuerySet[SeatChange]:
    """The ledger of every pool's total, newest first."""
    return (
        SeatChange.objects.filter(pool__organisation=organisation)
        .select_related("pool__course", "by", "order")
        .order_by("-created_at", "-pk")
    )


def seats_added_by_order(order: Order) -> int | None:
    """How many seats a paid seat order added to its pool (None: not yet)."""
    return (
        SeatChange.objects.filter(order=order, kind=SeatChange.Kind.PURCHASE).values_list("quantity", flat=True).first()
    )


def seat_order(*, organisation: Organisation, order_id: int) -> Order | None:
    """A seat order of this organisation (through its purchase row), or None: an order
    id of another organisation, or a learner's own order, is never found here."""
    return (
        Order.objects.filter(
            pk=order_id, purpose=Order.Purpose.SEATS, seat_purchase__pool__organisation=organisation
        )
        .select_related("seat_purchase__pool__course", "user")
        .first()
    )


def seat_order_organisation_id(*, order_id: int) -> int | None:
    """Which organisation a seat order fills (for the page Stripe sends the buyer back to)."""
    return SeatPurchase.objects.filter(order_id=order_id).values_list("pool__organisation_id", flat=True).first()


def recent_seat_checkout(
    *, organisation_id: int, course_id: int, by: User, quantity: int, currency: str = ""
) -> Order | None:
    """The same manager's checkout for the same seats (in the same currency, when one is
    named), started in the last few minutes (a double click, the back button): reused, so
    one order and one Stripe session."""
    in_currency = {"currency": currency.upper()} if currency else {}
    since = timezone.now() - SEAT_CHECKOUT_REUSE
    return (
        Order.objects.filter(
            seat_purchase__pool__organisation_id=organisation_id, seat_purchase__pool__course_id=course_id,
            user=by, quantity=quantity, status=Order.Status.PENDING, created_at__gte=since, **in_currency,
        )
        .order_by("-created_at")
        .first()
    )


def seat_purchases(organisation: Organisation) -> QuerySet[SeatPurchase]:
    """The organisation's seat purchases with their orders, newest first."""
    return (
        SeatPurchase.objects.filter(pool__organisation=organisation)
        .select_related("order", "pool__course").order_by("-order__created_at", "-pk")
    )


def refunds_reserved(order: Order) -> Decimal:
    """Money refunded or on its way back (a requested refund counts: its seats are gone)."""
    return order.refunds.filter(status__in=Refund.RESERVED).aggregate(s=Sum("amount"))["s"] or Decimal("0")


def refundable_seats(purchase: SeatPurchase) -> int:
    """Seats of a purchase that can be refunded now: not refunded yet, and free in the pool."""
    if purchase.order.paid_at is None or not purchase.order.stripe_payment_intent_id:
        return 0
    return max(min(purchase.quantity - purchase.refunded, purchase.pool.free), 0)


def buyable_courses(organisation: Organisation) -> QuerySet[CoursePage]:
    """Live courses with a fee that this organisation may buy seats on."""
    courses = CoursePage.objects.live().filter(price_amount__gt=0).order_by("title")
    if not organisation.is_partner:
        courses = courses.filter(partners_only=False)
    return courses
