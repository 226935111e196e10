"""The per-client limit on certificate lookups (CERTIFICATE_VERIFY_RATE), so that codes
cannot be enumerated.

Counting is django-ratelimit's (``count``: its fixed window per client address, its
RATELIMIT_* settings). What it costs matters because the verification page is the most
read public page: django-ratelimit's ``is_ratelimited`` takes three round trips to Redis
with Django's cache (add, then incr = EXISTS + INCRBY), more than the cached page itself.
So the views count only lookups that miss (an unknown or malformed code, or one not in
the verification cache yet: what guessing needs, and what costs a query), and for every
lookup read the client's counter (``Window.key``) in the same cache round trip as the
cached page, refusing a client that has used up its allowance. A hit shows only the
public facts of a code the visitor already has, so it is checked but not counted.

Reading the counter needs its cache key, which django-ratelimit builds in private helpers
(``_make_cache_key`` and friends, pinned at django-ratelimit==4.1.0);
tests/certification/test_verification.py checks that ``Window.used`` reads exactly the
count that django-ratelimit's public ``get_usage`` reports, so an upgrade that changed
the key would fail there rather than silently stop refusing.
"""
from typing import NamedTuple

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.http import HttpRequest
from django_ratelimit import ALL
from django_ratelimit import core as ratelimit

GROUP = "certificate-verify"
KEY = "ip"


class Window(NamedTuple):
    """This client's counter in the current window; ``key`` is None when rate limiting
    is switched off (RATELIMIT_ENABLE = False)."""

    key: str | None
    limit: int
    cache_alias: str

    @property
    def in_default_cache(self) -> bool:
        """Whether the counter can be read with the verification cache's own get_many."""
        return self.key is not None and self.cache_alias == DEFAULT_CACHE_ALIAS

    def used(self, prefetched: dict | None = None) -> int:
        """Lookups counted so far in this window (from ``prefetched``, a get_many result
        that asked for ``key``, when given)."""
        if self.key is None:
            return 0
        if prefetched is not None and self.in_default_cache:
            value = prefetched.get(self.key)
        else:
            value = caches[self.cache_alias].get(self.key)
        return int(value or 0)

    def exhausted(self, used: int) -> bool:
        # django-ratelimit refuses the lookup that takes the count past the limit, so a
        # lookup that is not counted is refused once the count has reached it.
        return self.key is not None and used >= self.limit


def window(request: HttpRequest) -> Window:
    """The client's counter key, built exactly as ``django_ratelimit.core.get_usage``
    builds it for ``count`` (same group, key, rate and methods)."""
    rate = settings.CERTIFICATE_VERIFY_RATE
    limit, period = ratelimit._split_rate(rate)
    alias = getattr(settings, "RATELIMIT_USE_CACHE", DEFAULT_CACHE_ALIAS)
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return Window(None, limit, alias)
    value = ratelimit._SIMPLE_KEYS[KEY](request)
    key = ratelimit._make_cache_key(GROUP, ratelimit._get_window(value, period), rate, value, ALL)
    return Window(key, limit, alias)


def count(request: HttpRequest) -> bool:
    """Count one lookup for this client; True when it goes past the limit (refuse it)."""
    return ratelimit.is_ratelimited(
        request, group=GROUP, key=KEY, rate=settings.CERTIFICATE_VERIFY_RATE, increment=True
    )
