"""Writes for organisations: creating one, roles, seats (bought, granted, refunded,
taken, released) and leaving. Invitations are in ``invitations.py``.

Locks are always taken in the same order, so that two requests never wait on each
other in a circle: invitation → payment order → seat pool → seat → enrolment.
The seat pool row is the one that serialises seat takers: N seats and N+5 people
accepting at once give exactly N places (and the database's ``used <= total`` check
would refuse an N+1th even if the code were wrong).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from wagtail.log_actions import log

from courses.models import CoursePage, Enrollment
from courses.services import enrollment_give_place
from kernel.names import name_problem
from payments import services as payments
from payments.models import Order, Refund

from . import selectors
from .models import Membership, Organisation, Seat, SeatChange, SeatPool, SeatPurchase

logger = logging.getLogger(__name__)
Role = Membership.Role
# Wagtail audit-log actions (registered in wagtail_hooks) for partner status changes.
PARTNER_ON = "organisations.partner_on"
PARTNER_OFF = "organisations.partner_off"
# A second "Buy" within this time reuses the first checkout (Stripe keeps it open longer).
SEAT_CHECKOUT_REUSE = timedelta(minutes=10)
# Said to a manager when the site takes no card payments (``make demo``). Payments' own
# message (``NOT_SET_UP``) is written for a learner at checkout, with a scholarship code
# and "you are enrolled", neither of which is true of a manager buying places.
# The buy form is shown all the same, so the flow can be tried (the demo has no keys).
SEATS_NOT_SET_UP = gettext_lazy(
    "Card payment needs Stripe keys, and none are set on this site, so places cannot be bought online at the moment."
)


class OrganisationError(Exception):
    """A request we refuse; ``message`` is safe to show, ``field`` names the form field."""

    field: str | None = None

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        if field:
            self.field = field


class SeatsGone(OrganisationError):
    """Every seat of the pool is taken."""


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


# --- organisations and roles ------------------------------------------------------------------


def organisation_create(*, user, name: str, kind: str, country: str, billing_email: str) -> Organisation:
    """A signed-in professional creates an organisation and becomes its owner."""
    name = " ".join((name or "").split())
    if not name:
        raise OrganisationError("Give the organisation's name.", "name")
    if problem := name_problem(name):
        raise OrganisationError(problem, "name")
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=name, kind=kind, country=country, billing_email=billing_email, created_by=user
        )
        Membership.objects.create(organisation=organisation, user=user, role=Role.OWNER)
    return organisation


def membership_join(*, organisation_id: int, user, role: str = Role.MEMBER, now: datetime | None = None) -> Membership:
    """Add the person (or bring them back after they left). A role is only ever raised
    here: an owner accepting a staff invitation stays an owner."""
    now = _now(now)
    rank = {Role.MEMBER: 0, Role.MANAGER: 1, Role.OWNER: 2}
    membership = Membership.objects.select_for_update().filter(organisation_id=organisation_id, user=user).first()
    if membership is None:
        try:
            with transaction.atomic():
                return Membership.objects.create(organisation_id=organisation_id, user=user, role=role, joined_at=now)
        except IntegrityError:  # joined by a concurrent request a moment ago
            membership = Membership.objects.select_for_update().get(organisation_id=organisation_id, user=user)
    changed = []
    if membership.left_at is not None:
        membership.left_at = None
        membership.joined_at = now
        membership.role = role
        changed += ["left_at", "joined_at", "role"]
    elif rank[role] > rank[membership.role]:
        membership.role = role
        changed.append("role")
    if changed:
        membership.save(update_fields=changed)
    return membership


def membership_leave(*, membership_id: int, user, now: datetime | None = None) -> Membership:
    """The person leaves: from now on the organisation no longer sees their progress.
    They keep their places on courses (paid for, but theirs to finish). The last owner
    cannot leave, so that an organisation is never left without someone to run it."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(pk=membership_id, user=user).first()
        if membership is None or membership.left_at is not None:
            raise OrganisationError("You are not a member of that organisation.")
        if membership.role == Role.OWNER and not Membership.objects.filter(
            organisation_id=membership.organisation_id, role=Role.OWNER, left_at__isnull=True
        ).exclude(pk=membership.pk).exists():
            raise OrganisationError(
                "You are the organisation's only owner. Make another manager an owner before you leave."
            )
        membership.left_at = _now(now)
        membership.save(update_fields=["left_at"])
        return membership


