"""Who may see what: visitors, learners not enrolled, drafts, other people's reflections."""
import pytest
from django.test.utils import CaptureQueriesContext
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from courses import services
from courses.models import LessonPage, ReflectionAnswer
from tests.factories import UserFactory, build_course, lesson_body, lessons_of

pytestmark = pytest.mark.django_db


def test_visitor_reads_course_page_but_not_lessons(client):
    course = build_course()
    lesson = lessons_of(course)[0]
    page = client.get(course.url)
    assert page.status_code == 200
    assert lesson.title.encode() in page.content  # the outline is public
    assert f'href="{lesson.url}"'.encode() not in page.content  # but not linked
    response = client.get(lesson.url, follow=True)
    assert response.redirect_chain == [(course.url, 302)]
    assert b"Sign in and enrol" in response.content
    assert b"Lesson text" not in response.content


def test_learner_not_enrolled_is_sent_to_course_page(client):
    course = build_course()
    lesson = lessons_of(course)[0]
    client.force_login(UserFactory())
    response = client.get(lesson.url, follow=True)
    assert response.redirect_chain == [(course.url, 302)]
    assert b"Enrol in this course to open its lessons" in response.content


def test_unpublished_pages_are_404_even_for_enrolled_learners(client):
    course = build_course(modules=2, lessons_per_module=2)
    user = UserFactory()
    services.enrollment_create(user=user, course=course)
    client.force_login(user)
    lessons = lessons_of(course)
    draft = lessons[0].get_parent().add_child(
        instance=LessonPage(title="Work in progress", body=lesson_body(), live=False)
    )
    assert client.get(draft.url).status_code == 404
    assert b"Work in progress" not in client.get(course.url).content
    # A published lesson inside a module that is withdrawn is hidden as well.
    hidden_module = lessons[2].get_parent()
    hidden_module.unpublish()
    assert client.get(lessons[2].url).status_code == 404
    assert lessons[2].title.encode() not in client.get(course.url).content
    assert client.post(reverse("courses:complete", args=[course.id, draft.id])).status_code == 404
    # A withdrawn course hides everything.
    course.unpublish()
    assert client.get(course.url).status_code == 404
    assert client.get(lessons[0].url).status_code == 404


def test_reflections_are_private(client):
    course = build_course()
    lesson = lessons_of(course)[0]
    block_id = next(b.id for b in lesson.body if b.block_type == "reflection")
    alice, bob = UserFactory(), UserFactory()
    for user in (alice, bob):
        services.enrollment_create(user=user, course=course)
    client.force_login(alice)
    url = reverse("courses:reflection", args=[course.id, lesson.id])
    client.post(url, {"block_id": block_id, "text": "I would start by listening."})
    assert b"I would start by listening." in client.get(lesson.url).content
    client.force_login(bob)
    assert b"I would start by listening." not in client.get(lesson.url).content
    # Saving again updates the one answer; a made-up prompt id is refused.
    client.force_login(alice)
    client.post(url, {"block_id": block_id, "text": "Listen, then ask."})
    response = client.post(url, {"block_id": "not-a-prompt", "text": "x"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert list(ReflectionAnswer.objects.values_list("user_id", "text")) == [(alice.id, "Listen, then ask.")]


def test_reflection_needs_enrolment(client):
    course = build_course()
    lesson = lessons_of(course)[0]
    block_id = next(b.id for b in lesson.body if b.block_type == "reflection")
    client.force_login(UserFactory())
    url = reverse("courses:reflection", args=[course.id, lesson.id])
    assert client.post(url, {"block_id": block_id, "text": "x"}).status_code == 404
    assert not ReflectionAnswer.objects.exists()


def test_forms_require_csrf(client):
    from django.test import Client

    course = build_course()
    user = UserFactory()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post(reverse("courses:enrol", args=[course.id])).status_code == 403


def test_author_preview_shows_a_draft_lesson(client):
    course = build_course()
    lesson = lessons_of(course)[0]
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[lesson.id]))
    assert response.status_code == 200
    assert b"Preview: this is how learners will see the lesson." in response.content
    # A course still being written (never published) can be previewed too, by staff only.
    course.unpublish()
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[lesson.id]))
    assert response.status_code == 200 and b"Preview:" in response.content
    client.force_login(UserFactory())
    assert client.get(reverse("wagtailadmin_pages:view_draft", args=[lesson.id])).status_code in (302, 403)


