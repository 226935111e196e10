"""Refunds (staff's and Stripe dashboard's) and disputes: what was refunded is recomputed from the refund rows."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext

from accounts.models import User

from .. import events, gateway, jobs, money
from ..models import ZERO, Order, Refund
from ..selectors import order_refundable
from .base import Flag, NotYet, PaymentError, Status, moment
from .settle import order_alert_staff, order_end_access, order_flag, order_grant_access

# --- refunds --------------------------------------------------------------------------------


def refund_idempotency_key(order: Order, n: int) -> str:
    return f"order-{order.pk}-refund-{n}"


def order_refund(
    *, order_id: int, amount: Decimal | None, by: User | None, reason: str = "", note: str = "",
    now: datetime | None = None,
) -> Refund:
    """Refund ``amount`` (None: everything left) of a paid order through Stripe.

    The refund row is written first (its idempotency key ``order-<id>-refund-<n>``), then
    Stripe is asked without any lock held. A full refund ends the learner's place when
    ``PAYMENTS_FULL_REFUND_ENDS_ACCESS``; the learner is emailed."""
    with transaction.atomic():
        refund = refund_request(order_id=order_id, amount=amount, by=by, reason=reason, note=note, now=now)
    return refund_submit(refund_id=refund.pk)


def refund_request(
    *, order_id: int, amount: Decimal | None, by: User | None, reason: str = "", note: str = "",
    now: datetime | None = None,
) -> Refund:
    """Record a refund to send (the first half of ``order_refund``), inside the caller's
    transaction: organisations take seats away in the same one. Then ``refund_submit``."""
    now = moment(now)
    order = Order.objects.select_for_update().filter(pk=order_id).first()
    if order is None:
        raise PaymentError(gettext("No such order."))
    if order.status not in (*Order.HOLDS_PLACE, Status.NEEDS_ATTENTION) or not order.amount_paid:
        raise PaymentError(gettext("Only an order with money paid can be refunded."))
    if not order.stripe_payment_intent_id:
        raise PaymentError(gettext("This order has no Stripe payment to refund."))
    refundable = order_refundable(order=order)
    amount = refundable if amount is None else money.rounded(Decimal(amount), order.currency)
    if refundable <= 0:
        raise PaymentError(gettext("This order has been refunded in full already (or refunds are on their way)."))
    if amount <= 0 or amount > refundable:
        raise PaymentError(gettext("Enter an amount between %(minimum)s and %(maximum)s.") % {
            "minimum": money.display(money.quantum(order.currency), order.currency),
            "maximum": money.display(refundable, order.currency),
        })
    n = order.refunds.count() + 1
    return Refund.objects.create(
        order=order, amount=amount, currency=order.currency, status=Refund.Status.REQUESTED,
        source=Refund.Source.STAFF, idempotency_key=refund_idempotency_key(order, n),
        reason=reason, note=note, by=by if getattr(by, "pk", None) else None, created_at=now,
    )


def refund_submit(*, refund_id: int) -> Refund:
    """Send a requested refund to Stripe (again: the same idempotency key, so at most once)."""
    refund = Refund.objects.select_related("order").get(pk=refund_id)
    if refund.status != Refund.Status.REQUESTED:
        return refund
    order = refund.order
    try:
        data = gateway.refund_create(
            payment_intent_id=order.stripe_payment_intent_id,
            amount_minor=money.to_minor(refund.amount, refund.currency),
            # Stripe's own ``reason`` takes only three values (and localstripe none): ours goes in metadata.
            metadata={"order_id": str(order.pk), "refund_id": str(refund.pk), "reason": refund.reason or "other"},
            idempotency_key=refund.idempotency_key,
        )
    except gateway.GatewayError as error:
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order.pk)
            refund = Refund.objects.select_for_update().get(pk=refund_id)
            refund.error = error.message[:2000]
            if not error.transient and refund.status == Refund.Status.REQUESTED:
                refund.status = Refund.Status.FAILED
            refund.save()
        if error.transient:
            raise PaymentError(gettext(
                "Stripe could not be reached. The refund is recorded and will be sent again automatically; "
                "nothing is refunded twice."
            )) from error
        raise PaymentError(gettext("Stripe refused the refund: %(error)s") % {"error": error.message}) from error
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        _refund_upsert(order, data)
        _order_apply_refunds(order)
    return Refund.objects.get(pk=refund_id)


REFUND_STATUS = {
    "pending": Refund.Status.PENDING, "succeeded": Refund.Status.SUCCEEDED, "failed": Refund.Status.FAILED,
    "canceled": Refund.Status.CANCELED, "requires_action": Refund.Status.REQUIRES_ACTION,
}


def _refund_upsert(order: Order, data: dict) -> Refund:
    """Record one Stripe refund (ours, or made in the dashboard) exactly once. Caller
    holds the order lock, so two deliveries of the same refund queue behind each other."""
    stripe_id = data["id"]
    refund = Refund.objects.filter(stripe_refund_id=stripe_id).first()
    if refund is None:
        local_id = str((data.get("metadata") or {}).get("refund_id") or "")
        if local_id.isdigit():
            refund = Refund.objects.filter(pk=int(local_id), order=order, stripe_refund_id__isnull=True).first()
    if refund is None:
        refund = Refund(order=order, currency=order.currency, source=Refund.Source.STRIPE, note="Made in Stripe.")
        reason = data.get("reason") or ""
        refund.reason = reason if reason in Refund.Reason.values else (Refund.Reason.OTHER if reason else "")
    if refund.order_id != order.pk:
        raise PaymentError(f"Refund {stripe_id} belongs to another order.")
    refund.stripe_refund_id = stripe_id
    refund.amount = money.from_minor(int(data["amount"]), (data.get("currency") or order.currency))
    refund.status = REFUND_STATUS.get(data.get("status") or "succeeded", Refund.Status.PENDING)
    if refund.status == Refund.Status.FAILED:
        refund.error = data.get("failure_reason") or refund.error or "Stripe could not return the money."
    refund.save()
    return refund


def _settled_status(order: Order) -> str:
    paid = order.amount_paid or ZERO
    if paid > 0 and order.amount_refunded >= paid:
        return Status.REFUNDED
    if order.amount_refunded > 0:
        return Status.PARTIALLY_REFUNDED
    return Status.PAID


def _order_apply_refunds(order: Order, now: datetime | None = None) -> None:
    """Recompute what was refunded from the refund rows (never by adding, so nothing is
    counted twice), then the status, the learner's place and the emails. Caller holds the lock."""

    now = moment(now)
    if order.status in Order.OPEN or order.status == Status.EXPIRED:
        raise NotYet(f"{order.reference} has no recorded payment yet.")
    counted = order.refunds.filter(status__in=Refund.COUNTED).aggregate(s=Sum("amount"))["s"] or ZERO
    paid = order.amount_paid or ZERO
    if counted > paid:
        order_flag(order, Flag.REFUND_FAILED, f"Stripe reports {money.display(counted, order.currency)} refunded, "
              f"more than the {money.display(paid, order.currency)} paid.", now=now)
        counted = paid
    if order.refunds.filter(status=Refund.Status.FAILED).exists() and Flag.REFUND_FAILED not in order.flags:
        order_flag(order, Flag.REFUND_FAILED, "A refund failed in Stripe: see the refunds below.", now=now)
    before = order.status
    order.amount_refunded = counted
    if before == Status.NEEDS_ATTENTION:
        if paid > 0 and counted >= paid:
            order.status = Status.REFUNDED
    elif before != Status.DISPUTED:
        order.status = _settled_status(order)
    if order.status == Status.REFUNDED and before != Status.REFUNDED:
        order.closed_at = now
        if settings.PAYMENTS_FULL_REFUND_ENDS_ACCESS and before != Status.NEEDS_ATTENTION and not order.is_seats:
            order_end_access(order)
    if order.is_seats:
        events.seats_refunded.send(sender=Order, order=order)
    try:
        with transaction.atomic():
            order.save()
    except IntegrityError:  # back to paid (a refund failed) while a newer order holds the place
        order.status = Status.NEEDS_ATTENTION
        order_flag(order, Flag.REFUND_FAILED, "A refund failed after the learner bought a new place.", now=now)
        order.save()
    if before == Status.REFUNDED and order.status in Order.HOLDS_PLACE and order.user_id and not order.is_seats:
        order_grant_access(order)  # the refund failed: the place comes back
    for refund in order.refunds.filter(status__in=Refund.COUNTED, notify_queued_at__isnull=True):
        Refund.objects.filter(pk=refund.pk).update(notify_queued_at=now)
        jobs.refund_email.enqueue_on_commit(refund.pk)