def organisation_set_partner(*, organisation_id: int, is_partner: bool, by) -> tuple[Organisation, bool]:
    """Staff mark or unmark a partner organisation; returns (organisation, changed). Setting
    the state it already has changes nothing and logs nothing. Members' access follows at
    once: nothing about partner status is cached between requests."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
        if organisation.is_partner == is_partner:
            return organisation, False
        organisation.is_partner = is_partner
        organisation.save(update_fields=["is_partner"])
        log(instance=organisation, action=PARTNER_ON if is_partner else PARTNER_OFF, user=by)
        return organisation, True


def manager_set_role(*, organisation_id: int, membership_id: int, role: str, by) -> Membership:
    """Owners make a manager an owner, a member a manager, or a manager a member again."""
    if role not in Role.values:
        raise OrganisationError("Choose a role.", "role")
    with transaction.atomic():
        mine = Membership.objects.filter(organisation_id=organisation_id, user=by, role=Role.OWNER, left_at__isnull=True)
        if not mine.exists():
            raise OrganisationError("Only an owner can change who manages the organisation.")
        membership = (
            Membership.objects.select_for_update()
            .filter(pk=membership_id, organisation_id=organisation_id, left_at__isnull=True)
            .first()
        )
        if membership is None:
            raise OrganisationError("That person is not a member of the organisation.")
        if membership.role == Role.OWNER and role != Role.OWNER and not Membership.objects.filter(
            organisation_id=organisation_id, role=Role.OWNER, left_at__isnull=True
        ).exclude(pk=membership.pk).exists():
            raise OrganisationError("The organisation needs at least one owner.")
        membership.role = role
        membership.save(update_fields=["role"])
        return membership


# --- seat pools ---------------------------------------------------------------------------------


def pool_for(*, organisation_id: int, course_id: int) -> SeatPool:
    """The organisation's pool for the course, made empty the first time."""
    pool = SeatPool.objects.filter(organisation_id=organisation_id, course_id=course_id).first()
    if pool is not None:
        return pool
    try:
        with transaction.atomic():
            return SeatPool.objects.create(organisation_id=organisation_id, course_id=course_id)
    except IntegrityError:
        return SeatPool.objects.get(organisation_id=organisation_id, course_id=course_id)


def _pool_change(pool: SeatPool, *, quantity: int, kind: str, order=None, by=None, note: str = "", now=None) -> None:
    """Add (or remove) seats on a locked pool, with its ledger row."""
    if pool.total + quantity < pool.used:
        raise OrganisationError(
            f"{pool.used} of the {pool.total} seats are taken, so at most {pool.free} can be removed.", "quantity"
        )
    pool.total += quantity
    pool.save(update_fields=["total"])
    SeatChange.objects.create(
        pool=pool, kind=kind, quantity=quantity, order=order, by=by if getattr(by, "pk", None) else None,
        note=note[:500], created_at=_now(now),
    )


def seats_grant(*, organisation_id: int, course: CoursePage, quantity: int, by, note: str = "") -> SeatPool:
    """Staff give seats by hand (an invoice paid outside the platform, a grant), or take
    back free ones with a negative quantity."""
    if not quantity:
        raise OrganisationError("Enter a number of seats other than 0.", "quantity")
    if not note.strip():
        raise OrganisationError("Say why, for example the invoice number or the grant.", "note")
    if quantity > 0 and course.partners_only and not Organisation.objects.filter(pk=organisation_id, is_partner=True).exists():
        raise OrganisationError("This course is only for partner organisations: mark the organisation as a partner first.", "course")
    with transaction.atomic():
        # Made inside the transaction: a refused change (removing seats from a course the
        # organisation has none on) leaves no empty pool behind.
        pool = pool_for(organisation_id=organisation_id, course_id=course.pk)
        pool = SeatPool.objects.select_for_update().get(pk=pool.pk)
        kind = SeatChange.Kind.GRANT if quantity > 0 else SeatChange.Kind.REMOVAL
        _pool_change(pool, quantity=quantity, kind=kind, by=by, note=note)
    return pool


