"""The currencies a fee may be in: those Stripe charges in, their names in the reader's
language, and the currency of a country (for a learner who has not chosen one).

https://docs.stripe.com/currencies#presentment-currencies (card payments). A currency
outside this list is refused wherever a fee or a learner's choice names one.
"""
from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_name, get_territory_currencies
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

STRIPE_CURRENCIES = frozenset("""
    USD AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BWP BYN BZD
    CAD CDF CHF CLP CNY COP CRC CVE CZK DJF DKK DOP DZD EGP ETB EUR FJD FKP GBP GEL GIP GMD GNF GTQ GYD
    HKD HNL HTG HUF IDR ILS INR ISK JMD JOD JPY KES KGS KHR KMF KRW KWD KYD KZT LAK LBP LKR LRD LSL MAD
    MDL MGA MKD MMK MNT MOP MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN
    PYG QAR RON RSD RUB RWF SAR SBD SCR SEK SGD SHP SLE SOS SRD STD SZL THB TJS TND TOP TRY TTD TWD TZS
    UAH UGX UYU UZS VND VUV WST XAF XCD XOF XPF YER ZAR ZMW
""".split())


def normalise(code: object) -> str:
    """``" eur "`` → ``"EUR"``; anything that is not text → ``""``."""
    return code.strip().upper() if isinstance(code, str) else ""


def is_supported(code: object) -> bool:
    return normalise(code) in STRIPE_CURRENCIES


def problem(code: object) -> str | None:
    """Why ``code`` cannot be a fee's or a learner's currency, in plain words; None if it can."""
    shown = normalise(code)
    if len(shown) != 3 or not shown.isalpha():
        return translation.gettext("Use a three-letter currency code, for example USD.")
    if shown not in STRIPE_CURRENCIES:
        return translation.gettext("We cannot take payments in %(code)s: choose another currency.") % {"code": shown}
    return None


@lru_cache(maxsize=16)
def babel_locale(language: str | None) -> Locale:
    """Babel's locale for a Django language code (``es``, ``en-gb``); English if unknown."""
    try:
        return Locale.parse(translation.to_locale(language or "en"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en")


def current_locale() -> Locale:
    return babel_locale(translation.get_language())


def name(code: str) -> str:
    """``"USD"`` → ``"US dollars"`` (in English) or ``"dólares estadounidenses"`` (in Spanish)."""
    code = normalise(code)
    return get_currency_name(code, count=2, locale=current_locale()) if code else ""


def choices() -> list[tuple[str, str]]:
    """Every currency a learner may choose, by name in the active language: ``("EUR", "Euros (EUR)")``."""
    named = [(code, f"{name(code)[:1].upper()}{name(code)[1:]} ({code})") for code in STRIPE_CURRENCIES]
    return sorted(named, key=lambda pair: pair[1].casefold())


def for_country(region: str) -> str:
    """The currency a country uses today (``MX`` → ``MXN``) if Stripe takes it, else ``""``."""
    region = normalise(region)
    if len(region) != 2 or not region.isalpha():
        return ""
    try:
        found = get_territory_currencies(region, tender=True)
    except (ValueError, KeyError):  # pragma: no cover - babel raises nothing for unknown regions today
        return ""
    return next((code for code in found if code in STRIPE_CURRENCIES), "")


def from_accept_language(header: str) -> str:
    """The currency of the first language tag with a region: ``es-MX,es;q=0.9`` → ``MXN``,
    ``en-GB`` → ``GBP``; ``""`` when no tag names a country (``es``, ``*``)."""
    for tag, _quality in parse_accept_lang_header(header or "")[:8]:
        parts = tag.replace("_", "-").split("-")
        region = next((part for part in parts[1:] if len(part) == 2 and part.isalpha()), "")
        code = for_country(region)
        if code:
            return code
    return ""
