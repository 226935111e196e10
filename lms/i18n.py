"""Each request's language and time zone.

Language: the URL's prefix when it has one (/es/...). On an address without one, the
signed-in person's saved choice (kept in their session at sign-in), else the switcher's
cookie, else the browser's Accept-Language, else the default; a page asked for with GET
in a language other than the default is sent to its address in that language. Machine
addresses (lms/urls.py, outside i18n_patterns) and anything but GET are never redirected.

Time zone: the signed-in person's saved zone (from the session), else the zone the
browser told the pages' script (a cookie, checked against the zone names), else
settings.TIME_ZONE.

Neither adds a query: for people not signed in they read only the request; for those
signed in, the session (read from the cache), filled once at sign-in.
"""
from __future__ import annotations

import re
from functools import cache
from typing import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import LocalePrefixPattern, Resolver404, URLResolver, get_resolver
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from kernel import i18n

# The Wagtail admin's account page, where staff may change their language and zone too.
ADMIN_ACCOUNT = "wagtailadmin_account"
# A first path segment that looks like a language code ("fr", "pt-br"): one the site does
# not offer is an unknown language prefix, answered in the default language.
_LANGUAGE_LIKE = re.compile(r"^/([a-z]{2})(?:-[a-z0-9]{2,4})?(?:/|$)")


def session_choices(request: HttpRequest) -> tuple[str, str] | None:
    """(language, time zone) the signed-in person saved, "" for none; None when nobody
    is signed in. A session from before sign-in kept them is filled once (one query)."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    user_id = session.get(SESSION_KEY)
    if user_id is None:
        return None
    if i18n.SESSION_LANGUAGE not in session or i18n.SESSION_TIME_ZONE not in session:
        language, zone = i18n.saved_choices(user_id)
        i18n.remember(session, language=language, time_zone=zone)
    return session.get(i18n.SESSION_LANGUAGE, ""), session.get(i18n.SESSION_TIME_ZONE, "")


def chosen_language(request: HttpRequest) -> str:
    """The language a request without a prefix asks for (see the module's note)."""
    saved = session_choices(request)
    if saved and i18n.is_language(saved[0]):
        return saved[0]
    return translation.get_language_from_request(request, check_path=False)


@cache
def _unprefixed_patterns(resolver: URLResolver) -> tuple:
    # Keyed by the resolver: URLs rebuilt (clear_url_caches) are read again.
    return tuple(
        pattern for pattern in resolver.url_patterns
        if not isinstance(getattr(pattern, "pattern", None), LocalePrefixPattern)
    )


def is_machine_path(path: str, urlconf: str | None = None) -> bool:
    """True for an address outside i18n_patterns (lms/urls.py): never language-prefixed."""
    for pattern in _unprefixed_patterns(get_resolver(urlconf)):
        try:
            if pattern.resolve(path.lstrip("/")):
                return True
        except Resolver404:
            continue
    return False


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (Content-Language, Vary) choosing as described above.

    Addresses are matched in the language of their prefix (i18n_patterns reads the active
    language), so a request without one is resolved in the default language; a POST there
    is then handled in the language chosen. The language active before the request is
    active again after it."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        previous = translation.get_language()
        try:
            return super().__call__(request)
        finally:
            translation.activate(previous) if previous else translation.deactivate()

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        path = request.path_info
        urlconf = getattr(request, "urlconf", None)
        language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
        request.chosen_language = language
        if language == settings.LANGUAGE_CODE and not self._default_for(path, urlconf):
            chosen = chosen_language(request)
            if chosen != settings.LANGUAGE_CODE:
                if request.method in ("GET", "HEAD"):
                    return self._to_language(request, chosen)
                request.chosen_language = chosen
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_view(self, request: HttpRequest, view: Callable, args: tuple, kwargs: dict) -> None:
        # An unprefixed POST, resolved in the default language, handled in the chosen one.
        chosen = getattr(request, "chosen_language", None)
        if chosen and chosen != request.LANGUAGE_CODE:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return None

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        match = getattr(request, "resolver_match", None)
        if request.method == "POST" and match is not None and match.url_name == ADMIN_ACCOUNT and hasattr(request, "session"):
            # Saved on the Wagtail admin's own account page: the site follows at once.
            user_id = request.session.get(SESSION_KEY)
            if user_id is not None:
                language, zone = i18n.saved_choices(user_id)
                i18n.remember(request.session, language=language, time_zone=zone)
        return super().process_response(request, response)

    @staticmethod
    def _default_for(path: str, urlconf: str | None) -> bool:
        """True where an unprefixed address is always in the default language: machine
        addresses, and /fr/... or /xx/..., a language this site does not offer (the
        site's own 404, or a page whose slug looks like a code)."""
        if translation.get_language_from_path(path):
            return True
        return bool(_LANGUAGE_LIKE.match(path)) or is_machine_path(path, urlconf)

    @staticmethod
    def _to_language(request: HttpRequest, language: str) -> HttpResponse:
        translation.activate(settings.LANGUAGE_CODE)
        response = HttpResponseRedirect(i18n.alternate_urls(request)[language])
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


class TimeZoneMiddleware:
    """Activates the person's time zone for the request (see the module's note)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        saved = session_choices(request)
        zone = saved[1] if saved and i18n.is_time_zone(saved[1]) else ""
        if not zone:
            cookie = request.COOKIES.get(i18n.TIME_ZONE_COOKIE, "")
            zone = cookie if i18n.is_time_zone(cookie) else ""
        if zone:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        request.TIME_ZONE = zone or settings.TIME_ZONE
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
