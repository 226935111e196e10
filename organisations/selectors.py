"""Reads for organisations: who may manage what, memberships, seats and invitations.

Every manager page starts with ``managed_membership``: an organisation the person does
not manage is a 404, never a 403, so that ids of other organisations reveal nothing.
"""
from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.http import Http404

from courses.models import CoursePage, LessonProgress, QuizAttempt

from .models import Invitation, Membership, Organisation, Seat, SeatChange, SeatPool, SeatPurchase


def managed_membership(*, user, organisation_id) -> Membership:
    """The signed-in manager's (or owner's) active membership of that organisation, or 404."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such organisation.")
    membership = (
        Membership.objects.select_related("organisation")
        .filter(
            user=user, organisation_id=organisation_id, role__in=Membership.MANAGING, left_at__isnull=True
        )
        .first()
    )
    if membership is None:
        raise Http404("No such organisation.")
    return membership


def memberships_of(user) -> QuerySet[Membership]:
    """The person's active memberships, organisations attached, by organisation name."""
    return (
        Membership.objects.select_related("organisation")
        .filter(user=user, left_at__isnull=True)
        .order_by("organisation__name")
    )


def is_partner_member(user) -> bool:
    """Whether the person is an active member of a partner organisation."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, left_at__isnull=True, organisation__is_partner=True).exists()


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


def pending_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation=organisation, status=Invitation.Status.PENDING).select_related(
        "course", "invited_by"
    )


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


# --- for the manager's seats and invitations pages ---------------------------------------------


def managers_of(organisation: Organisation) -> QuerySet[Membership]:
    """Owners first, then managers, by email: the "Managers" list an owner edits."""
    return (
        Membership.objects.filter(organisation=organisation, left_at__isnull=True, role__in=Membership.MANAGING)
        .select_related("user")
        .order_by(Case(When(role=Membership.Role.OWNER, then=0), default=1), "user__email")
    )


def pending_counts_by_course(organisation: Organisation) -> dict[int, int]:
    """Staff invitations still waiting for an answer, per course id (one query)."""
    rows = (
        Invitation.objects.filter(organisation=organisation, status=Invitation.Status.PENDING, course__isnull=False)
        .values("course_id")
        .annotate(n=Count("pk"))
    )
    return {row["course_id"]: row["n"] for row in rows}


def recently_accepted(organisation: Organisation, *, since) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(organisation=organisation, status=Invitation.Status.ACCEPTED, accepted_at__gte=since)
        .select_related("course", "accepted_by")
        .order_by("-accepted_at")
    )


def seat_changes(organisation: Organisation) -> QuerySet[SeatChange]:
    """The ledger of every pool's total, newest first."""
    return (
        SeatChange.objects.filter(pool__organisation=organisation)
        .select_related("pool__course", "by", "order")
        .order_by("-created_at", "-pk")
    )


def seat_order(*, organisation: Organisation, order_id: int):
    """A seat order of this organisation (through its purchase row), or None: an order
    id of another organisation, or a learner's own order, is never found here."""
    from payments.models import Order

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


def buyable_courses(organisation: Organisation) -> QuerySet[CoursePage]:
    """Live courses with a fee that this organisation may buy seats on."""
    courses = CoursePage.objects.live().filter(price_amount__gt=0).order_by("title")
    if not organisation.is_partner:
        courses = courses.filter(partners_only=False)
    return courses


def invitable_courses(organisation: Organisation) -> QuerySet[CoursePage]:
    """Live courses the organisation holds seats on (bought or granted), and free courses
    (a place is added as each person accepts): an invitation to any other course could
    never be accepted, there being no seat to take."""
    courses = CoursePage.objects.live().filter(
        Q(pk__in=SeatPool.objects.filter(organisation=organisation, total__gt=0).values("course_id"))
        | Q(price_amount__isnull=True) | Q(price_amount=0)
    ).order_by("title")
    if not organisation.is_partner:
        courses = courses.filter(partners_only=False)
    return courses
