"""A fast route to lessons, the most visited pages.

Wagtail resolves a URL by walking the tree, two queries per level; a lesson sits four
levels below the home page. ``route_to_lesson`` finds the live lesson and its course
with at most two queries on indexed columns (path prefix, depth, slug) and keeps the
pair in the cache under the content version (see ``courses.outline``), so that a warm
route costs no query at all. The lesson is handed its course, so the view needs no
further lookup. Anything that is not a live lesson falls back to Wagtail's walk.
Whether the lesson's module and course are live is checked by the view through the
course outline.
"""
from django.core.cache import cache
from wagtail.models import Page
from wagtail.url_routing import RouteResult

MISSING = "missing"  # cached "no lesson at this URL", so misses stay cheap too


def route_to_lesson(ancestor: Page, path_components: list[str], request=None) -> RouteResult | None:
    from .outline import CACHE_SECONDS, content_version  # outline imports the models

    url_path = ancestor.url_path + "".join(f"{c}/" for c in path_components)
    key = f"courses:route:{url_path}:{content_version(request)}"
    found = cache.get(key)
    if found is None:
        found = _find(ancestor, path_components, url_path) or MISSING
        cache.set(key, found, CACHE_SECONDS)
    if found == MISSING:
        return None
    lesson, course = found
    lesson.routed_course = course
    lesson.routed_content_version = content_version(request)  # read once per request
    return RouteResult(lesson)


def _find(ancestor: Page, path_components: list[str], url_path: str):
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
    return lesson, CoursePage.objects.filter(path=course_path).first()


class CachedViewRestrictions:
    """Lessons and quizzes are the most visited pages, and Wagtail checks every page's view
    restrictions (its own and its ancestors') with two queries on each request. They are
    kept in the cache under the content version, which any page change and any change
    of a view restriction bumps (courses/signals.py), so a new restriction applies at once.
    """

    def get_view_restrictions(self):
        from .outline import CACHE_SECONDS, content_version

        version = getattr(self, "routed_content_version", None) or content_version()
        key = f"courses:restrictions:{self.path}:{version}"
        restrictions = cache.get(key)
        if restrictions is None:
            restrictions = list(super().get_view_restrictions())
            cache.set(key, restrictions, CACHE_SECONDS)
        return restrictions
