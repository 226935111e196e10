"""Reading several outlines at once (``build_outlines``, for the organisation manager's
dashboard): the same outlines as ``build_outline(course, course_url="")``, sharing its
cache entries, in one query for all the courses not cached."""
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.content_cache import content_version
from courses.models import CoursePage, ModulePage
from courses.outline import build_outline, build_outlines
from tests.factories import build_course, build_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(catalogue):
    """Three courses with what an outline leaves out or marks: a draft module, a
    partners-only module, an optional quiz, a quiz directly in the course."""
    first = build_course(title="First", quiz=True)
    first_modules = list(ModulePage.objects.child_of(first))
    first_modules[1].unpublish()
    build_quiz(first, title="Final check")
    second = build_course(title="Second", modules=3, quiz=True)
    kept = ModulePage.objects.child_of(second).last()
    kept.partners_only = True
    kept.save_revision().publish()
    build_quiz(ModulePage.objects.child_of(second).first(), title="Practice", required=False)
    third = build_course(title="Third", modules=1)
    return [CoursePage.objects.get(pk=c.pk) for c in (first, second, third)]


def test_the_same_outlines_as_one_at_a_time(courses):
    together = build_outlines(courses)
    cache.clear()
    assert together == {course.id: build_outline(course, course_url="") for course in courses}
    first, second, _ = (together[course.id] for course in courses)
    assert [item.title for item in first.loose_items] == ["Final check"]
    assert all(item.module_id != ModulePage.objects.child_of(courses[0]).last().pk for item in first.items)
    assert len(second.partner_item_ids) == 3 and not first.partner_item_ids


def test_one_query_for_all_and_the_cache_shared_with_build_outline(courses):
    build_outlines(courses[:1])  # content types and the content version, once
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        outlines = build_outlines(courses)
    assert len(ctx.captured_queries) == 1
    with CaptureQueriesContext(connection) as ctx:
        assert build_outlines(courses) == outlines
        assert build_outline(courses[1], course_url="") == outlines[courses[1].id]
    assert len(ctx.captured_queries) == 0
    cache.delete(f"courses:outline:{courses[2].id}:{content_version()}:")  # evicted
    with CaptureQueriesContext(connection) as ctx:
        assert build_outlines(courses) == outlines
    [query] = ctx.captured_queries  # only the missing one is read
    assert courses[2].path in query["sql"] and courses[0].path not in query["sql"]


def test_no_courses_no_query(db):
    with CaptureQueriesContext(connection) as ctx:
        assert build_outlines([]) == {}
    assert not ctx.captured_queries
