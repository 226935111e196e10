"""Course content kept in caches: its version, this process's copies, and Wagtail's view
restrictions kept under them.

Lessons are the most visited pages, and each one needs its route (the lesson and its
course), Wagtail's view restrictions and the course outline. All three depend only on
the content, never on the learner, and are kept in the shared cache under a key that
holds the content version (``content_version``), which every page or view restriction
change bumps (``invalidate``, called by ``courses/signals.py``). Fetching and
unpickling them from Redis on every request cost more CPU than the rest of the lesson
view together (three round trips; an outline of 200 items is about 30 KB), so each
process also keeps the objects it last used, under the same versioned keys. The version
itself is still read from the shared cache once per request, so a change made in any
process is seen on the next request everywhere, as before. An entry is kept at most its
timeout after this process took it from the shared cache (so up to twice as long as
there, under the same content version).

Values handed out are shared by the requests of this process: callers must not change
them (``courses.routing`` copies the pages it annotates and gives each request its own
lesson body, whose images and documents are looked up again).
"""
import copy
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction

T = TypeVar("T")

# The timeout of every content entry: only a safety net, the content version is what
# makes an entry stale.
CACHE_SECONDS = 600
VERSION_KEY = "courses:outline-version"

# Routes of the lessons being read, their courses' outlines and view restrictions. A route
# (the lesson and its course) took about 22 KB for a lesson of 3 KB of text (measured on
# the benchmark's course), so this bounds a process's copies to roughly 5 to 15 MB: room
# for every lesson of a dozen 20-lesson courses, the least recently read going first.
MAX_ENTRIES = 400

ABSENT = object()


def invalidate() -> None:
    """Make every cached outline, route, view restriction and site stale (called whenever
    any page, view restriction or site changes)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not in the cache yet (or evicted): any new value differs
        cache.set(VERSION_KEY, _new_version(), None)


def _new_version() -> int:
    return time.monotonic_ns()


def content_version(request: HttpRequest | None = None) -> int:
    """A number that changes whenever any page changes: part of every content cache key.

    Read once per request when a request is given.
    """
    if request is not None:
        if not hasattr(request, "_content_version"):
            request._content_version = content_version()
        return request._content_version
    version = cache.get(VERSION_KEY)
    if version is None:
        version = _new_version()
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


class Memo:
    """A small least-recently-used map whose entries also expire."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[str, tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()  # threaded servers share one memo

    def get(self, key: str) -> object:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return ABSENT
            if entry[0] <= time.monotonic():
                del self._entries[key]
                return ABSENT
            self._entries.move_to_end(key)
            return entry[1]

    def set(self, key: str, value: object, timeout: float) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic() + timeout, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_memo = Memo(MAX_ENTRIES)


def get_or_build(key: str, build: Callable[[], T], timeout: float) -> T:
    """The value for ``key`` (which must hold the content version): this process's copy,
    else the shared cache's, else ``build()`` kept in both."""
    value = _memo.get(key)
    if value is ABSENT:
        value = cache.get(key, ABSENT)
        if value is ABSENT:
            value = build()
            cache.set(key, value, timeout)
        _memo.set(key, value, timeout)
    return value


def clear() -> None:
    """Forget this process's copies (tests; the shared cache is unaffected)."""
    _memo.clear()


def own_copy(page: Page) -> Page:
    """A request's own copy of a page kept here: views and Wagtail annotate the page they
    serve, and rendering resolves images and documents onto a StreamField's value (they
    change, or go, without any page being saved), so each StreamField is built again
    from its stored blocks."""
    mine = copy.copy(page)
    for field in page._meta.concrete_fields:
        if isinstance(field, StreamField):
            setattr(mine, field.attname, list(getattr(page, field.attname).raw_data))
    return mine


class CachedViewRestrictions:
    """The catalogue, courses, lessons and quizzes are the most visited pages, and Wagtail
    checks every page's view restrictions (its own and its ancestors') with two queries on
    each request. They are kept in the cache under the content version, which any page
    change and any change of a view restriction bumps (courses/signals.py), so a new
    restriction applies at once.

    The answer is a queryset whose results are already filled in: iterating it (serving a
    page) asks nothing, while the admin's privacy dialog and page copying, which chain
    ``order_by()`` or ``exists()`` onto it, still get a queryset and query the database.
    """

    def get_view_restrictions(self) -> QuerySet[PageViewRestriction]:
        version = getattr(self, "routed_content_version", None) or content_version()
        cached = get_or_build(
            f"courses:restrictions:{self.path}:{version}",
            lambda: list(super(CachedViewRestrictions, self).get_view_restrictions()),
            CACHE_SECONDS,
        )
        restrictions = PageViewRestriction.objects.filter(pk__in=[r.pk for r in cached])
        restrictions._result_cache = list(cached)
        restrictions._prefetch_done = True
        return restrictions