def lesson_page_queries(client, lessons_per_module: int, modules: int, *, cold: bool = False) -> int:
    course = build_course(title=f"Size {modules * lessons_per_module}", modules=modules, lessons_per_module=lessons_per_module)
    user = UserFactory()
    services.enrollment_create(user=user, course=course)
    lessons = lessons_of(course)
    for lesson in lessons[:2]:
        services.lesson_complete(enrollment=user.enrollments.get(), lesson=lesson)
    client.force_login(user)
    target = lessons[2]
    client.get(target.url)  # warm caches (content types, site root paths)
    if cold:
        cache.clear()  # the outline is read from the database again
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(target.url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("cold", [False, True], ids=["outline-cached", "outline-cold"])
def test_lesson_page_queries_do_not_grow_with_course_size(client, cold):
    small = lesson_page_queries(client, lessons_per_module=5, modules=1, cold=cold)
    large = lesson_page_queries(client, lessons_per_module=10, modules=6, cold=cold)
    assert small == large, f"5-lesson course: {small} queries, 60-lesson course: {large}"


def test_outline_follows_content_changes_at_once(client):
    course = build_course(modules=1, lessons_per_module=2)
    user = UserFactory()
    services.enrollment_create(user=user, course=course)
    client.force_login(user)
    first = lessons_of(course)[0]
    assert client.get(first.url).status_code == 200  # outline now cached
    module = first.get_parent()
    added = module.add_child(instance=LessonPage(title="Freshly published", body=lesson_body(), live=False))
    assert b"Freshly published" not in client.get(course.url).content
    added.save_revision().publish()
    assert b"Freshly published" in client.get(course.url).content
    first.title = "Renamed lesson"
    first.save_revision().publish()
    assert b"Renamed lesson" in client.get(added.url).content
    added.refresh_from_db()  # publish() worked on a copy; this instance still says draft
    added.unpublish()
    assert b"Freshly published" not in client.get(course.url).content


def course_page_queries(client, modules, per_module):
    course = build_course(title=f"C{modules}x{per_module}", modules=modules, lessons_per_module=per_module)
    client.get(course.url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(course.url)
    return len(ctx.captured_queries)


def test_course_page_queries_do_not_grow_with_course_size(client):
    assert course_page_queries(client, 1, 5) == course_page_queries(client, 6, 10)


def test_view_restrictions_apply_to_lessons_at_once_though_cached(client):
    """Lessons keep Wagtail's view restrictions in the cache: adding or removing one
    still applies on the next request."""
    from wagtail.models import PageViewRestriction

    course = build_course(modules=1, lessons_per_module=1)
    user = UserFactory()
    services.enrollment_create(user=user, course=course)
    client.force_login(user)
    lesson = lessons_of(course)[0]
    assert client.get(lesson.url).status_code == 200  # restrictions (none) now cached
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.PASSWORD, password="facilitators"
    )
    response = client.get(lesson.url)
    assert response.status_code == 200 and b"password" in response.content.lower()
    assert b"Mark complete" not in response.content
    restriction.delete()
    assert b"Mark complete" in client.get(lesson.url).content


@pytest.mark.parametrize("where", ["course", "catalogue"])
def test_view_restrictions_apply_to_course_and_catalogue_pages_at_once_though_cached(client, where):
    """The catalogue and course pages keep Wagtail's view restrictions in the cache too."""
    from wagtail.models import PageViewRestriction

    from courses.models import CourseIndexPage

    course = build_course(modules=1, lessons_per_module=1)
    page = course if where == "course" else CourseIndexPage.objects.get()
    assert course.title.encode() in client.get(page.url).content  # restrictions (none) now cached
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="facilitators"
    )
    response = client.get(page.url)
    assert response.status_code == 200 and b'name="password"' in response.content
    assert course.title.encode() not in response.content
    restriction.delete()
    assert course.title.encode() in client.get(page.url).content


def test_a_warm_course_page_reads_no_view_restriction(client):
    course = build_course(modules=1, lessons_per_module=1)
    client.get(course.url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(course.url).status_code == 200
    assert not [q for q in ctx.captured_queries if "wagtailcore_pageviewrestriction" in q["sql"]]


@pytest.mark.parametrize("which", ["catalogue", "course", "lesson"])
def test_staff_can_open_the_privacy_dialog_of_pages_whose_restrictions_are_cached(client, which):
    """Wagtail's privacy dialog chains ``order_by()`` onto a page's restrictions."""
    from courses.models import CourseIndexPage

    course = build_course(modules=1, lessons_per_module=1)
    page = {"catalogue": CourseIndexPage.objects.get(), "course": course, "lesson": lessons_of(course)[0]}[which]
    client.get(page.url)  # restrictions cached
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("wagtailadmin_pages:set_privacy", args=[page.id])).status_code == 200


def test_staff_can_copy_a_whole_course(client):
    """Copying checks the new pages' restrictions with ``exists()``: the copy completes."""
    from wagtail.models import Page

    course = build_course(title="To copy", modules=2, lessons_per_module=2)
    client.get(course.url)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(reverse("wagtailadmin_pages:copy", args=[course.id]), {
        "new_title": "Copied course", "new_slug": "copied-course", "new_parent_page": course.get_parent().id,
        "copy_subpages": "on", "publish_copies": "",
    })
    assert response.status_code == 302
    copy = Page.objects.get(slug="copied-course")
    assert copy.get_descendants().count() == course.get_descendants().count() == 6
