from collections.abc import Hashable, Mapping
from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def lookup(mapping: Mapping | None, key: Hashable) -> object:
    """``{{ mapping|lookup:key }}``: a dict item by a variable key, or None."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def minutes(seconds: int | float | None) -> int:
    """Whole minutes, rounded down, from a number of seconds."""
    return int(seconds or 0) // 60


@register.filter
def plural_count(value: int | float | Decimal | None) -> int:
    """The number that picks a plural form in ``{% blocktranslate count %}`` for a
    quantity that may have a fraction ("1.5 hours"). gettext's plural rules take whole
    numbers only: a whole value counts as itself; a fraction counts as 2, which picks
    the form English and Spanish use for fractions (the same as ``|pluralize``: only
    exactly 1 is singular)."""
    if value is None:
        return 0
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else 2
