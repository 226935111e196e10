"""What keeps the lesson page cheap must not change what it shows: this process's copies of
routes, outlines and view restrictions (``courses.content_cache``), the enrolment read with
the lesson's progress and reflections in one query, and the skipped no-op write."""
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from courses import content_cache, selectors, services
from courses.models import LessonProgress, ReflectionAnswer
from tests.factories import UserFactory, build_course, lessons_of

pytestmark = pytest.mark.django_db
# The one read with the lesson's progress and reflections is PostgreSQL's (array subqueries);
# elsewhere the page asks for them on their own, as it did before.
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's one read")


def enrolled_client(client, course):
    user = UserFactory()
    services.enrollment_create(user=user, course=course)
    client.force_login(user)
    return user


def test_a_published_edit_shows_on_the_lesson_itself_though_this_process_kept_a_copy(client):
    course = build_course(modules=1, lessons_per_module=2)
    enrolled_client(client, course)
    first, second = lessons_of(course)
    assert b"Renamed lesson" not in client.get(first.url).content  # route and outline now kept
    first.title = "Renamed lesson"
    first.save_revision().publish()
    page = client.get(first.url).content
    assert b'<h1 id="lesson-title">Renamed lesson</h1>' in page  # the routed lesson is not the old copy
    assert b"Renamed lesson" in client.get(second.url).content  # nor the outline beside another lesson
    second.refresh_from_db()
    second.unpublish()
    assert client.get(second.url).status_code == 404  # nor the route to a withdrawn lesson
    assert second.title.encode() not in client.get(first.url).content


def test_a_view_restriction_applies_at_once_though_this_process_kept_the_old_list(client):
    course = build_course(modules=1, lessons_per_module=1)
    enrolled_client(client, course)
    lesson = lessons_of(course)[0]
    assert b"Mark complete" in client.get(lesson.url).content
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.PASSWORD, password="x")
    assert b"Mark complete" not in client.get(lesson.url).content


def test_a_warm_lesson_page_reads_only_the_content_version_from_the_shared_cache(client, monkeypatch):
    course = build_course(modules=1, lessons_per_module=2)
    enrolled_client(client, course)
    lesson = lessons_of(course)[0]
    client.get(lesson.url)
    read = []
    for name in ("get", "get_many"):
        original = getattr(cache, name)
        monkeypatch.setattr(cache, name, lambda key, *a, _o=original, **k: read.append(key) or _o(key, *a, **k))
    assert client.get(lesson.url).status_code == 200
    assert [key for key in read if str(key).startswith("courses:")] == ["courses:outline-version"]


