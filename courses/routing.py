"""A fast route to lessons, the most visited pages.

Wagtail resolves a URL by walking the tree, two queries per level; a lesson sits four
levels below the home page. ``route_to_lesson`` finds it in one query on indexed columns
(path prefix, depth, slug) and its course from the cache (or one more query), and hands the course to the
lesson so the view needs no further lookup. Anything that is not a live lesson falls
back to Wagtail's walk. Whether the lesson's module and course are live is checked by
the view through the course outline.
"""
from django.core.cache import cache
from wagtail.models import Page
from wagtail.url_routing import RouteResult


def route_to_lesson(ancestor: Page, path_components: list[str]) -> RouteResult | None:
    from .models import CoursePage, LessonPage

    url_path = ancestor.url_path + "".join(f"{c}/" for c in path_components)
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
    if isinstance(ancestor, CoursePage) and ancestor.path == course_path:
        lesson.routed_course = ancestor
    else:
        lesson.routed_course = _course_at(course_path)
    return RouteResult(lesson)


def _course_at(path: str):
    """The course page at ``path``, from the cache while no page has changed."""
    from .models import CoursePage
    from .outline import CACHE_SECONDS, content_version  # outline imports the models

    key = f"courses:course:{path}:{content_version()}"
    course = cache.get(key)
    if course is None:
        course = CoursePage.objects.filter(path=path).first()
        if course is not None:
            cache.set(key, course, CACHE_SECONDS)
    return course
