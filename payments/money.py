"""Money as Stripe counts it.

Amounts are kept as ``Decimal`` in the currency's major unit (40.00 USD), as course fees
are entered; Stripe counts in the smallest unit (4000 cents, 4000 JPY). Conversions go
through here so that no float ever touches a price. ``display`` is the one place an
amount becomes text for a person: in the active language's way, with its currency.
"""
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency

from .currencies import current_locale

# https://docs.stripe.com/currencies#zero-decimal
ZERO_DECIMAL = {
    "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
}
# https://docs.stripe.com/currencies#three-decimal (Stripe wants the last digit to be 0).
THREE_DECIMAL = {"BHD", "JOD", "KWD", "OMR", "TND"}
ZERO = Decimal("0")


def exponent(currency: str) -> int:
    currency = currency.upper()
    if currency in ZERO_DECIMAL:
        return 0
    if currency in THREE_DECIMAL:
        return 3
    return 2


def quantum(currency: str) -> Decimal:
    """The smallest amount we charge in ``currency``: 0.01, or 1 for zero-decimal ones."""
    return Decimal(1).scaleb(-min(exponent(currency), 2))


def rounded(amount: Decimal, currency: str) -> Decimal:
    return Decimal(amount).quantize(quantum(currency), rounding=ROUND_HALF_UP)


def to_minor(amount: Decimal, currency: str) -> int:
    """40.00 USD → 4000; 500 JPY → 500."""
    value = Decimal(amount).scaleb(exponent(currency))
    if value != value.to_integral_value():
        raise ValueError(f"{amount} {currency} is not a whole number of the currency's smallest unit")
    return int(value)


def from_minor(minor: int, currency: str) -> Decimal:
    """4000 USD cents → Decimal('40.00')."""
    return rounded(Decimal(int(minor)).scaleb(-exponent(currency)), currency)


def display(amount: Decimal | None, currency: str) -> str:
    """The amount with its currency, written the active language's way (Babel's
    ``format_currency``): ``$40.00`` or ``£40.00`` in English, ``40,00 US$`` or ``40,00 €``
    in Spanish, ``¥500`` for yen (no decimals). A currency Babel does not know keeps its
    code (``40.00 XYZ``); no amount is ``-``."""
    if amount is None:
        return "-"
    code = (currency or "").upper()
    value = rounded(amount, code)
    if len(code) != 3 or not code.isalpha():
        return f"{value:,} {code}".strip()
    return format_currency(value, code, locale=current_locale())
