"""Writes about seats bought through payments: starting a manager's checkout for N seats,
adding them when the order is paid, and keeping the pool in step with refunds (from
Stripe, or staff refunding unused seats)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from accounts.models import User
from courses.models import CoursePage
from payments import services as payments
from payments.models import Order, Refund

from .. import selectors
from ..errors import OrganisationError
from ..models import Organisation, SeatChange, SeatPool, SeatPurchase
from .seats import pool_change, pool_for

# Said to a manager when the site takes no card payments (``make demo``). Payments' own
# message (``NOT_SET_UP``) is written for a learner at checkout, with a scholarship code
# and "you are enrolled", neither of which is true of a manager buying places.
# The buy form is shown all the same, so the flow can be tried (the demo has no keys).
SEATS_NOT_SET_UP = gettext_lazy(
    "Card payment needs Stripe keys, and none are set on this site, so places cannot be bought online at the moment."
)


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


def seats_buy_start(*, organisation_id: int, by: User, course: CoursePage, quantity: int) -> SeatCheckout:
    """A manager buys ``quantity`` seats: a payment order (amount from the server: fee ×
    seats) linked to the pool, then Stripe Checkout. The seats arrive when it is paid
    (``seats_add_for_order``, from the same fulfilment as any order)."""
    organisation = Organisation.objects.get(pk=organisation_id)
    if course.partners_only and not organisation.is_partner:
        raise OrganisationError(gettext("This course is only for partner organisations."), "course")
    order = selectors.recent_seat_checkout(organisation_id=organisation_id, course_id=course.pk, by=by, quantity=quantity)
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


def seats_add_for_order(*, order: Order, now: datetime | None = None) -> None:
    """A seat order was paid (payments' ``seats_paid``; the order row is locked): its
    seats join the pool, once (a unique ledger row per order)."""
    purchase = SeatPurchase.objects.filter(order=order).first()
    if purchase is None:
        payments.order_flag(order, Order.Flag.SEATS_IN_USE, "Paid for seats, but no organisation is linked: "
                            "grant the seats by hand.", alert=gettext("Seat order without an organisation"))
        return
    pool = SeatPool.objects.select_for_update().get(pk=purchase.pool_id)
    if SeatChange.objects.filter(order=order, kind=SeatChange.Kind.PURCHASE).exists():
        return
    pool_change(pool, quantity=purchase.quantity, kind=SeatChange.Kind.PURCHASE, order=order,
                note=f"{order.reference}", now=now)


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
    target = min(purchase.quantity, int(selectors.refunds_reserved(order) // unit)) if unit > 0 else 0
    purchase = SeatPurchase.objects.select_for_update().get(pk=purchase.pk)
    pool = SeatPool.objects.select_for_update().get(pk=purchase.pool_id)
    delta = target - purchase.refunded
    if delta == 0:
        return
    if delta < 0:  # a refund failed or was cancelled: the seats come back
        pool_change(pool, quantity=-delta, kind=SeatChange.Kind.REFUND, order=order,
                    note=f"A refund on {order.reference} did not go through: seats given back", now=now)
        purchase.refunded = target
        purchase.save(update_fields=["refunded"])
        return
    removable = min(delta, pool.free)
    if removable:
        pool_change(pool, quantity=-removable, kind=SeatChange.Kind.REFUND, order=order,
                    note=f"Refund on {order.reference}", now=now)
        purchase.refunded += removable
        purchase.save(update_fields=["refunded"])
    if removable < delta:
        payments.order_flag(
            order, Order.Flag.SEATS_IN_USE,
            f"{delta - removable} refunded seat(s) are held by learners, so they were not removed: release "
            "seats in the organisation or remove them by hand.",
            alert=gettext("Refunded seats are in use"),
        )


def seats_refund(
    *, order_id: int, seats: int, by: User, reason: str = Refund.Reason.REQUESTED_BY_CUSTOMER, note: str = ""
) -> Refund:
    """Staff refund unused seats of a seat order: seat price × seats back through Stripe,
    the seats taken out of the pool in the same transaction as the refund is recorded
    (so no one can take them meanwhile). If Stripe refuses, they come back."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id, purpose=Order.Purpose.SEATS).first()
        if order is None:
            raise OrganisationError(gettext("No such seat order."))
        purchase = SeatPurchase.objects.select_for_update().get(order=order)
        pool = SeatPool.objects.select_for_update().get(pk=purchase.pool_id)
        left = purchase.quantity - purchase.refunded
        most = min(left, pool.free)
        if most < 1:
            raise OrganisationError(gettext("No seat of this order is both unrefunded and free, so none can be refunded."), "seats")
        if not 1 <= int(seats) <= most:
            raise OrganisationError(
                gettext(
                    "This order has %(left)s seat(s) not yet refunded and the organisation has %(free)s free seat(s): "
                    "refund between 1 and %(most)s."
                ) % {"left": left, "free": pool.free, "most": most},
                "seats",
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
