"""A person's language and time zone: what is a valid one, where a request keeps them, and
how to read them for someone who is not the request's person (an email's recipient).

They are stored in Wagtail's own user profile (``preferred_language``,
``current_time_zone``), so the Wagtail admin follows them too. A signed-in request reads
them from its session, where sign-in and every change put them: no query per request.
"""
from __future__ import annotations

import zoneinfo
from contextlib import contextmanager
from functools import cache
from typing import Iterator
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

# Where the session keeps the signed-in person's choices ("" = none saved).
SESSION_LANGUAGE = "_lms_language"
SESSION_TIME_ZONE = "_lms_time_zone"
# The cookie the pages' script sets from the browser's zone (static/js/time_zone.js).
TIME_ZONE_COOKIE = "tz"


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def is_language(code: object) -> bool:
    return isinstance(code, str) and code in language_codes()


@cache
def time_zones() -> tuple[str, ...]:
    """Every IANA zone name this machine knows, sorted (a few hundred; read once)."""
    return tuple(sorted(zoneinfo.available_timezones()))


@cache
def _zone_set() -> frozenset[str]:
    return frozenset(time_zones())


def is_time_zone(name: object) -> bool:
    return isinstance(name, str) and name in _zone_set()


def language_or_default(code: object) -> str:
    return code if is_language(code) else settings.LANGUAGE_CODE


def zone_or_default(name: object) -> str:
    return name if is_time_zone(name) else settings.TIME_ZONE


def remember(session: object, *, language: str, time_zone: str) -> None:
    """Keep a signed-in person's saved choices in their session ("" for none)."""
    session[SESSION_LANGUAGE] = language if is_language(language) else ""
    session[SESSION_TIME_ZONE] = time_zone if is_time_zone(time_zone) else ""


def set_language_cookie(response: HttpResponse, language: str) -> None:
    """The cookie that keeps the language chosen for people not signed in (Django's own)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language,
        max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def saved_choices(user_id: object) -> tuple[str, str]:
    """(language, time zone) saved on this person's Wagtail profile, "" where none is
    (one query; no profile row is created)."""
    from wagtail.users.models import UserProfile

    row = UserProfile.objects.filter(user_id=user_id).values_list(
        "preferred_language", "current_time_zone"
    ).first()
    return row if row is not None else ("", "")


def saved_choices_for_address(address: str) -> tuple[str, str]:
    """(language, time zone) of the account with this email address, "" where none."""
    from django.contrib.auth import get_user_model

    user_id = get_user_model().objects.filter(email__iexact=address).values_list("pk", flat=True).first()
    return saved_choices(user_id) if user_id is not None else ("", "")


@contextmanager
def as_person(*, language: str, time_zone: str) -> Iterator[None]:
    """Render in this person's language and time zone; where they saved none (or one no
    longer offered), in those already active: the page's in a request, the site's
    defaults in a background task."""
    current_language = translation.get_language() or settings.LANGUAGE_CODE
    current_zone = timezone.get_current_timezone_name()
    with translation.override(language if is_language(language) else current_language), \
            timezone.override(time_zone if is_time_zone(time_zone) else current_zone):
        yield


# --- a page's address in each language --------------------------------------------------


def path_in_default_language(path: str) -> str:
    """``path`` without its language prefix ("/es/learn/" -> "/learn/")."""
    prefix = translation.get_language_from_path(path)
    if not prefix or prefix == settings.LANGUAGE_CODE:
        return path
    rest = path[len(prefix) + 1:]
    return rest if rest.startswith("/") else "/" + rest


def path_in(language: str, path: str) -> str:
    """A default-language page ``path`` in ``language``: under its prefix, or as it is for
    the default language (i18n_patterns(prefix_default_language=False))."""
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


def alternate_urls(request: HttpRequest) -> dict[str, str]:
    """This page's address in each language, {code: path with query}.

    The hook for pages whose address differs by language (a Wagtail page translated with
    its own slug): a view sets ``request.alternate_urls`` to its own {code: path} and the
    language switcher and the hreflang links use those (with this request's query), as
    every page served from Wagtail's tree does (``courses.languages.page_alternate_urls``).
    Otherwise each language's address is this one under that language's prefix, as
    lms/urls.py serves every page."""
    own = getattr(request, "alternate_urls", None)
    base = path_in_default_language(quote(request.path))
    query = request.META.get("QUERY_STRING", "")
    urls = {}
    for code in language_codes():
        path = own[code] if own and code in own else path_in(code, base)
        urls[code] = path + (f"?{query}" if query else "")
    return urls
