"""Courses in several languages: the content is translated, the learning is not.

Staff translate course pages with wagtail-localize: each translation is a page of its own
in its language's locale, tied to its source (the default language's page) by Wagtail's
``translation_key``. Everything a learner does belongs to the course, not to a language:
enrolments, lesson progress, time on task, reflections, quiz attempts and certificates are
kept against the source pages, whichever language the learner reads them in. So:

- ``source_page`` maps any course page to its source (the page itself in the default
  language; None for a translation whose source was deleted, which is never served);
- ``localize_outline`` keeps a course's outline (built from the source course, its ids the
  source pages') and points each item at the page to read in the active language: its
  published translation when the whole chain above it (course, module) is translated and
  published too, else the source page under the language's URL prefix (a course not yet
  translated stays usable in the source language, with the site around it translated).

Every answer is kept under the content version (``courses.content_cache``), so a warm
page asks the database nothing more in Spanish than in English.
"""
from dataclasses import replace

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import get_supported_language_variant
from wagtail.models import Locale, Page

from . import content_cache
from .content_cache import CACHE_SECONDS, content_version
from .outline import Outline, OutlineItem, OutlineModule

MISSING = "missing"


def _language(code: str) -> str:
    try:
        return get_supported_language_variant(code)
    except LookupError:
        return get_supported_language_variant(settings.LANGUAGE_CODE)


def locale_ids(request: HttpRequest | None = None) -> dict[str, int]:
    """Every Wagtail locale's id by language code."""
    return content_cache.get_or_build(
        f"courses:locales:{content_version(request)}",
        lambda: dict(Locale.objects.values_list("language_code", "id")),
        CACHE_SECONDS,
    )


def default_locale_id(request: HttpRequest | None = None) -> int | None:
    return locale_ids(request).get(_language(settings.LANGUAGE_CODE))


def active_locale_id(request: HttpRequest | None = None) -> int | None:
    """The active language's locale, or None when it is the default language (or has no
    locale): then every page is read as it is."""
    language = _language(translation.get_language() or settings.LANGUAGE_CODE)
    if language == _language(settings.LANGUAGE_CODE):
        return None
    return locale_ids(request).get(language)


def is_translation(page: Page, request: HttpRequest | None = None) -> bool:
    return page.locale_id != default_locale_id(request)


def source_page(page: Page, request: HttpRequest | None = None) -> Page | None:
    """The default language's page that ``page`` translates (``page`` itself when it is
    in the default language), as its specific type; None when the source is gone."""
    if not is_translation(page, request):
        return page
    default = default_locale_id(request)
    found = content_cache.get_or_build(
        f"courses:source:{page.translation_key}:{content_version(request)}",
        lambda: Page.objects.filter(translation_key=page.translation_key, locale_id=default).specific().first()
        or MISSING,
        CACHE_SECONDS,
    )
    return None if found == MISSING else content_cache.own_copy(found)


