from collections.abc import Hashable, Mapping

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
