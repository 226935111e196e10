"""The site's own pages (home, course catalogue, about) in the active language, for the
links every page and some emails carry: each page's published translation in that
language, else the page itself under the language's prefix, else (no such page in the
tree) its usual address under the prefix.

Kept per site host under a version of their own, which changes only when a page near the
top of the tree (a home page, the catalogue, the about page, or their translations), a
site or a locale changes: pages ask the database nothing for them once warm, and editing a
lesson (which makes every content cache stale) does not make every page look them up again.
"""
from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.utils import translation
from wagtail.models import Locale, Page, Site

from courses import content_cache
from courses.content_cache import CACHE_SECONDS
from courses.languages import page_alternate_urls, source_page
from courses.models import CourseIndexPage
from kernel import i18n

# Each link's name and its address when the tree has no such page.
FALLBACKS = {"home": "/", "courses": "/courses/", "about": "/about/"}
VERSION_KEY = "lms:site-links-version"
# Home pages are at depth 2, the catalogue and the about page below them.
SITE_PAGE_DEPTH = 3


def version() -> int:
    found = cache.get(VERSION_KEY)
    if found is None:
        cache.add(VERSION_KEY, time.monotonic_ns(), None)
        found = cache.get(VERSION_KEY, 0)
    return found


def invalidate() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not in the cache (or evicted): any new value differs
        cache.set(VERSION_KEY, time.monotonic_ns(), None)


def on_change(sender: type, instance: object, **kwargs: object) -> None:
    """post_save/post_delete: a site, a locale or a page near the top of the tree changed
    (publishing and withdrawing save the page too)."""
    depth = getattr(instance, "depth", None)
    if isinstance(instance, (Site, Locale)) or (isinstance(instance, Page) and depth and depth <= SITE_PAGE_DEPTH):
        invalidate()
        transaction.on_commit(invalidate)


def on_move(sender: type, **kwargs: object) -> None:
    invalidate()
    transaction.on_commit(invalidate)


def site_links(request: HttpRequest | None = None) -> dict[str, str]:
    """{"home": path, "courses": path, "about": path} in the active language."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if not i18n.is_language(language):
        language = settings.LANGUAGE_CODE
    host = ""
    if request is not None:
        host = f"{split_domain_port(request._get_raw_host())[0]}:{request.get_port()}"
    every = content_cache.get_or_build(
        f"lms:site-links:{host}:{version()}", lambda: _every_language(request), CACHE_SECONDS
    )
    return every[language]


def _every_language(request: HttpRequest | None) -> dict[str, dict[str, str]]:
    pages = _site_pages(request)
    links: dict[str, dict[str, str]] = {code: {} for code in i18n.language_codes()}
    for name, fallback in FALLBACKS.items():
        page = pages.get(name)
        urls = page_alternate_urls(page, request) if page is not None else {}
        for code in links:
            links[code][name] = urls.get(code) or i18n.path_in(code, fallback)
    return links


def _site_pages(request: HttpRequest | None) -> dict[str, Page]:
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return {}
    home = site.root_page
    home = source_page(home.specific, request) or home
    found = {"home": home}
    catalogue = CourseIndexPage.objects.live().child_of(home).first()
    if catalogue is not None:
        found["courses"] = catalogue
    about = Page.objects.live().child_of(home).filter(slug="about").first()
    if about is not None:
        found["about"] = about
    return found
