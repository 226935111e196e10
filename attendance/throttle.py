"""The per-client limit on slip checks that match nothing (ATTENDANCE_CHECK_RATE), so that
slip codes and names cannot be guessed.

Counted by django-ratelimit per client address (kernel.client_ip via RATELIMIT_IP_META_KEY):
the counter's key is made of the group, the rate, the window and the address, never of
what was typed, so no cache key ever holds a name or a code. A client that has used up
its allowance is refused before any lookup, match or not.
"""
from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage, is_ratelimited

GROUP = "attendance-check"
KEY = "ip"


def exhausted(request: HttpRequest) -> bool:
    usage = get_usage(request, group=GROUP, key=KEY, rate=settings.ATTENDANCE_CHECK_RATE, increment=False)
    # django-ratelimit refuses the lookup that takes the count past the limit.
    return usage is not None and usage["count"] >= usage["limit"]


def count_miss(request: HttpRequest) -> bool:
    """Count one check that matched nothing; True when it went past the limit."""
    return is_ratelimited(request, group=GROUP, key=KEY, rate=settings.ATTENDANCE_CHECK_RATE, increment=True)