def in_active_language(url: str) -> str:
    """A URL of the page tree under the active language's prefix (an unprefixed URL in the
    default language)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if not url or _language(language) == _language(settings.LANGUAGE_CODE):
        return url
    with translation.override(settings.LANGUAGE_CODE):  # read as the default language's URL
        return translate_url(url, language)


def localize_outline(
    outline: Outline, *, course: Page, course_url: str, request: HttpRequest | None = None
) -> Outline:
    """``outline`` (the source course's) as the active language reads it: titles and URLs
    of the published translations, the source pages' elsewhere. Ids stay the source
    pages'. The outline itself when the active language is the default."""
    locale_id = active_locale_id(request)
    if locale_id is None:
        return outline
    key = f"courses:outline-in:{locale_id}:{outline.course_id}:{course_url}:{content_version(request)}"
    return content_cache.get_or_build(
        key, lambda: _localized(outline, course, course_url, locale_id, request), CACHE_SECONDS
    )


def _localized(
    outline: Outline, course: Page, course_url: str, locale_id: int, request: HttpRequest | None
) -> Outline:
    ids = [course.id] + [m.id for m in outline.modules] + [i.id for i in outline.items]
    keys = dict(Page.objects.filter(id__in=ids).values_list("id", "translation_key"))
    translated = {
        row[0]: row[1:]
        for row in Page.objects.live()
        .filter(locale_id=locale_id, translation_key__in=keys.values())
        .values_list("translation_key", "id", "title", "url_path", "path")
    }
    course_row = translated.get(keys.get(course.id))
    translated_course = None
    if course_row is not None:
        translated_course = Page.objects.get(id=course_row[0])
    translated_url = translated_course.get_url(request) if translated_course is not None else None

    def found_under(page_id: int, parent_path: str | None) -> tuple | None:
        row = translated.get(keys.get(page_id))
        if row is None or parent_path is None or row[3][: -Page.steplen] != parent_path:
            return None  # not translated, not published, or not where its source is
        return row

    course_path = course_row[3] if course_row else None
    modules: list[OutlineModule] = []
    module_paths: dict[int, str | None] = {}
    module_titles: dict[int, str] = {}
    for module in outline.modules:
        row = found_under(module.id, course_path)
        module_paths[module.id] = row[3] if row else None
        module_titles[module.id] = row[1] if row else module.title

    def item_in_language(item: OutlineItem) -> OutlineItem:
        parent = module_paths.get(item.module_id) if item.module_id else course_path
        row = found_under(item.id, parent)
        if row is None or translated_url is None:
            return replace(item, url=in_active_language(item.url) if item.url else item.url)
        return replace(
            item, title=row[1], url=translated_url + row[2][len(translated_course.url_path) :], translation_id=row[0]
        )

    items = [item_in_language(item) for item in outline.items]
    by_id = {i.id: i for i in items}
    for module in outline.modules:
        modules.append(
            replace(module, title=module_titles[module.id], items=[by_id[i.id] for i in module.items])
        )
    return replace(
        outline, modules=modules, items=items, by_id=by_id, loose_items=[by_id[i.id] for i in outline.loose_items],
        course_url=translated_url if translated_url is not None else in_active_language(course_url),
        course_title=translated_course.title if translated_course is not None else "",
    )


def localized_url(page: Page, request: HttpRequest | None = None) -> str:
    """Where to send a learner to read ``page`` (a source page) in the active language:
    its published translation, else the page itself under the language's prefix."""
    locale_id = active_locale_id(request)
    if locale_id is not None:
        translated = Page.objects.live().filter(translation_key=page.translation_key, locale_id=locale_id).first()
        if translated is not None:
            return translated.get_url(request)
        return in_active_language(page.get_url(request))
    return page.get_url(request)


def translation_of(page: Page, request: HttpRequest | None = None) -> Page | None:
    """``page``'s published translation in the active language (None in the default
    language, or when there is none), as the same type as ``page``."""
    locale_id = active_locale_id(request)
    if locale_id is None or page.locale_id == locale_id:
        return None
    return type(page).objects.live().filter(translation_key=page.translation_key, locale_id=locale_id).first()


def source_ids(pages: list[Page], request: HttpRequest | None = None) -> dict[int, int]:
    """Each page's source page id by the page's id (one query when any is a translation)."""
    default = default_locale_id(request)
    keys = {page.id: page.translation_key for page in pages if page.locale_id != default}
    found = {}
    if keys:
        found = dict(
            Page.objects.filter(locale_id=default, translation_key__in=keys.values()).values_list("translation_key", "id")
        )
    return {page.id: found.get(keys[page.id]) if page.id in keys else page.id for page in pages}


def translations_of(pages: list[Page], request: HttpRequest | None = None) -> dict[int, Page]:
    """The published translations of ``pages`` (source pages) in the active language, by
    source page id, as their specific types (one query; none in the default language)."""
    locale_id = active_locale_id(request)
    if locale_id is None or not pages:
        return {}
    keys = {page.translation_key: page.id for page in pages}
    found = Page.objects.live().filter(locale_id=locale_id, translation_key__in=keys).specific()
    return {keys[page.translation_key]: page for page in found}


def title_in_active_language(page: Page, request: HttpRequest | None = None) -> str:
    """``page``'s title as the active language reads it: its published translation's,
    else its own (kept under the content version: no query on a warm page)."""
    locale_id = active_locale_id(request)
    if locale_id is None or page.locale_id == locale_id:
        return page.title
    found = content_cache.get_or_build(
        f"courses:title-in:{locale_id}:{page.translation_key}:{content_version(request)}",
        lambda: Page.objects.live()
        .filter(translation_key=page.translation_key, locale_id=locale_id)
        .values_list("title", flat=True)
        .first()
        or MISSING,
        CACHE_SECONDS,
    )
    return page.title if found == MISSING else found


def page_alternate_urls(page: Page, request: HttpRequest | None = None) -> dict[str, str]:
    """``page``'s address in each language, {code: path}: its published translation's
    (whose slugs may differ), else its source page's under that language's prefix (read
    in the source language with the site around it translated). For the language
    switcher and the hreflang links (``kernel.i18n.alternate_urls``); kept under the
    content version, so a warm page asks nothing more."""
    return content_cache.get_or_build(
        f"courses:alternates:{page.translation_key}:{content_version(request)}",
        lambda: _alternates(page, request),
        CACHE_SECONDS,
    )


def _alternates(page: Page, request: HttpRequest | None) -> dict[str, str]:
    default_language = _language(settings.LANGUAGE_CODE)
    by_language = {
        _language(found.locale.language_code): found
        for found in Page.objects.live().filter(translation_key=page.translation_key).select_related("locale")
    }
    source = by_language.get(default_language, page)
    source_path = source.get_url_parts(request)
    source_path = source_path[2] if source_path else "/"
    urls = {}
    for code, _name in settings.LANGUAGES:
        found = by_language.get(_language(code))
        parts = found.get_url_parts(request) if found is not None and not _behind_unpublished(found) else None
        if parts and parts[2]:
            urls[code] = parts[2]
        elif code == default_language:
            urls[code] = source_path
        else:
            urls[code] = f"/{code}{source_path}"
    return urls


def _behind_unpublished(page: Page) -> bool:
    """True when a page above ``page`` (below the tree's root) is not published."""
    return Page.objects.ancestor_of(page).filter(depth__gt=1, live=False).exists()
