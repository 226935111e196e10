"""The site's own pages (home, course catalogue, about) in the active language, for the
links every page and some emails carry: each page's published translation in that
language, else the page itself under the language's prefix, else (no such page in the
tree) its usual address under the prefix.

Kept under the content version (``courses.content_cache``) per site host, so a page asks
the database nothing for them once warm.
"""
from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.utils import translation
from wagtail.models import Page, Site

from courses import content_cache
from courses.content_cache import CACHE_SECONDS, content_version
from courses.languages import page_alternate_urls, source_page
from courses.models import CourseIndexPage
from kernel import i18n

# Each link's name and its address when the tree has no such page.
FALLBACKS = {"home": "/", "courses": "/courses/", "about": "/about/"}


def site_links(request: HttpRequest | None = None) -> dict[str, str]:
    """{"home": path, "courses": path, "about": path} in the active language."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if not i18n.is_language(language):
        language = settings.LANGUAGE_CODE
    host = ""
    if request is not None:
        host = f"{split_domain_port(request._get_raw_host())[0]}:{request.get_port()}"
    every = content_cache.get_or_build(
        f"lms:site-links:{host}:{content_version(request)}", lambda: _every_language(request), CACHE_SECONDS
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
