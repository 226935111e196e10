from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """``{{ mapping|lookup:key }}``: a dict item by a variable key, or None."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def minutes(seconds):
    """Whole minutes, rounded down, from a number of seconds."""
    return int(seconds or 0) // 60
