"""The shared cache (Redis), degrading to "no cache" while Redis cannot be reached.

Everything kept in the cache can be read again from the database: sessions
(``cached_db`` writes them through), course outlines and routes, the verification
pages, Wagtail's site root paths. So when Redis is down or unreachable, the cache answers
as Django's DummyCache does (a read is a miss, a write is skipped, ``add`` says "added",
``incr`` finds no key) and the page is served from the database, instead of answering 500.
Rate limits kept in the cache (the login throttle, certificate lookups) let requests
through meanwhile: refusing everyone would be worse.

- Connection and timeout errors only (``redis.ConnectionError``, ``redis.TimeoutError``):
  anything else (a wrong type, an out-of-memory refusal) is a bug or a setting to fix
  and still raises.
- Short socket timeouts by default, so a dead or unreachable Redis costs a refused
  connection or a fraction of a second, not the operating system's minutes; after one
  failure this process leaves Redis alone for ``retry_after`` seconds (no round trip at
  all), then tries again. A ``CACHE_URL`` query string (``?socket_timeout=2``) overrides
  the timeouts.
- One warning in the log per minute at most while it lasts, and one when Redis answers
  again.
- Writes that could not be made are remembered (their keys), and deleted first thing when
  Redis answers again: a session ended, or content changed, during the outage must not
  come back from an entry that survived it (Redis unreachable over the network keeps its
  data). ``cache.clear()`` is never used for that: the cache may share its Redis database
  with the Celery broker.

The state (down until when, keys to forget) is kept per process and Redis location, not
per thread: Django makes a cache object per thread.
"""
from __future__ import annotations

import logging
import re
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_AFTER_SECONDS = 2.0
LOG_EVERY_SECONDS = 60.0
# Keys written while Redis was away, to delete when it answers again. Beyond this many
# (a long outage on a busy site) the rest are only counted and reported.
MAX_REMEMBERED = 10_000
DEFAULT_TIMEOUTS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}

_MISSING = object()


class _Outage:
    """One process's view of one Redis location."""

    def __init__(self, location: str):
        self.location = re.sub(r"//[^/@]*@", "//", location)  # for the log: no password in it
        self.lock = threading.Lock()
        self.down_until = 0.0  # monotonic time; 0: up as far as we know
        self.unwritten: set[str] = set()
        self.overflow = 0
        self.failures = 0
        self.logged_at = None  # monotonic time of the last warning, None: none this outage

    @property
    def troubled(self) -> bool:
        return bool(self.down_until or self.unwritten)

    def failed(self, error: Exception, retry_after: float) -> None:
        now = time.monotonic()
        with self.lock:
            self.down_until = now + retry_after
            self.failures += 1
            if self.logged_at is not None and now - self.logged_at < LOG_EVERY_SECONDS:
                return
            self.logged_at, failures, self.failures = now, self.failures, 0
        logger.warning(
            "The cache at %s cannot be reached (%s): pages are served without it; "
            "trying again every %.0f s (%d failed calls since the last message).",
            self.location, error, retry_after, failures,
        )

    def remember(self, keys) -> None:
        if not keys:
            return
        with self.lock:
            for key in keys:
                if len(self.unwritten) < MAX_REMEMBERED:
                    self.unwritten.add(key)
                else:
                    self.overflow += 1

    def take(self) -> tuple[set[str], int]:
        with self.lock:
            keys, overflow = self.unwritten, self.overflow
            self.unwritten, self.overflow = set(), 0
            return keys, overflow

    def give_back(self, keys: set[str], overflow: int) -> None:
        with self.lock:
            self.overflow += overflow
        self.remember(keys)

    def recovered(self, forgotten: int, overflow: int) -> None:
        with self.lock:
            was_logged, self.logged_at = self.logged_at is not None, None
            self.down_until, self.failures = 0.0, 0
        if overflow:
            logger.error(
                "The cache at %s answers again, but %d writes made while it was away could not be "
                "remembered: entries they changed may be stale until they expire.", self.location, overflow,
            )
        elif was_logged or forgotten:
            logger.warning(
                "The cache at %s answers again; %d entries written while it was away were removed.",
                self.location, forgotten,
            )


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(location: str) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage(location))


class DegradingRedisCacheClient(RedisCacheClient):
    """Django's Redis client (keys already made), each call guarded."""

    def __init__(self, servers, retry_after: float = RETRY_AFTER_SECONDS, **options):
        super().__init__(servers, **{**DEFAULT_TIMEOUTS, **options})
        self.retry_after = float(retry_after)
        self.outage = _outage_for(",".join(servers))

    def _guarded(self, method, args, *, fallback, writes=()):
        outage = self.outage
        try:
            if not outage.troubled:
                return method(*args)
            if time.monotonic() < outage.down_until:
                outage.remember(writes)
            else:
                return self._recovering(method, args)
        except UNREACHABLE as error:
            outage.failed(error, self.retry_after)
            outage.remember(writes)
        if fallback is _MISSING:
            raise ValueError("The cache cannot be reached.")  # what incr() says for a missing key
        return fallback

    def _recovering(self, method, args):
        """Try Redis again: first delete what went unwritten while it was away, then the call."""
        keys, overflow = self.outage.take()
        try:
            if keys:
                RedisCacheClient.delete_many(self, list(keys))
            result = method(*args)
        except UNREACHABLE:
            self.outage.give_back(keys, overflow)
            raise
        self.outage.recovered(len(keys), overflow)
        return result

    def add(self, key, value, timeout):
        # As Django's DummyCache answers: "added". Locks and counters built on add() (the
        # login throttle's lock, django-ratelimit's first hit) then let the request through
        # instead of refusing everyone until Redis is back.
        return self._guarded(super().add, (key, value, timeout), fallback=True, writes=(key,))

    def get(self, key, default):
        return self._guarded(super().get, (key, default), fallback=default)

    def set(self, key, value, timeout):
        return self._guarded(super().set, (key, value, timeout), fallback=None, writes=(key,))

    def touch(self, key, timeout):
        return self._guarded(super().touch, (key, timeout), fallback=False, writes=(key,))

    def delete(self, key):
        return self._guarded(super().delete, (key,), fallback=False, writes=(key,))

    def get_many(self, keys):
        return self._guarded(super().get_many, (keys,), fallback={})

    def has_key(self, key):
        return self._guarded(super().has_key, (key,), fallback=False)

    def incr(self, key, delta):
        return self._guarded(super().incr, (key, delta), fallback=_MISSING, writes=(key,))

    def set_many(self, data, timeout):
        return self._guarded(super().set_many, (data, timeout), fallback=None, writes=tuple(data))

    def delete_many(self, keys):
        return self._guarded(super().delete_many, (keys,), fallback=None, writes=tuple(keys))

    def clear(self):
        return self._guarded(super().clear, (), fallback=False)


class DegradingRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that serves as "no cache" while
    Redis cannot be reached. ``OPTIONS`` as Django's, plus ``retry_after`` (seconds)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = DegradingRedisCacheClient
