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

# Stripe's smallest charge per currency, in the major unit
# (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts); others: about
# half a dollar's worth, 0.50 or 50 in a zero-decimal currency (``minimum_charge``).
MINIMUM_CHARGE = {
    "USD": Decimal("0.50"), "AED": Decimal("2.00"), "AUD": Decimal("0.50"), "BGN": Decimal("1.00"),
    "BRL": Decimal("0.50"), "CAD": Decimal("0.50"), "CHF": Decimal("0.50"), "CZK": Decimal("15.00"),
    "DKK": Decimal("2.50"), "EUR": Decimal("0.50"), "GBP": Decimal("0.30"), "HKD": Decimal("4.00"),
    "HUF": Decimal("175.00"), "INR": Decimal("0.50"), "JPY": Decimal("50"), "MXN": Decimal("10.00"),
    "MYR": Decimal("2.00"), "NOK": Decimal("3.00"), "NZD": Decimal("0.50"), "PLN": Decimal("2.00"),
    "RON": Decimal("2.00"), "SEK": Decimal("3.00"), "SGD": Decimal("0.50"), "THB": Decimal("10.00"),
}
# Stripe's largest amount: eight digits in the smallest unit (999,999.99 USD, 99,999,999
# JPY), twelve for IDR; and what an order's amount columns hold (``models.base.AMOUNT``).
MAXIMUM_MINOR = 99_999_999
MAXIMUM_MINOR_BY_CURRENCY = {"IDR": 999_999_999_999}
MAXIMUM_STORED = Decimal("99999999.99")


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


def minimum_charge(currency: str) -> Decimal:
    """Stripe's smallest card payment in ``currency``."""
    code = (currency or "").upper()
    return MINIMUM_CHARGE.get(code, Decimal("0.50") if exponent(code) else Decimal("50"))


def maximum_charge(currency: str) -> Decimal:
    """The largest payment in ``currency`` Stripe takes and an order can hold:
    999999.99 USD, 99999999 JPY."""
    code = (currency or "").upper()
    return min(from_minor(MAXIMUM_MINOR_BY_CURRENCY.get(code, MAXIMUM_MINOR), code), MAXIMUM_STORED)
