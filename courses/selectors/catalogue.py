"""Course pages as the catalogue and the learning views find them."""
from django.db.models import QuerySet
from wagtail.models import Page

from ..models import CourseIndexPage, CoursePage


def catalogue_courses(*, index: CourseIndexPage | None = None) -> QuerySet[CoursePage]:
    courses = CoursePage.objects.live().public().select_related("cover_image")
    if index is not None:
        courses = courses.child_of(index)
    return courses.order_by("path")


def course_for_page(page: Page, *, live: bool = True) -> CoursePage | None:
    """The (live) course a lesson or quiz page belongs to, in one query. Authors' previews
    ask with ``live=False``: a course being written is not published yet."""
    courses = CoursePage.objects.live() if live else CoursePage.objects.all()
    return courses.ancestor_of(page).first()
