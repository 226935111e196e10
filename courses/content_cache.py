"""This process's copies of course content kept in the shared cache.

Lessons are the most visited pages, and each one needs its route (the lesson and its
course), Wagtail's view restrictions and the course outline. All three depend only on
the content, never on the learner, and are kept in the shared cache under a key that
holds the content version (``courses.outline.content_version``), which every page or
view restriction change bumps. Fetching and unpickling them from Redis on every request
cost more CPU than the rest of the lesson view together (three round trips; an outline
of 200 items is about 30 KB), so each process also keeps the objects it last used, under
the same versioned keys. The version itself is still read from the shared cache once per
request, so a change made in any process is seen on the next request everywhere, as
before. An entry is kept at most its timeout after this process took it from the shared
cache (so up to twice as long as there, under the same content version).

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
from wagtail.fields import StreamField

T = TypeVar("T")

# Routes of the lessons being read, their courses' outlines and view restrictions. A route
# (the lesson and its course) took about 22 KB for a lesson of 3 KB of text (measured on
# the benchmark's course), so this bounds a process's copies to roughly 5 to 15 MB: room
# for every lesson of a dozen 20-lesson courses, the least recently read going first.
MAX_ENTRIES = 400

ABSENT = object()


class Memo:
    """A small least-recently-used map whose entries also expire."""

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict[str, tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()  # threaded servers share one memo

    def get(self, key: str):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return ABSENT
            if entry[0] <= time.monotonic():
                del self._entries[key]
                return ABSENT
            self._entries.move_to_end(key)
            return entry[1]

    def set(self, key: str, value, timeout: float) -> None:
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


def own_copy(page):
    """A request's own copy of a page kept here: views and Wagtail annotate the page they
    serve, and rendering resolves images and documents onto a StreamField's value (they
    change, or go, without any page being saved), so each StreamField is built again
    from its stored blocks."""
    mine = copy.copy(page)
    for field in page._meta.concrete_fields:
        if isinstance(field, StreamField):
            setattr(mine, field.attname, list(getattr(page, field.attname).raw_data))
    return mine
