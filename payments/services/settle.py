"""Settling an order: marking it paid (once, under its row lock), giving or ending access, expiring and failing."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext

from courses.models import Enrollment
from courses.services import enrollment_give_place

from .. import events, jobs, money
from ..models import DiscountCode, Order
from .base import Flag, Status, logger, moment

# --- settling an order ----------------------------------------------------------------------


class Fulfilment:
    FULFILLED = "fulfilled"
    ALREADY = "already settled"
    MISMATCH = "amount mismatch: flagged, no access"
    DUPLICATE = "learner already had a paid place: flagged"
    SECOND_PAYMENT = "second payment for a paid order: flagged"
    NOT_FOUND = "no such order"
    FLAGGED = "order needs attention: left for staff"


def _flag(order: Order, flag: str, note: str, now: datetime) -> None:
    if flag not in order.flags:
        order.flags = [*order.flags, flag]
    stamp = timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
    order.attention_note = f"{order.attention_note}\n{stamp} {note}".strip()


def order_flag(order: Order, flag: str, note: str, *, alert: str = "", now: datetime | None = None) -> None:
    """For apps building on payments: note why staff should look at a locked order (the
    caller saves it) and, with ``alert``, email staff once the transaction commits."""
    _flag(order, flag, note, moment(now))
    if alert:
        order_alert_staff(order, alert)


def order_alert_staff(order: Order, subject: str) -> None:
    """Log why an order needs staff and, with ``PAYMENTS_STAFF_EMAILS`` set, email them once
    the transaction commits."""
    logger.warning("Payments: %s (%s)", subject, order.reference)
    if settings.PAYMENTS_STAFF_EMAILS:
        jobs.staff_alert.enqueue_on_commit(order.pk, subject)


def order_grant_access(order: Order) -> Enrollment | None:
    """Enrol the learner (or give back a place a refund took away). Caller holds the order
    lock. Paid for, then unpublished meanwhile: the learner keeps what they paid for."""
    source = Enrollment.Source.PAID if order.course_amount > 0 else Enrollment.Source.WAIVER
    return enrollment_give_place(user=order.user, course=order.course, source=source)


def order_end_access(order: Order) -> None:
    """Withdraw the learner from the course (a full refund). Caller holds the order lock."""
    enrollment = order.enrollment or Enrollment.objects.filter(user_id=order.user_id, course_id=order.course_id).first()
    if enrollment is not None and enrollment.status != Enrollment.Status.WITHDRAWN:
        Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.WITHDRAWN)


def _reserve_code_again(order: Order, now: datetime) -> None:
    """An order paid after it expired (and gave its code use back) takes the use again."""
    if order.discount_code_id is None or order.discount_reserved:
        return
    taken = DiscountCode.objects.filter(
        Q(max_uses__isnull=True) | Q(uses__lt=F("max_uses")), pk=order.discount_code_id
    ).update(uses=F("uses") + 1)
    if taken:
        order.discount_reserved = True
    else:
        _flag(order, Flag.CODE_OVERUSED, f"Paid after code {order.discount_code_text} was used up elsewhere.", now)


def order_settle_paid(
    order: Order, *, amount_paid: Decimal, payment_intent_id: str = "", charge_id: str = "",
    now: datetime, via: str = "",
) -> str:
    """Mark a locked, open order paid, enrol, queue the receipt once (the caller holds
    the order's row lock: ``order_fulfil``, or a zero-amount checkout)."""
    if order.user_id is None:
        order.status = Status.NEEDS_ATTENTION
        order.amount_paid = amount_paid
        order.stripe_payment_intent_id = order.stripe_payment_intent_id or payment_intent_id
        _flag(order, Flag.NO_LEARNER, "Paid, but the learner's account was deleted: refund it.", now)
        order.save()
        order_alert_staff(order, gettext("Payment for a deleted account"))
        return Fulfilment.FLAGGED
    if order.status == Status.EXPIRED:
        _reserve_code_again(order, now)
    order.status = Status.PAID
    order.amount_paid = amount_paid
    order.paid_at = now
    if payment_intent_id:
        order.stripe_payment_intent_id = payment_intent_id
    if charge_id:
        order.stripe_charge_id = charge_id
    try:
        with transaction.atomic():
            order.save()
    except IntegrityError:
        # Another order of this learner for this course is paid (two tabs, two payments).
        order.refresh_from_db()
        order.status = Status.NEEDS_ATTENTION
        order.amount_paid = amount_paid
        if payment_intent_id and not Order.objects.filter(stripe_payment_intent_id=payment_intent_id).exists():
            order.stripe_payment_intent_id = payment_intent_id
        _flag(order, Flag.DUPLICATE_PURCHASE, f"Paid {order.display('amount_paid')} ({via}) but the learner already "
              "had a paid place on this course: refund this order.", now)
        order.save()
        order_alert_staff(order, gettext("Duplicate payment for a course"))
        return Fulfilment.DUPLICATE
    if order.is_seats:
        events.seats_paid.send(sender=Order, order=order)
    else:
        order.enrollment = order_grant_access(order)
    if order.receipt_queued_at is None:
        order.receipt_queued_at = now
        jobs.receipt_email.enqueue_on_commit(order.pk)
    order.save(update_fields=["enrollment", "receipt_queued_at", "updated_at"])
    return Fulfilment.FULFILLED


def order_fulfil(
    *, order_id: int, paid_amount: int, currency: str, payment_intent_id: str = "", charge_id: str = "",
    via: str = "", now: datetime | None = None,
) -> str:
    """Settle an order Stripe says is paid: ``paid_amount`` in the currency's smallest unit.

    Idempotent and safe to run concurrently (the order row is locked): the first call
    enrols and queues the receipt; later ones change nothing. A payment that does not
    match the order's total and currency gives no access and flags the order.
    """
    now = moment(now)
    with transaction.atomic():
        order = Order.objects.select_for_update(of=("self",)).select_related("user", "course").filter(pk=order_id).first()
        if order is None:
            return Fulfilment.NOT_FOUND
        if order.status in (*Order.HOLDS_PLACE, Status.REFUNDED):
            if payment_intent_id and order.stripe_payment_intent_id and payment_intent_id != order.stripe_payment_intent_id:
                _flag(order, Flag.SECOND_PAYMENT, f"A second payment {payment_intent_id} was made ({via}): refund it in Stripe.", now)
                order.save()
                order_alert_staff(order, gettext("Second payment for an order"))
                return Fulfilment.SECOND_PAYMENT
            return Fulfilment.ALREADY
        if order.status == Status.NEEDS_ATTENTION:
            return Fulfilment.FLAGGED
        currency = (currency or "").upper()
        expected = money.to_minor(order.total_amount, order.currency)
        if currency != order.currency or int(paid_amount) != expected:
            reported = f"{paid_amount} {currency or '?'} (smallest unit)"
            order.status = Status.NEEDS_ATTENTION
            if currency == order.currency:
                order.amount_paid = money.from_minor(int(paid_amount), currency)
            if payment_intent_id and not Order.objects.filter(stripe_payment_intent_id=payment_intent_id).exclude(pk=order.pk).exists():
                order.stripe_payment_intent_id = payment_intent_id
            _flag(order, Flag.AMOUNT_MISMATCH, f"Stripe reported {reported} ({via}); the order is for "
                  f"{expected} {order.currency}. No access given: check and refund or enrol by hand.", now)
            order.save()
            order_alert_staff(order, gettext("Paid amount does not match the order"))
            return Fulfilment.MISMATCH
        return order_settle_paid(
            order, amount_paid=order.total_amount, payment_intent_id=payment_intent_id, charge_id=charge_id, now=now, via=via
        )


def _release_code(order: Order) -> None:
    if order.discount_reserved and order.discount_code_id:
        DiscountCode.objects.filter(pk=order.discount_code_id, uses__gt=0).update(uses=F("uses") - 1)
        order.discount_reserved = False


def order_expire(*, order_id: int, now: datetime | None = None) -> bool:
    """An unpaid order's checkout ended: close it and give its code use back."""
    now = moment(now)
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id, status__in=Order.OPEN).first()
        if order is None:
            return False
        order.status = Status.EXPIRED
        order.closed_at = now
        _release_code(order)
        order.save()
        return True


