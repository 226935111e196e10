"""Where a person lands after signing in when nothing asked for a page (no ``?next=``).

accounts is shared by every app and imports none of them, so an app that has a better
first page for some people registers a question when it is ready: ``lookup(user)``
returns a path, or None for "not mine to say". organisations registers one (a manager
lands on their organisation's dashboard). The first answer wins; with none, allauth's
``LOGIN_REDIRECT_URL`` (My learning) stands.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User

Lookup = Callable[["User"], "str | None"]
_lookups: list[Lookup] = []


def register_landing(lookup: Lookup) -> None:
    """Add ``lookup`` (once: an app's ``ready`` may run twice in tests)."""
    if lookup not in _lookups:
        _lookups.append(lookup)


def unregister_landing(lookup: Lookup) -> None:
    if lookup in _lookups:
        _lookups.remove(lookup)


def landing_for(user: User | AnonymousUser) -> str | None:
    """The first registered answer for a signed-in ``user``, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    for lookup in _lookups:
        url = lookup(user)
        if url:
            return url
    return None
