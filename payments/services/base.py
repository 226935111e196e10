"""Shared by the payment services: errors safe to show, small helpers, Stripe's minimum charges, and flags for staff."""
from __future__ import annotations

import logging
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from ..models import Order


logger = logging.getLogger("payments.services")
Status = Order.Status
Flag = Order.Flag

NOT_SET_UP = (
    "Online card payment is not set up on this site yet, so this fee cannot be paid here. "
    "To get a place, write to us (see below): we can take payment another way or arrange a fee "
    "waiver. If you have a scholarship code that covers the whole fee, enter it and you are "
    "enrolled at once."
)
# Stripe's smallest charge per currency (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts).
MINIMUM_CHARGE = {
    "USD": Decimal("0.50"), "EUR": Decimal("0.50"), "GBP": Decimal("0.30"), "CAD": Decimal("0.50"),
    "AUD": Decimal("0.50"), "NZD": Decimal("0.50"), "CHF": Decimal("0.50"), "JPY": Decimal("50"),
}


class PaymentError(Exception):
    """A request we refuse; ``message`` is safe to show, ``field`` names the form field."""

    field: str | None = None

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CodeError(PaymentError):
    field = "discount_code"


class DonationError(PaymentError):
    field = "donation_custom"


class CheckoutUnavailable(PaymentError):
    pass


class NotYet(Exception):
    """The event is about a payment we have not recorded yet (events out of order): it
    stays unprocessed and the sweep in ``orders_reconcile`` tries it again."""


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def _id(value) -> str:
    """A Stripe reference that may be an id or an expanded object."""
    if isinstance(value, dict):
        return value.get("id") or ""
    return value or ""
