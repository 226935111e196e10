"""Course pages as the catalogue and the learning views find them."""
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest
from wagtail.models import Page

from .. import languages
from ..models import CourseIndexPage, CoursePage


def catalogue_courses(
    *, index: CourseIndexPage | None = None, request: HttpRequest | None = None
) -> QuerySet[CoursePage]:
    """The published courses (under ``index``), each once: in the active language when a
    published translation exists, else the source course."""
    if index is not None:
        index = languages.source_page(index, request) or index
    courses = CoursePage.objects.live().public().select_related("cover_image")
    if languages.active_locale_id(request) is None:
        courses = courses.filter(locale_id=languages.default_locale_id(request))
        return (courses.child_of(index) if index is not None else courses).order_by("path")
    sources = courses.filter(locale_id=languages.default_locale_id(request))
    if index is not None:
        sources = sources.child_of(index)
    sources = list(sources.order_by("path").values_list("id", "translation_key"))
    translated = dict(
        courses.filter(
            locale_id=languages.active_locale_id(request), translation_key__in=[key for _, key in sources]
        ).values_list("translation_key", "id")
    )
    shown = [translated.get(key, source_id) for source_id, key in sources]
    order = Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(shown)), output_field=IntegerField())
    return CoursePage.objects.filter(pk__in=shown).select_related("cover_image").order_by(order) if shown else (
        CoursePage.objects.none()
    )


def course_for_page(page: Page, *, live: bool = True) -> CoursePage | None:
    """The (live) course a lesson or quiz page belongs to, in one query. Authors' previews
    ask with ``live=False``: a course being written is not published yet."""
    courses = CoursePage.objects.live() if live else CoursePage.objects.all()
    return courses.ancestor_of(page).first()