def order_sync_refunds(*, order_id: int, refunds: list[dict]) -> int:
    """Record refunds Stripe told us about (events, or a list fetched from Stripe)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is None:
            return 0
        for data in refunds:
            _refund_upsert(order, data)
        _order_apply_refunds(order)
        return len(refunds)


# --- disputes -------------------------------------------------------------------------------


def order_dispute_opened(*, order_id: int, dispute: dict, now: datetime | None = None) -> bool:
    now = moment(now)
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is None:
            return False
        amount = money.display(money.from_minor(int(dispute.get("amount") or 0), dispute.get("currency") or order.currency), order.currency)
        order_flag(order, Flag.DISPUTE, f"Dispute {dispute.get('id')} opened for {amount} "
              f"(reason: {dispute.get('reason') or 'not given'}). Answer it in Stripe.", now=now)
        if order.status in Order.HOLDS_PLACE:
            order.status = Status.DISPUTED
        order.save()
        order_alert_staff(order, gettext("A payment is disputed"))
        return True


def order_dispute_closed(*, order_id: int, dispute: dict, now: datetime | None = None) -> bool:
    now = moment(now)
    outcome = dispute.get("status") or ""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is None:
            return False
        if outcome == "lost":
            order_flag(order, Flag.DISPUTE_LOST, f"Dispute {dispute.get('id')} lost: the money went back to the card holder.", now=now)
            order.save()
            order_alert_staff(order, gettext("A dispute was lost"))
            return True
        order_flag(order, Flag.DISPUTE, f"Dispute {dispute.get('id')} closed: {outcome or 'closed'}.", now=now)
        if order.status == Status.DISPUTED:
            order.status = _settled_status(order)
            try:
                with transaction.atomic():
                    order.save()
            except IntegrityError:
                order.status = Status.NEEDS_ATTENTION
                order.save()
        else:
            order.save()
        return True