@dataclass
class SeatCheckout:
    order: Order
    redirect_url: str | None


def seats_not_set_up_message() -> str:
    """What a manager who tries to buy places reads when the site takes no card payments:
    that, and whom to ask instead (the payments contact, as on the receipts)."""
    contact = payments.organisation()["contact_email"]
    if contact:
        meanwhile = gettext("Meanwhile the training team can add places for you by invoice: write to %(contact)s.") % {
            "contact": contact
        }
    else:
        meanwhile = gettext("Meanwhile the training team can add places for you by invoice: contact them.")
    return f"{SEATS_NOT_SET_UP} {meanwhile}"


def seats_buy_start(*, organisation_id: int, by, course: CoursePage, quantity: int) -> SeatCheckout:
    """A manager buys ``quantity`` seats: a payment order (amount from the server: fee ×
    seats) linked to the pool, then Stripe Checkout. The seats arrive when it is paid
    (``seats_add_for_order``, from the same fulfilment as any order)."""
    organisation = Organisation.objects.get(pk=organisation_id)
    if course.partners_only and not organisation.is_partner:
        raise OrganisationError("This course is only for partner organisations.", "course")
    order = _recent_seat_checkout(organisation_id=organisation_id, course_id=course.pk, by=by, quantity=quantity)
    if order is None:
        try:
            with transaction.atomic():
                order = payments.seat_order_create(
                    user=by, email=organisation.billing_email, course=course, quantity=quantity
                )
                # The pool is made here, in the order's transaction, not before it: when
                # payments refuses the order (no card payments set up, a total too small),
                # the pool goes with it. A pool made first stayed behind empty, and besides
                # the Seats page every read of "the courses this organisation has places
                # on" (the dashboard's courses, staff's grant form) took it for one. Hiding
                # such rows on the page alone would have left that data wrong. (An order
                # Stripe then cannot start is kept, with its pool, as payment records are:
                # ``selectors.seat_pools`` leaves a pool that never held a place off the page.)
                pool = pool_for(organisation_id=organisation_id, course_id=course.pk)
                SeatPurchase.objects.create(order=order, pool=pool, quantity=order.quantity)
        except payments.CheckoutUnavailable as error:
            # Not a problem with the number of places: said to the whole form, in a
            # manager's words (payments' own message speaks to a learner at checkout).
            raise OrganisationError(seats_not_set_up_message()) from error
        except payments.PaymentError as error:
            raise OrganisationError(error.message, "quantity") from error
    try:
        start = payments.checkout_open(order)
    except payments.PaymentError as error:
        raise OrganisationError(error.message) from error
    return SeatCheckout(order=start.order, redirect_url=start.redirect_url)


def _recent_seat_checkout(*, organisation_id: int, course_id: int, by, quantity) -> Order | None:
    """The same manager's checkout for the same seats, started in the last few minutes (a
    double click, the back button): reused, so one order and one Stripe session."""
    since = timezone.now() - SEAT_CHECKOUT_REUSE
    return (
        Order.objects.filter(
            seat_purchase__pool__organisation_id=organisation_id, seat_purchase__pool__course_id=course_id,
            user=by, quantity=quantity, status=Order.Status.PENDING, created_at__gte=since,
        )
        .order_by("-created_at")
        .first()
    )


def seats_add_for_order(*, order: Order, now: datetime | None = None) -> None:
    """A seat order was paid (payments' ``seats_paid``; the order row is locked): its
    seats join the pool, once (a unique ledger row per order)."""
    purchase = SeatPurchase.objects.filter(order=order).first()
    if purchase is None:
        payments.order_flag(order, Order.Flag.SEATS_IN_USE, "Paid for seats, but no organisation is linked: "
                            "grant the seats by hand.", alert="Seat order without an organisation")
        return
    pool = SeatPool.objects.select_for_update().get(pk=purchase.pool_id)
    if SeatChange.objects.filter(order=order, kind=SeatChange.Kind.PURCHASE).exists():
        return
    _pool_change(pool, quantity=purchase.quantity, kind=SeatChange.Kind.PURCHASE, order=order,
                 note=f"{order.reference}", now=now)


