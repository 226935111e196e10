"""Asking Stripe about an order (the success page and reconciliation) and settling it through the same services."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .. import gateway
from ..models import Order
from .base import logger, moment, stripe_id
from .settle import order_fulfil, order_expire, order_mark_failed, order_note_intent
from .checkout import checkout_expires_at

# --- asking Stripe (success page, reconciliation) -------------------------------------------


def order_check_with_stripe(*, order_id: int, session_id_hint: str = "", via: str = "check", now: datetime | None = None) -> str:
    """Ask Stripe about an open order and settle it: the Checkout Session first (by the id
    we stored, or the one on the success URL if we have none, trusted only when Stripe
    says it belongs to this order), then its PaymentIntent. Returns the order's status.

    Raises ``gateway.GatewayError`` if Stripe cannot be asked."""
    now = moment(now)
    grace = timedelta(minutes=int(settings.PAYMENTS_RECONCILE_AFTER_MINUTES))
    order = Order.objects.get(pk=order_id)
    if order.status not in Order.OPEN:
        return order.status
    Order.objects.filter(pk=order.pk).update(last_checked_at=now)
    session_id = order.stripe_checkout_session_id or session_id_hint
    session = gateway.checkout_session_retrieve(session_id) if session_id else None
    if session is not None and str((session.get("metadata") or {}).get("order_id")) == str(order.pk):
        if not order.stripe_checkout_session_id:
            Order.objects.filter(pk=order.pk, stripe_checkout_session_id="").update(stripe_checkout_session_id=session["id"])
        intent_id = stripe_id(session.get("payment_intent"))
        if session.get("payment_status") == "paid":
            order_fulfil(
                order_id=order.pk, paid_amount=session["amount_total"], currency=session["currency"],
                payment_intent_id=intent_id, via=via, now=now,
            )
        elif session.get("status") == "expired":
            order_expire(order_id=order.pk, now=now)
        elif intent_id:
            order_note_intent(order_id=order.pk, payment_intent_id=intent_id)
        return Order.objects.values_list("status", flat=True).get(pk=order.pk)

    if order.stripe_payment_intent_id:
        intent = gateway.payment_intent_retrieve(order.stripe_payment_intent_id)
        if intent is not None and str((intent.get("metadata") or {}).get("order_id")) == str(order.pk):
            if intent.get("status") == "succeeded":
                order_fulfil(
                    order_id=order.pk, paid_amount=intent.get("amount_received") or intent["amount"],
                    currency=intent["currency"], payment_intent_id=intent["id"],
                    charge_id=stripe_id(intent.get("latest_charge")), via=via, now=now,
                )
            elif intent.get("status") == "canceled":
                order_expire(order_id=order.pk, now=now)
            elif intent.get("status") != "processing" and now > checkout_expires_at(order) + grace:
                order_expire(order_id=order.pk, now=now)  # its checkout ended long ago, unpaid
            elif intent.get("last_payment_error"):
                order_mark_failed(
                    order_id=order.pk, payment_intent_id=intent["id"],
                    message=(intent.get("last_payment_error") or {}).get("message", ""),
                )
            return Order.objects.values_list("status", flat=True).get(pk=order.pk)

    if session is None and now > checkout_expires_at(order) + grace:
        # Stripe knows no payment for it and its checkout has long ended.
        order_expire(order_id=order.pk, now=now)
    return Order.objects.values_list("status", flat=True).get(pk=order.pk)


# A page the buyer waits on reloads itself every few seconds: Stripe is asked no more often.
RECHECK_AFTER = timedelta(seconds=3)


def order_check_for_page(*, order: Order, session_id_hint: str = "", via: str) -> bool:
    """From a page the buyer waits on (back from Stripe, or reloading itself): ask Stripe
    about an open order at once rather than wait for the webhook, at most every
    ``RECHECK_AFTER`` per order, and settle it (``order_check_with_stripe``). True if Stripe
    was asked: the caller reads the order again. A Stripe that cannot be reached is logged
    and the page shows the order as it stands."""
    recently = order.last_checked_at and timezone.now() - order.last_checked_at < RECHECK_AFTER
    if order.status not in Order.OPEN or recently:
        return False
    try:
        order_check_with_stripe(order_id=order.pk, session_id_hint=session_id_hint[:255], via=via)
    except gateway.GatewayError:
        logger.warning("Could not ask Stripe about %s from the %s", order.reference, via)
    return True
