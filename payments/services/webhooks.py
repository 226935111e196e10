"""Stripe events (stored once, processed once) and the reconciliation sweep."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import JSONObject
from django.utils import timezone

from .. import gateway, jobs
from ..models import Order, Refund, StripeEvent
from .base import NotYet, PaymentError, Status, logger, moment, stripe_id
from .refunds import order_dispute_closed, order_dispute_opened, order_sync_refunds, refund_submit
from .settle import order_expire, order_fulfil, order_mark_failed, order_note_intent
from .stripe_sync import order_check_with_stripe

# --- Stripe events --------------------------------------------------------------------------


def stripe_event_record(payload: dict) -> tuple[StripeEvent, bool]:
    """Store a verified event once and queue its processing; (event, created).

    A second delivery of the same event finds the first (the unique Stripe id) and
    queues nothing. The task is queued once the row is committed (a worker must find it);
    if the broker cannot be reached the event stays stored, unprocessed, and
    ``orders_reconcile`` queues it later: Stripe is still answered 200."""

    fields = dict(
        stripe_id=payload["id"], type=payload["type"], livemode=bool(payload.get("livemode")),
        api_version=str(payload.get("api_version") or "")[:64], payload=payload,
    )
    # The webhook view runs in autocommit: the INSERT is its own transaction, one round trip
    # to the database instead of BEGIN, INSERT, COMMIT (this is the hot path Stripe waits on).
    # Inside a caller's transaction, a savepoint keeps that transaction usable when the
    # unique id turns out to be a duplicate.
    in_transaction = transaction.get_connection().in_atomic_block
    try:
        with transaction.atomic() if in_transaction else nullcontext():
            event = StripeEvent.objects.create(**fields)
    except IntegrityError:
        return StripeEvent.objects.get(stripe_id=payload["id"]), False
    jobs.process_stripe_event.enqueue_on_commit(event.pk)
    return event, True


def _order_for(obj: dict) -> Order | None:
    """The order a Stripe object is about: our order id in its metadata (or the session's
    client_reference_id), else a Stripe id we stored on the order."""
    reference = str((obj.get("metadata") or {}).get("order_id") or obj.get("client_reference_id") or "")
    if reference.isdigit():
        order = Order.objects.filter(pk=int(reference)).first()
        if order is not None:
            return order
    kind = obj.get("object")
    lookups = [
        ("stripe_payment_intent_id", obj.get("id") if kind == "payment_intent" else stripe_id(obj.get("payment_intent"))),
        ("stripe_checkout_session_id", obj.get("id") if kind == "checkout.session" else ""),
        ("stripe_charge_id", obj.get("id") if kind == "charge" else stripe_id(obj.get("charge"))),
    ]
    for field, value in lookups:
        if value:
            order = Order.objects.filter(**{field: value}).first()
            if order is not None:
                return order
    return None


NO_ORDER = "no matching order: recorded, nothing given"

# Each handler acts on one kind of event about an order we hold (the order the event's
# object names: ``_order_for``) and says what it did.


def _on_session_completed(event: StripeEvent, session: dict, order: Order) -> str:
    intent_id = stripe_id(session.get("payment_intent"))
    if session.get("payment_status") == "paid":
        return order_fulfil(
            order_id=order.pk, paid_amount=int(session.get("amount_total") or 0), currency=session.get("currency") or "",
            payment_intent_id=intent_id, via=f"webhook {event.type}",
        )
    if intent_id:
        order_note_intent(order_id=order.pk, payment_intent_id=intent_id)
    return "checkout completed; payment still processing"


def _on_session_failed(event: StripeEvent, session: dict, order: Order) -> str:
    order_mark_failed(order_id=order.pk, payment_intent_id=stripe_id(session.get("payment_intent")),
                      message="The payment did not go through.")
    return "payment failed"


def _on_session_expired(event: StripeEvent, session: dict, order: Order) -> str:
    return "expired" if order_expire(order_id=order.pk) else "already settled"


def _on_intent_succeeded(event: StripeEvent, intent: dict, order: Order) -> str:
    return order_fulfil(
        order_id=order.pk, paid_amount=int(intent.get("amount_received") or intent.get("amount") or 0),
        currency=intent.get("currency") or "", payment_intent_id=intent.get("id") or "",
        charge_id=stripe_id(intent.get("latest_charge")), via=f"webhook {event.type}",
    )


def _on_intent_failed(event: StripeEvent, intent: dict, order: Order) -> str:
    message = (intent.get("last_payment_error") or {}).get("message") or "The payment was declined."
    changed = order_mark_failed(order_id=order.pk, payment_intent_id=intent.get("id") or "", message=message)
    return "payment failed" if changed else "already settled"


def _payment_recorded_first(order: Order, obj: dict) -> Order:
    """Before a refund or dispute: make sure the payment itself is recorded, asking Stripe
    if its own event has not arrived yet."""
    if order.status not in Order.OPEN:
        return order
    intent_id = obj.get("id") if obj.get("object") == "payment_intent" else stripe_id(obj.get("payment_intent"))
    if intent_id:
        order_note_intent(order_id=order.pk, payment_intent_id=intent_id)
    if gateway.is_configured():
        order_check_with_stripe(order_id=order.pk, via="refund or dispute event")
    order.refresh_from_db()
    if order.status in Order.OPEN:
        raise NotYet(f"{order.reference} has no recorded payment yet; trying again later.")
    return order


def _on_charge_refunded(event: StripeEvent, charge: dict, order: Order) -> str:
    order = _payment_recorded_first(order, charge)
    embedded = charge.get("refunds") or {}
    if isinstance(embedded, dict) and "data" in embedded and not embedded.get("has_more"):
        refunds = embedded["data"]
    else:  # newer API versions leave the refunds out of the charge
        refunds = gateway.refunds_list(stripe_id(charge.get("payment_intent")) or order.stripe_payment_intent_id)
    order_sync_refunds(order_id=order.pk, refunds=refunds)
    return f"{len(refunds)} refund(s) recorded"


def _on_refund(event: StripeEvent, refund: dict, order: Order) -> str:
    order = _payment_recorded_first(order, refund)
    order_sync_refunds(order_id=order.pk, refunds=[refund])
    return f"refund {refund.get('id')} recorded ({refund.get('status')})"


def _on_dispute_created(event: StripeEvent, dispute: dict, order: Order) -> str:
    order = _payment_recorded_first(order, dispute)
    order_dispute_opened(order_id=order.pk, dispute=dispute)
    return "dispute flagged for staff"


def _on_dispute_closed(event: StripeEvent, dispute: dict, order: Order) -> str:
    order_dispute_closed(order_id=order.pk, dispute=dispute)
    return f"dispute closed: {dispute.get('status')}"


EVENT_HANDLERS: dict[str, Callable[[StripeEvent, dict, Order], str]] = {
    "checkout.session.completed": _on_session_completed,
    "checkout.session.async_payment_succeeded": _on_session_completed,
    "checkout.session.async_payment_failed": _on_session_failed,
    "checkout.session.expired": _on_session_expired,
    "payment_intent.succeeded": _on_intent_succeeded,
    "payment_intent.payment_failed": _on_intent_failed,
    "charge.refunded": _on_charge_refunded,
    "charge.refund.updated": _on_refund,
    "refund.created": _on_refund,
    "refund.updated": _on_refund,
    "refund.failed": _on_refund,
    "charge.dispute.created": _on_dispute_created,
    "charge.dispute.closed": _on_dispute_closed,
}


def stripe_event_process(*, event_id: int, now: datetime | None = None) -> bool:
    """Act on a stored event, once; True if this call processed it.

    The event row stays locked while it is handled, so concurrent runs queue behind each
    other and the second finds it processed. An error is recorded on the event (and the
    sweeper in ``orders_reconcile`` tries again later) instead of being lost."""
    now = moment(now)
    with transaction.atomic():
        event = StripeEvent.objects.select_for_update().filter(pk=event_id).first()
        if event is None or event.processed_at is not None:
            return False
        event.attempts += 1
        handler = EVENT_HANDLERS.get(event.type)
        try:
            with transaction.atomic():
                if gateway.is_configured() and event.livemode != gateway.is_live_key():
                    order, outcome = None, "ignored: test-mode event on a live site (or the other way round)"
                elif handler is None:
                    order, outcome = None, "ignored: not an event we act on"
                else:
                    obj = event.data_object
                    order = _order_for(obj)
                    outcome = NO_ORDER if order is None else handler(event, obj, order)
        except Exception as error:  # recorded for staff and retried by the sweeper
            if isinstance(error, NotYet):
                logger.info("Stripe event %s (%s) waits: %s", event.stripe_id, event.type, error)
            else:
                logger.exception("Processing Stripe event %s (%s) failed", event.stripe_id, event.type)
            event.processing_error = f"{type(error).__name__}: {error}"[:2000]
            event.save(update_fields=["attempts", "processing_error"])
            return False
        event.processed_at = timezone.now()
        event.outcome = str(outcome)[:255]
        event.order = order
        event.processing_error = ""
        event.save(update_fields=["attempts", "processed_at", "outcome", "order", "processing_error"])
        return True


def stripe_events_prune(*, now: datetime | None = None, batch: int = 1000) -> int:
    """Blank the bodies of events processed more than ``PAYMENTS_EVENT_PAYLOAD_DAYS`` ago;
    returns how many. Each keeps its row, Stripe id and type (a late re-delivery is still a
    duplicate; the order's history still lists it) and its outcome; the payer's details go.
    Events never processed keep their body: staff may need it, and the sweeper retries them.
    In batches, each its own short transaction; running it again finds nothing to do."""
    now = moment(now)
    cutoff = now - timedelta(days=int(settings.PAYMENTS_EVENT_PAYLOAD_DAYS))
    pruned_body = JSONObject(id=F("stripe_id"), type=F("type"), pruned_at=Value(now.isoformat()))
    total = 0
    while True:
        ids = list(
            StripeEvent.objects.filter(processed_at__lt=cutoff)
            .exclude(payload__has_key="pruned_at")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return total
        total += StripeEvent.objects.filter(pk__in=ids).update(payload=pruned_body)


# --- reconciliation -------------------------------------------------------------------------


def orders_reconcile(*, now: datetime | None = None, limit: int = 100) -> dict:
    """The periodic sweep: ask Stripe about orders left open (their webhook never came),
    and re-queue work a lost message stranded (events, receipts, refunds, refund emails)."""

    now = moment(now)
    after = timedelta(minutes=int(settings.PAYMENTS_RECONCILE_AFTER_MINUTES))
    summary = {"checked": 0, "settled": 0, "errors": 0, "events": 0, "receipts": 0, "refunds": 0}
    if gateway.is_configured():
        open_orders = (
            Order.objects.filter(status__in=Order.OPEN, created_at__lte=now - after)
            .filter(Q(last_checked_at__isnull=True) | Q(last_checked_at__lte=now - after))
            .exclude(stripe_checkout_session_id="", stripe_payment_intent_id="", status=Status.FAILED)
            .order_by("created_at")
            .values_list("pk", flat=True)[:limit]
        )
        for order_id in list(open_orders):
            summary["checked"] += 1
            try:
                status = order_check_with_stripe(order_id=order_id, via="reconciliation", now=now)
            except gateway.GatewayError:
                summary["errors"] += 1
                continue
            if status not in Order.OPEN:
                summary["settled"] += 1
        for refund_id in Refund.objects.filter(
            status=Refund.Status.REQUESTED, created_at__lte=now - timedelta(minutes=5)
        ).values_list("pk", flat=True)[:limit]:
            try:
                refund_submit(refund_id=refund_id)
                summary["refunds"] += 1
            except PaymentError:
                summary["errors"] += 1
    stuck = StripeEvent.objects.filter(
        processed_at__isnull=True, received_at__lte=now - timedelta(minutes=2),
        attempts__lt=int(settings.PAYMENTS_EVENT_MAX_ATTEMPTS),
    ).values_list("pk", flat=True)[:limit]
    for event_id in stuck:
        jobs.process_stripe_event.enqueue(event_id)
        summary["events"] += 1
    for order_id in Order.objects.filter(
        receipt_queued_at__lte=now - timedelta(minutes=10), receipt_sent_at__isnull=True, status__in=Order.WITH_RECEIPT
    ).values_list("pk", flat=True)[:limit]:
        jobs.receipt_email.enqueue(order_id)
        summary["receipts"] += 1
    for refund_id in Refund.objects.filter(
        notify_queued_at__lte=now - timedelta(minutes=10), notified_at__isnull=True, status__in=Refund.COUNTED
    ).values_list("pk", flat=True)[:limit]:
        jobs.refund_email.enqueue(refund_id)
    return summary