def _reserved_refunds(order: Order) -> Decimal:
    """Money refunded or on its way back (a requested refund counts: its seats are gone)."""
    return order.refunds.filter(status__in=Refund.RESERVED).aggregate(s=Sum("amount"))["s"] or Decimal("0")


def seats_sync_refund(*, order: Order, now: datetime | None = None) -> None:
    """Make the pool match what was refunded on a seat order (the order row is locked).

    Whole seats: a refund of 2 × the seat price takes 2 seats away; a failed refund gives
    them back. Only free seats are removed: if staff refund seats that learners hold, the
    order is flagged and the learners keep their places until staff decide."""
    purchase = SeatPurchase.objects.filter(order=order).first()
    if purchase is None or order.paid_at is None:
        return
    if not SeatChange.objects.filter(order=order, kind=SeatChange.Kind.PURCHASE).exists():
        return  # the seats never arrived (flagged order): nothing to take back
    unit = order.unit_amount
    target = min(purchase.quantity, int(_reserved_refunds(order) // unit)) if unit > 0 else 0
    purchase = SeatPurchase.objects.select_for_update().get(pk=purchase.pk)
    pool = SeatPool.objects.select_for_update().get(pk=purchase.pool_id)
    delta = target - purchase.refunded
    if delta == 0:
        return
    if delta < 0:  # a refund failed or was cancelled: the seats come back
        _pool_change(pool, quantity=-delta, kind=SeatChange.Kind.REFUND, order=order,
                     note=f"A refund on {order.reference} did not go through: seats given back", now=now)
        purchase.refunded = target
        purchase.save(update_fields=["refunded"])
        return
    removable = min(delta, pool.free)
    if removable:
        _pool_change(pool, quantity=-removable, kind=SeatChange.Kind.REFUND, order=order,
                     note=f"Refund on {order.reference}", now=now)
        purchase.refunded += removable
        purchase.save(update_fields=["refunded"])
    if removable < delta:
        payments.order_flag(
            order, Order.Flag.SEATS_IN_USE,
            f"{delta - removable} refunded seat(s) are held by learners, so they were not removed: release "
            "seats in the organisation or remove them by hand.",
            alert="Refunded seats are in use",
        )


def seats_refund(
    *, order_id: int, seats: int, by, reason: str = Refund.Reason.REQUESTED_BY_CUSTOMER, note: str = ""
) -> Refund:
    """Staff refund unused seats of a seat order: seat price × seats back through Stripe,
    the seats taken out of the pool in the same transaction as the refund is recorded
    (so no one can take them meanwhile). If Stripe refuses, they come back."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id, purpose=Order.Purpose.SEATS).first()
        if order is None:
            raise OrganisationError("No such seat order.")
        purchase = SeatPurchase.objects.select_for_update().get(order=order)
        pool = SeatPool.objects.select_for_update().get(pk=purchase.pool_id)
        left = purchase.quantity - purchase.refunded
        most = min(left, pool.free)
        if most < 1:
            raise OrganisationError("No seat of this order is both unrefunded and free, so none can be refunded.", "seats")
        if not 1 <= int(seats) <= most:
            raise OrganisationError(
                f"This order has {left} seat(s) not yet refunded and the organisation has {pool.free} free seat(s): "
                f"refund between 1 and {most}.", "seats"
            )
        try:
            refund = payments.refund_request(
                order_id=order.pk, amount=order.unit_amount * int(seats), by=by, reason=reason,
                note=note or f"{seats} unused seat(s)",
            )
        except payments.PaymentError as error:
            raise OrganisationError(error.message) from error
        seats_sync_refund(order=order)
    try:
        return payments.refund_submit(refund_id=refund.pk)
    except payments.PaymentError as error:
        # Refused by Stripe (the refund is now failed) or not reachable (it stays requested
        # and is sent again later): either way the pool follows what is reserved.
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order_id)
            seats_sync_refund(order=order)
            order.save()
        raise OrganisationError(error.message) from error


# --- taking and giving back seats ---------------------------------------------------------------


def _enrol_on_seat(*, user, course: CoursePage) -> Enrollment:
    """Enrol (or bring back a withdrawn enrolment) as an organisation seat."""
    return enrollment_give_place(user=user, course=course, source=Enrollment.Source.SEAT)


@dataclass
class SeatTaken:
    seat: Seat | None
    enrollment: Enrollment
    needed_seat: bool  # False: the person already had a place of their own


def seat_take(*, organisation_id: int, user, course: CoursePage, invitation=None, now: datetime | None = None) -> SeatTaken:
    """Give the person a place on the course from the organisation's seats. Call inside a
    transaction. Someone who already has a place (paid themselves, a free course) keeps
    it and uses no seat. Raises ``SeatsGone`` when every seat is taken."""
    now = _now(now)
    if not course.live:
        raise OrganisationError("This course is no longer open for enrolment. Ask your organisation about it.")
    if course.partners_only and not Organisation.objects.filter(pk=organisation_id, is_partner=True).exists():
        # Checked again here: the organisation may have lost partner status since inviting.
        raise OrganisationError("This course is only for members of partner organisations. Ask your organisation about it.")
    held = Enrollment.objects.filter(
        user=user, course=course, status__in=[Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED]
    ).first()
    if held is not None:
        return SeatTaken(seat=None, enrollment=held, needed_seat=False)
    if course.is_free:
        pool_for(organisation_id=organisation_id, course_id=course.pk)
    pool = SeatPool.objects.select_for_update().filter(organisation_id=organisation_id, course=course).first()
    if pool is not None:
        seat = Seat.objects.filter(pool=pool, user=user, released_at__isnull=True).first()
        if seat is not None:
            return SeatTaken(seat=seat, enrollment=_enrol_on_seat(user=user, course=course), needed_seat=True)
        if course.is_free and pool.used >= pool.total:
            # A free course has no limit: the place is added as it is taken, so the
            # dashboard and the ledger treat free and paid courses alike.
            _pool_change(pool, quantity=1, kind=SeatChange.Kind.GRANT, note="Free course: a place for each person", now=now)
    if pool is None or pool.used >= pool.total:
        raise SeatsGone(
            "All the places your organisation has on this course have been taken. Your invitation still "
            "works: ask the person who invited you to add a place, then open the link again."
        )
    SeatPool.objects.filter(pk=pool.pk).update(used=F("used") + 1)
    enrollment = _enrol_on_seat(user=user, course=course)
    seat = Seat.objects.create(pool=pool, user=user, enrollment=enrollment, invitation=invitation, taken_at=now)
    return SeatTaken(seat=seat, enrollment=enrollment, needed_seat=True)


def has_made_progress(enrollment: Enrollment | None) -> bool:
    """Whether the learner has started: opened a lesson or started a quiz. A seat in
    use this way is theirs; it cannot be taken back. The rule is
    ``selectors.has_started``, which the Seats page uses too (it shows no "Give the
    seat back" button for such a seat)."""
    if enrollment is None:
        return False
    return Enrollment.objects.filter(selectors.has_started(), pk=enrollment.pk).exists()


def seat_release(*, organisation_id: int, seat_id: int, by, now: datetime | None = None) -> Seat:
    """A manager gives a seat back to the pool (the wrong person accepted, someone left
    before starting). Refused once the learner has made progress."""
    now = _now(now)
    with transaction.atomic():
        seat = Seat.objects.select_for_update().filter(
            pk=seat_id, pool__organisation_id=organisation_id, released_at__isnull=True
        ).first()
        if seat is None:
            raise OrganisationError("That seat is not in use.")
        pool = SeatPool.objects.select_for_update().get(pk=seat.pool_id)
        enrollment = Enrollment.objects.select_for_update().filter(pk=seat.enrollment_id).first()
        if has_made_progress(enrollment):
            raise OrganisationError(
                "This person has started the course, so their place is theirs to keep and the seat cannot be "
                "taken back."
            )
        seat.released_at = now
        seat.released_by = by if getattr(by, "pk", None) else None
        seat.save(update_fields=["released_at", "released_by"])
        pool.used -= 1
        pool.save(update_fields=["used"])
        if enrollment is not None and enrollment.source == Enrollment.Source.SEAT:
            enrollment.status = Enrollment.Status.WITHDRAWN
            enrollment.save(update_fields=["status"])
        return seat
