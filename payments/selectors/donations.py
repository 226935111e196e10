"""The donations checkout offers in a currency: up to three suggested amounts, and the
smallest and largest gift taken online. The same bounds are checked on the server
(``services.donation_clean``), whatever the browser sends.

In order, for a currency:

1. what staff set for it in the admin (``DonationAmounts``: *Payments → Donation amounts*);
2. the site's defaults, ``PAYMENTS_DONATION_PRESETS`` / ``_MIN`` / ``_MAX`` (5, 10, 25;
   1; 1000), which are amounts in US dollars and in currencies worth about as much
   (EUR, GBP, CAD, AUD, ...), times ``SCALE`` for the common currencies whose unit is
   worth much less (100 MXN, not 5; 500 JPY, not 5);
3. for any other currency, the amounts of the course's main currency (by 1 or 2) scaled
   by the course's own fees, which staff set: a course of 40 USD and 600,000 IDR
   (15,000 to one, taken as 20,000) suggests 100,000, 200,000 and 500,000 IDR. Without a fee to compare, the defaults
   as they are.

The factor of a scaling is a round one (1, 2 or 5 times a power of ten), so round amounts
stay round, and amounts are in the currency's smallest unit (whole yen); the smallest
donation is never below what
Stripe can charge in the currency, the largest never above what it can take, and a
suggestion outside the two is dropped.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings

from courses.models import CoursePage

from .. import currencies, money
from ..models import DonationAmounts
from .fees import course_fees

# Roughly how many units of the currency give what one unit of the defaults does (a US
# dollar), on the same round steps so that amounts stay round. Kept coarse on purpose:
# suggestions need the right size, not an exchange rate; staff set exact ones in the admin.
SCALE = {
    "USD": 1, "EUR": 1, "GBP": 1, "CAD": 1, "AUD": 1, "NZD": 1, "CHF": 1,
    "DKK": 10, "NOK": 10, "SEK": 10, "MXN": 20, "JPY": 100, "KRW": 1000,
}
ROUND_STEPS = (Decimal("1"), Decimal("2"), Decimal("5"), Decimal("10"))


@dataclass(frozen=True)
class DonationBounds:
    currency: str
    presets: tuple[Decimal, ...]
    minimum: Decimal
    maximum: Decimal
    source: str  # "staff" (set in the admin), "default" (the settings, scaled) or "fees" (by the course's fees)


def round_factor(ratio: Decimal) -> Decimal:
    """``ratio`` to the nearest round factor (1, 2 or 5 × 10ⁿ, nearest by ratio): 15,000 →
    20,000; 0.3 → 0.2; 375 → 500. Amounts multiplied by it keep their round shape (5, 10
    and 25 become 100,000, 200,000 and 500,000, not 75,000, 150,000 and 375,000)."""
    if ratio <= 0:
        return Decimal(1)
    power = Decimal(1).scaleb(ratio.adjusted())
    mantissa = ratio / power

    def distance(step: Decimal) -> Decimal:
        return max(step / mantissa, mantissa / step)

    return min(ROUND_STEPS, key=distance) * power


def _setting(value: object) -> Decimal | None:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() and amount > 0 else None


def _defaults() -> tuple[list[Decimal], Decimal, Decimal]:
    """The settings' amounts, read at call time (tests and deployments change them)."""
    presets = [amount for amount in map(_setting, settings.PAYMENTS_DONATION_PRESETS) if amount is not None]
    return presets, _setting(settings.PAYMENTS_DONATION_MIN) or Decimal("1"), _setting(
        settings.PAYMENTS_DONATION_MAX) or Decimal("1000")


def _bounded(currency: str, presets: list[Decimal], low: Decimal, high: Decimal, source: str) -> DonationBounds:
    low = max(money.rounded(low, currency), money.minimum_charge(currency))
    high = max(min(money.rounded(high, currency), money.maximum_charge(currency)), low)
    kept = sorted({amount for amount in (money.rounded(p, currency) for p in presets) if low <= amount <= high})
    return DonationBounds(currency=currency, presets=tuple(kept), minimum=low, maximum=high, source=source)


def _scaled(currency: str, presets: list[Decimal], low: Decimal, high: Decimal, by: Decimal, source: str) -> DonationBounds:
    return _bounded(currency, [p * by for p in presets], low * by, high * by, source)


def _known(currency: str, rows: dict[str, DonationAmounts]) -> DonationBounds | None:
    """Staff's amounts for ``currency``, else the defaults scaled by ``SCALE``; None when
    neither says (a currency to scale by a course's fees)."""
    row = rows.get(currency)
    if row is not None:
        return _bounded(currency, row.suggestions, row.minimum, row.maximum, "staff")
    if currency in SCALE:
        return _scaled(currency, *_defaults(), Decimal(SCALE[currency]), "default")
    return None


def donation_bounds(
    currency: str, *, course: CoursePage | None = None, fees: dict[str, Decimal] | None = None
) -> DonationBounds:
    """The donations offered in ``currency`` at checkout for ``course`` (whose ``fees`` by
    currency, main first, may be given when already read). One query for staff's
    amounts; one more for the course's fees only for a currency neither staff nor
    ``SCALE`` know, when ``fees`` are not given."""
    currency = currencies.normalise(currency)
    main = currencies.normalise(course.price_currency) if course is not None else ""
    if fees:
        main = next(iter(fees))
    rows = {row.currency: row for row in DonationAmounts.objects.filter(currency__in={currency, main} - {""})}
    known = _known(currency, rows)
    if known is not None:
        return known
    if fees is None and course is not None:
        fees = course_fees(course)
    fees = fees or {}
    if main and main != currency and currency in fees and fees.get(main):
        base = _known(main, rows) or _bounded(main, *_defaults(), "default")
        by = round_factor(fees[currency] / fees[main])
        return _scaled(currency, list(base.presets), base.minimum, base.maximum, by, "fees")
    return _bounded(currency, *_defaults(), "default")
