"""A buyer back from Stripe Checkout: the order is settled at once, not when the webhook comes."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .. import gateway
from ..models import Order
from .base import logger
from .stripe_sync import order_check_with_stripe

# The waiting page reloads itself: Stripe is asked about one order at most this often.
RETURN_CHECK_EVERY = timedelta(seconds=3)


def order_check_on_return(*, order: Order, session_id_hint: str, via: str) -> bool:
    """Ask Stripe about an open order whose buyer has just come back (or whose waiting page
    reloaded) and settle it (``order_check_with_stripe``), unless it was asked moments ago.
    Stripe out of reach is logged, not raised: the webhook or reconciliation settles the
    order later. Returns whether Stripe was asked, after which the order is read again."""
    recently = order.last_checked_at and timezone.now() - order.last_checked_at < RETURN_CHECK_EVERY
    if order.status not in Order.OPEN or recently:
        return False
    try:
        order_check_with_stripe(order_id=order.pk, session_id_hint=session_id_hint[:255], via=via)
    except gateway.GatewayError:
        logger.warning("Could not ask Stripe about %s from the %s", order.reference, via)
    return True
