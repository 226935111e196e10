"""Wagtail's site for a page request, kept in this process's memory.

To serve any page Wagtail first finds the request's site and its home page: two queries
on every page view, the most of what a warm lesson page still asks the database for.
Sites and the home page change rarely, and every change of either bumps the content
version (``courses/signals.py``), so each process keeps the answer per host and port
under that version, as it keeps lesson routes (``courses.content_cache``). Wagtail's
own rule still decides which site a host gets; this only remembers its answer.

Only requests about to be served from the page tree look it up here: other views (the
admin, the webhook, a health check) pay nothing. Hosts have their own small memory, so a
flood of different Host headers cannot push lessons out of the content copies.
"""
import copy
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils.translation import get_language
from wagtail.models import Site
from wagtail.views import serve as wagtail_serve

from .content_cache import ABSENT, CACHE_SECONDS, Memo, content_version, own_copy

# Hosts a deployment answers on: a handful (ALLOWED_HOSTS is checked before this runs).
MAX_HOSTS = 32
_sites = Memo(MAX_HOSTS)


class SiteLookupMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> None:
        if view_func is wagtail_serve and not hasattr(request, "_wagtail_site"):
            request._wagtail_site = site_for(request)
        return None


def site_for(request: HttpRequest) -> Site | None:
    """The request's site, with its home page as its specific type, as Wagtail's
    ``Site.find_for_request`` would find it; this request's own copy."""
    # The same host and port Wagtail matches sites on.
    hostname, port = split_domain_port(request._get_raw_host())[0], request.get_port()
    # The home page is the one in the request's language (``Page.localized``).
    key = f"{hostname}:{port}:{get_language()}:{content_version(request)}"
    found = _sites.get(key)
    if found is ABSENT:
        site = Site.find_for_request(request)
        found = None if site is None else (site, site.root_page.localized.specific)
        _sites.set(key, found, CACHE_SECONDS)
    if found is None:
        return None
    # Copies: Wagtail and the views annotate what they serve, and the pages a request
    # routes through must not carry anything into the next request.
    shared_site, shared_home = found
    site = copy.copy(shared_site)
    site.root_page = own_copy(shared_home)
    # Already the home page in this language: lms.models.HomePage.localized answers from
    # this mark instead of asking the database again.
    site.root_page.localized_for = get_language()
    return site


def clear() -> None:
    """Forget this process's sites (tests)."""
    _sites.clear()