def order_abandon(*, order_id: int, reason: str) -> None:
    """Checkout never started (Stripe unreachable): the order fails and frees its code."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id, status=Status.PENDING).first()
        if order is None or order.stripe_checkout_session_id:
            return
        order.status = Status.FAILED
        order.closed_at = timezone.now()
        order.last_payment_error = reason[:500]
        _release_code(order)
        order.save()


def order_mark_failed(*, order_id: int, payment_intent_id: str = "", message: str = "") -> bool:
    """A payment attempt failed. The Checkout Session stays open for another try, so the
    order may still be paid (then ``order_fulfil`` settles it)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id, status__in=Order.OPEN).first()
        if order is None:
            return False
        order.status = Status.FAILED
        order.last_payment_error = (message or "The payment was declined.")[:500]
        _note_intent(order, payment_intent_id)
        order.save()
        return True


def _note_intent(order: Order, payment_intent_id: str) -> None:
    if payment_intent_id and not order.stripe_payment_intent_id:
        if not Order.objects.filter(stripe_payment_intent_id=payment_intent_id).exists():
            order.stripe_payment_intent_id = payment_intent_id


def order_note_intent(*, order_id: int, payment_intent_id: str) -> None:
    """Remember the PaymentIntent of an open order (reconciliation asks Stripe about it)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is not None and not order.stripe_payment_intent_id:
            _note_intent(order, payment_intent_id)
            order.save(update_fields=["stripe_payment_intent_id", "updated_at"])
