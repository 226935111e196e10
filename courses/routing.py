"""A fast route to lessons, the most visited pages.

Wagtail resolves a URL by walking the tree, two queries per level; a lesson sits four
levels below the home page. ``route_to_lesson`` finds the live lesson and its course
with at most two queries on indexed columns (path prefix, depth, slug) and keeps the
pair, with the course's URL, in the cache under the content version (see
``courses.content_cache``, where this process keeps its own copy too),
so that a warm route costs no query and no cache round trip beyond reading the version.
The lesson is handed its course and the course's URL, so the view needs no further
lookup. Anything that is not a live lesson falls back to Wagtail's walk.
Whether the lesson's module and course are live is checked by the view through the
course outline. A lesson in another language than the default is kept with its source
lesson and course (``courses.languages``), which the learner's progress belongs to.
"""
from django.http import HttpRequest
from django.urls import get_script_prefix
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from . import content_cache, languages
from .content_cache import CACHE_SECONDS, content_version
from .models import CoursePage, LessonPage

MISSING = "missing"  # cached "no lesson at this URL", so misses stay cheap too


def route_to_lesson(
    ancestor: Page, path_components: list[str], request: HttpRequest | None = None
) -> RouteResult | None:
    url_path = ancestor.url_path + "".join(f"{c}/" for c in path_components)
    version = content_version(request)  # read once per request
    # The course's URL is relative to the request's site (two sites may reach this page
    # through different roots) and reversed under the script prefix: both in the key.
    # Wagtail has already found the site for this request: no query.
    site = Site.find_for_request(request) if request is not None else None
    # Translations of the home page may share its URL path: the ancestor is in the key.
    key = f"courses:route:{site.pk if site else '-'}:{ancestor.pk}:{get_script_prefix()}{url_path}:{version}"
    found = content_cache.get_or_build(
        key, lambda: _find(ancestor, path_components, url_path, request) or MISSING, CACHE_SECONDS
    )
    if found == MISSING:
        return None
    shared_lesson, shared_course, course_url, source = found
    # The cached pages are shared by this process's requests: each gets its own copies.
    lesson, course = content_cache.own_copy(shared_lesson), content_cache.own_copy(shared_course)
    lesson.routed_course = course
    lesson.routed_course_url = course_url
    lesson.routed_content_version = version
    if source is not None:  # a translation: the source lesson, its course and the course's URL
        lesson.routed_source = (content_cache.own_copy(source[0]), content_cache.own_copy(source[1]), source[2])
    return RouteResult(lesson)


def _find(
    ancestor: Page, path_components: list[str], url_path: str, request: HttpRequest | None
) -> tuple[LessonPage, CoursePage | None, str | None, tuple | None] | None:
    lesson = (
        LessonPage.objects.live()
        .filter(
            path__startswith=ancestor.path,
            depth=ancestor.depth + len(path_components),
            slug=path_components[-1],
            url_path=url_path,
        )
        .first()
    )
    if lesson is None:
        return None
    course_path = lesson.path[: (lesson.depth - 2) * Page.steplen]  # lesson → module → course
    course = CoursePage.objects.filter(path=course_path).first()
    if course is None:
        return None
    source = None
    if languages.is_translation(lesson, request):
        source_lesson, source_course = languages.source_page(lesson, request), languages.source_page(course, request)
        if source_lesson is None or source_course is None:
            return None  # its source is gone: never served (Wagtail's walk serves it no further)
        source = (source_lesson, source_course, source_course.get_url(request))
    return lesson, course, course.get_url(request), source