def test_this_processs_copies_expire_with_the_timeout_and_are_bounded(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(content_cache.time, "monotonic", lambda: now[0])
    memo = content_cache.Memo(size=2)
    memo.set("a", 1, timeout=600)
    now[0] += 599
    assert memo.get("a") == 1
    now[0] += 1
    assert memo.get("a") is content_cache.ABSENT  # never kept longer than the shared cache keeps it
    memo.set("a", 1, timeout=600)
    memo.set("b", 2, timeout=600)
    memo.get("a")  # used: "b" is now the least recently used
    memo.set("c", 3, timeout=600)
    assert memo.get("b") is content_cache.ABSENT and memo.get("a") == 1 and memo.get("c") == 3


def test_get_or_build_builds_once_and_shares_the_value_through_the_cache():
    built = []
    assert content_cache.get_or_build("courses:test:1", lambda: built.append(1) or "value", 60) == "value"
    assert content_cache.get_or_build("courses:test:1", lambda: built.append(1) or "other", 60) == "value"
    assert built == [1]
    content_cache.clear()  # another process: finds it in the shared cache, builds nothing
    assert content_cache.get_or_build("courses:test:1", lambda: built.append(1) or "other", 60) == "value"
    assert built == [1] and cache.get("courses:test:1") == "value"


def updates(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]


@postgresql_only
def test_a_quick_reload_writes_nothing_and_a_return_after_a_break_restarts_timing(client):
    course = build_course(modules=1, lessons_per_module=2)
    user = enrolled_client(client, course)
    lesson = lessons_of(course)[0]
    client.get(lesson.url)
    progress = LessonProgress.objects.get(enrollment__user=user, lesson=lesson)
    seen = progress.last_seen_at
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(lesson.url).status_code == 200
    assert updates(ctx) == []  # the view knew from its one read that the update would change nothing
    progress.refresh_from_db()
    assert progress.last_seen_at == seen
    # Back after ten minutes away: the view restarts timing, so the break counts nothing.
    LessonProgress.objects.filter(pk=progress.pk).update(last_seen_at=seen - timedelta(minutes=10))
    with CaptureQueriesContext(connection) as ctx:
        client.get(lesson.url)
    assert len(updates(ctx)) == 1
    progress.refresh_from_db()
    assert progress.last_seen_at >= seen
    heartbeat = client.post(reverse("courses:heartbeat", args=[course.id, lesson.id]))
    assert heartbeat.json()["time_spent_seconds"] < 60


def test_opening_another_lesson_still_moves_where_to_continue(client):
    course = build_course(modules=1, lessons_per_module=2)
    user = enrolled_client(client, course)
    first, second = lessons_of(course)
    for lesson in (first, second, first):
        client.get(lesson.url)
        assert user.enrollments.get().last_lesson_id == lesson.id
    assert LessonProgress.objects.filter(enrollment__user=user).count() == 2


@postgresql_only
def test_the_one_read_for_a_lesson_is_the_learners_own_in_that_course_and_lesson():
    """The compiled query puts each value where its placeholder was: swapped ids would
    show another learner's or another lesson's rows."""
    one, two = build_course(title="One"), build_course(title="Two")
    alice, bob = UserFactory(), UserFactory()
    lesson, other = lessons_of(one)[:2]
    prompt = next(b.id for b in lesson.body if b.block_type == "reflection")
    other_prompt = next(b.id for b in other.body if b.block_type == "reflection")
    now = timezone.now()
    for user in (alice, bob):
        for course in (one, two):
            services.enrollment_create(user=user, course=course)
    services.lesson_complete(enrollment=alice.enrollments.get(course=one), lesson=other)
    services.lesson_view_record(enrollment=bob.enrollments.get(course=one), lesson=lesson, now=now)
    ReflectionAnswer.objects.create(user=alice, lesson=lesson, block_id=prompt, text="Alice, this lesson")
    ReflectionAnswer.objects.create(user=alice, lesson=other, block_id=other_prompt, text="Alice, the other")
    ReflectionAnswer.objects.create(user=bob, lesson=lesson, block_id=prompt, text="Bob, this lesson")

    enrollment = selectors.enrollment_for_lesson(user=alice, course_id=one.id, lesson_id=lesson.id)
    assert (enrollment.user_id, enrollment.course_id) == (alice.id, one.id)
    assert enrollment.prefetched_completed_ids == {other.id}
    assert enrollment.prefetched_last_seen == (lesson.id, None)  # Bob opened it, not Alice
    assert selectors.reflection_answers(user=alice, page=lesson, enrollment=enrollment) == {
        prompt: "Alice, this lesson"
    }
    bobs = selectors.enrollment_for_lesson(user=bob, course_id=one.id, lesson_id=lesson.id)
    assert bobs.prefetched_last_seen == (lesson.id, now)
    assert selectors.reflection_answers(user=bob, page=lesson, enrollment=bobs) == {prompt: "Bob, this lesson"}
    # Read without the lesson: the same enrolment, answers asked for on their own.
    plain = selectors.enrollment_for(user=alice, course_id=two.id)
    assert (plain.user_id, plain.course_id, plain.prefetched_completed_ids) == (alice.id, two.id, set())
    assert selectors.reflection_answers(user=alice, page=other) == {other_prompt: "Alice, the other"}
    assert selectors.enrollment_for_lesson(user=UserFactory(), course_id=one.id, lesson_id=lesson.id) is None


def test_images_and_documents_are_looked_up_again_though_the_lesson_is_kept(client, settings, tmp_path):
    """Documents and images change without a page save (no new content version): each
    request renders its own body, so a renamed worksheet or a deleted image shows at once."""
    import io

    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    settings.MEDIA_ROOT = tmp_path / "media"
    course = build_course(modules=1, lessons_per_module=1)
    enrolled_client(client, course)
    (lesson,) = lessons_of(course)
    png = io.BytesIO()
    PILImage.new("RGB", (20, 20), "red").save(png, "PNG")
    document = get_document_model().objects.create(title="Old worksheet", file=ContentFile(b"x", name="w.pdf"))
    image = get_image_model().objects.create(title="A red square", file=ImageFile(png, name="red.png"))
    lesson.body = list(lesson.body.raw_data) + [
        {"type": "worksheet", "value": {"document": document.pk}},
        {"type": "image", "value": {"image": image.pk, "alt_text": "A red square", "caption": ""}},
    ]
    lesson.save_revision().publish()
    page = client.get(lesson.url).content.decode()
    assert "Old worksheet" in page and 'alt="A red square"' in page  # and the route is now kept

    document.title = "New worksheet"
    document.save()
    page = client.get(lesson.url).content.decode()
    assert "New worksheet" in page and "Old worksheet" not in page
    image.delete()
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert 'alt="A red square"' not in response.content.decode()


def test_the_course_url_kept_with_a_route_is_the_requests_sites(client, settings):
    """Two sites can reach the same lesson through different roots: each gets the course
    URL Wagtail gives its own requests, and a site change is seen at once."""
    from django.test import RequestFactory
    from wagtail.models import Page, Site

    settings.ALLOWED_HOSTS = ["*"]
    course = build_course(modules=1, lessons_per_module=1)
    enrolled_client(client, course)
    (lesson,) = lessons_of(course)
    default = Site.objects.get(is_default_site=True)
    other = Site.objects.create(hostname="other.test", port=80, root_page=Page.get_first_root_node(), site_name="Other")

    def breadcrumb(host):  # the course link as Wagtail builds it for a request to ``host``
        url = course.get_url(request=RequestFactory().get("/", HTTP_HOST=host))
        return f'<nav class="breadcrumb" aria-label="Breadcrumb">\n  <a href="{url}">'

    assert breadcrumb("other.test") != breadcrumb(default.hostname)
    on_other = client.get(lesson.url_path, HTTP_HOST="other.test")  # its root is the tree's: first, so kept
    on_default = client.get(lesson.relative_url(default), HTTP_HOST=default.hostname)
    assert (on_other.status_code, on_default.status_code) == (200, 200)
    assert breadcrumb("other.test") in on_other.content.decode()
    assert breadcrumb(default.hostname) in on_default.content.decode()
    # The other site now answers under another name: the kept URLs follow at once.
    other.hostname = "renamed.test"
    other.save()
    renamed = client.get(lesson.url_path, HTTP_HOST="renamed.test")
    assert renamed.status_code == 200
    assert breadcrumb("renamed.test") in renamed.content.decode()
