"""A fast route to lessons, the most visited pages.

Wagtail resolves a URL by walking the tree, two queries per level; a lesson sits four
levels below the home page. ``route_to_lesson`` finds the live lesson and its course
with at most two queries on indexed columns (path prefix, depth, slug) and keeps the
pair, with the course's URL, in the cache under the content version (see
``courses.outline``; this process keeps its own copy too, ``courses.content_cache``),
so that a warm route costs no query and no cache round trip beyond reading the version.
The lesson is handed its course and the course's URL, so the view needs no further
lookup. Anything that is not a live lesson falls back to Wagtail's walk.
Whether the lesson's module and course are live is checked by the view through the
course outline.
"""
from django.urls import get_script_prefix
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from . import content_cache

MISSING = "missing"  # cached "no lesson at this URL", so misses stay cheap too


def route_to_lesson(ancestor: Page, path_components: list[str], request=None) -> RouteResult | None:
    from .outline import CACHE_SECONDS, content_version  # outline imports the models

    url_path = ancestor.url_path + "".join(f"{c}/" for c in path_components)
    version = content_version(request)  # read once per request
    # The course's URL is relative to the request's site (two sites may reach this page
    # through different roots) and reversed under the script prefix: both in the key.
    # Wagtail has already found the site for this request: no query.
    site = Site.find_for_request(request) if request is not None else None
    key = f"courses:route:{site.pk if site else '-'}:{get_script_prefix()}{url_path}:{version}"
    found = content_cache.get_or_build(
        key, lambda: _find(ancestor, path_components, url_path, request) or MISSING, CACHE_SECONDS
    )
    if found == MISSING:
        return None
    shared_lesson, shared_course, course_url = found
    # The cached pages are shared by this process's requests: each gets its own copies.
    lesson, course = content_cache.own_copy(shared_lesson), content_cache.own_copy(shared_course)
    lesson.routed_course = course
    lesson.routed_course_url = course_url
    lesson.routed_content_version = version
    return RouteResult(lesson)


def _find(ancestor: Page, path_components: list[str], url_path: str, request):
    from .models import CoursePage, LessonPage

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
    return lesson, course, course.get_url(request) if course is not None else None


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

    def get_view_restrictions(self):
        from .outline import CACHE_SECONDS, content_version

        version = getattr(self, "routed_content_version", None) or content_version()
        cached = content_cache.get_or_build(
            f"courses:restrictions:{self.path}:{version}",
            lambda: list(super(CachedViewRestrictions, self).get_view_restrictions()),
            CACHE_SECONDS,
        )
        restrictions = PageViewRestriction.objects.filter(pk__in=[r.pk for r in cached])
        restrictions._result_cache = list(cached)
        restrictions._prefetch_done = True
        return restrictions
