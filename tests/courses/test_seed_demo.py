"""``manage.py seed_demo``: idempotent demo content and accounts that really work."""
import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from accounts.models import User
from courses import services
from courses.demo import facilitator, family
from courses.demo.markup import lesson_words
from courses.demo.people import DEMO_USERS
from courses.models import CoursePage, LessonPage, ModulePage, QuizPage
from courses.outline import build_outline
from lms.models import ContentPage

FACILITATOR_SLUG = "meeting-facilitator-training"
FAMILY_SLUG = "family-and-friends-facilitator-training"


def seed_demo(*args, **options) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, **options)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "users": User.objects.count(),
        "emails": EmailAddress.objects.count(),
        "documents": get_document_model().objects.count(),
        "images": get_image_model().objects.count(),
        "memberships": User.groups.through.objects.count(),
    }


def course(slug: str) -> CoursePage:
    return CoursePage.objects.get(slug=slug)


@pytest.mark.django_db
def test_running_twice_creates_nothing_new_and_update_restores_edits():
    first = seed_demo()
    assert not re.search(r"\b0 pages created", first)
    assert Page.find_problems() == ([], [], [], [], [])
    # An author's edit to a demo page survives a second run...
    lesson = LessonPage.objects.get(slug="abc-model")
    lesson.title = "Edited by an author"
    lesson.save_revision().publish()
    before = snapshot()
    second = seed_demo()
    assert snapshot() == before
    assert re.search(r"\b0 pages created, 0 updated", second)
    assert LessonPage.objects.get(pk=lesson.pk).title == "Edited by an author"
    assert "http://testserver/admin/" in second
    assert "learner@example.org / demo-learner-pass" in second
    # ...and --update rewrites the demo pages from the code, as new revisions.
    updated = seed_demo(update=True)
    assert re.search(r"\b0 pages created", updated) and not re.search(r"\b0 updated", updated)
    assert LessonPage.objects.get(pk=lesson.pk).title == "The ABC model"
    assert Page.objects.count() == before["pages"] and User.objects.count() == before["users"]
    assert Page.find_problems() == ([], [], [], [], [])


def test_facilitator_lessons_are_substantial():
    for lesson in facilitator.COURSE.lessons:
        assert 250 <= lesson_words(lesson) <= 500, lesson.title
    for lesson in family.COURSE.lessons:
        assert 200 <= lesson_words(lesson) <= 500, lesson.title
    lessons = facilitator.COURSE.lessons + family.COURSE.lessons
    kinds = [{kind for kind, _ in lesson.body} for lesson in lessons]
    assert sum("callout" in k for k in kinds) >= 0.8 * len(lessons)
    assert sum("reflection" in k for k in kinds) >= 0.8 * len(lessons)
    assert all("video" not in k for k in kinds)  # embeds would call the internet


@pytest.fixture(scope="class")
def seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seed once for the read-only tests of a class, and roll it all back afterwards.

    Seeding takes several seconds; the tests below only read the demo (or write inside
    their own transaction), so they share one seeded database state.
    """
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            seed_demo()
            yield media
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_once")
class TestSeededDemo:
    def test_facilitator_course_structure(self):
        fac = course(FACILITATOR_SLUG)
        assert fac.sequential and fac.is_free and fac.live
        assert 6 <= fac.estimated_hours <= 10
        assert 4 <= len(fac.learning_outcomes) <= 6
        assert fac.summary and fac.audience and fac.description
        assert fac.cover_image is not None
        modules = ModulePage.objects.child_of(fac)
        assert modules.count() == 6
        lessons = LessonPage.objects.descendant_of(fac)
        assert 14 <= lessons.count() <= 18
        assert 1 <= lessons.filter(required=False).count() <= 2
        last_items = [m.get_children().last().specific for m in modules]
        assert sum(isinstance(item, QuizPage) for item in last_items) >= 2
        final = fac.get_children().last().specific
        assert isinstance(final, QuizPage) and final.title == "Final assessment"
        # Everything is published through a revision, as the admin would.
        for page in fac.get_descendants(inclusive=True):
            assert page.live and page.live_revision_id and not page.has_unpublished_changes

    def test_family_course_structure(self):
        fam = course(FAMILY_SLUG)
        assert not fam.sequential and fam.is_free
        assert 2 <= ModulePage.objects.child_of(fam).count() <= 3
        assert 5 <= LessonPage.objects.descendant_of(fam).count() <= 7

    def test_worksheet_is_a_downloadable_document(self, client, settings, seeded_once):
        settings.MEDIA_ROOT = seeded_once  # where the seed saved the files
        lesson = LessonPage.objects.get(slug="cost-benefit-analysis")
        worksheets = [b.value for b in lesson.body if b.block_type == "worksheet"]
        assert len(worksheets) == 1
        document = worksheets[0]["document"]
        assert document.title == "Cost-benefit analysis worksheet" and document.file_size
        response = client.get(document.url)
        assert response.status_code == 200
        assert b"COST-BENEFIT ANALYSIS" in b"".join(response.streaming_content)

    def test_demo_accounts_can_sign_in(self, client):
        for spec in DEMO_USERS:
            user = User.objects.get(email=spec.email)
            assert user.certificate_name == spec.certificate_name and user.username == spec.email
            assert EmailAddress.objects.filter(
                user=user, email=spec.email, verified=True, primary=True
            ).exists()
            assert client.login(email=spec.email, password=spec.password), spec.email
            client.logout()
        admin = User.objects.get(email="admin@example.org")
        assert admin.is_staff and admin.is_superuser
        assert admin.certificate_name == "Demo Administrator"
        assert User.objects.get(email="learner@example.org").certificate_name == "Alex Learner"
        authors = Group.objects.get(name="Course authors").user_set
        publishers = Group.objects.get(name="Course publishers").user_set
        assert authors.filter(email="author@example.org").exists()
        assert publishers.filter(email="publisher@example.org").exists()

    def test_demo_learner_signs_in_through_the_login_form(self, client):
        response = client.post(
            reverse("account_login"),
            {"login": "learner@example.org", "password": "demo-learner-pass"},
        )
        assert response.status_code == 302
        assert client.get(reverse("courses:dashboard")).status_code == 200


    @pytest.mark.parametrize("slug", [FACILITATOR_SLUG, FAMILY_SLUG])
    def test_every_lesson_and_quiz_renders_for_an_enrolled_learner(self, client, slug):
        learner = User.objects.get(email="learner@example.org")
        demo_course = course(slug)
        services.enrollment_create(user=learner, course=demo_course)
        client.force_login(learner)
        assert client.get(demo_course.url).status_code == 200
        outline = build_outline(demo_course, course_url=demo_course.url)
        # In order, completing each lesson: the course may be taken in order.
        for item in outline.items:
            response = client.get(item.url)
            assert response.status_code == 200, item.url
            assert escape(item.title) in response.content.decode()
            if item.kind == "lesson":
                client.post(reverse("courses:complete", args=[demo_course.id, item.id]))
        assert client.get(reverse("courses:dashboard")).status_code == 200

    def test_about_page_and_catalogue(self, client):
        about = ContentPage.objects.get(slug="about")
        assert about.live and about.get_parent().specific_class.__name__ == "HomePage"
        response = client.get(about.url)
        assert response.status_code == 200
        assert b"nothing about the people who attend" in response.content
        catalogue = client.get("/courses/")
        assert b"Meeting Facilitator Training" in catalogue.content
        assert b"Family &amp; Friends Facilitator Training" in catalogue.content

    def test_no_placeholder_text(self):
        texts = []
        for page in Page.objects.all().specific():
            for field in ("title", "summary", "audience", "description", "intro"):
                texts.append(str(getattr(page, field, "") or ""))
            for field in ("body", "learning_outcomes"):
                if hasattr(page, field):
                    texts.append(str(list(getattr(page, field).raw_data)))
        text = " ".join(texts).lower()
        assert "lorem" not in text and "ipsum" not in text
        assert not re.search(r"https?://", text)  # nothing loads from, or points to, the internet


@pytest.mark.django_db
def test_large_course_has_exactly_n_lessons_and_is_idempotent(client):
    seed_demo(large_course=23)
    bench = course("benchmark-course")
    lessons = LessonPage.objects.descendant_of(bench).live()
    assert lessons.count() == 23
    assert [m.get_children().count() for m in ModulePage.objects.child_of(bench)] == [10, 10, 3]
    before = snapshot()
    seed_demo(large_course=23)
    assert snapshot() == before
    seed_demo(large_course=12)
    assert LessonPage.objects.descendant_of(bench).count() == 12
    assert ModulePage.objects.child_of(bench).count() == 2
    assert Page.find_problems() == ([], [], [], [], [])
    learner = User.objects.get(email="learner@example.org")
    services.enrollment_create(user=learner, course=bench)
    client.force_login(learner)
    lesson = LessonPage.objects.get(slug="lesson-11")
    assert lesson.url == "/courses/benchmark-course/module-2/lesson-11/"
    assert client.get(lesson.url).status_code == 200


@pytest.mark.django_db
def test_refuses_production_settings_and_bad_sizes(settings):
    with pytest.raises(CommandError):
        seed_demo(large_course=0)
    settings.SETTINGS_MODULE = "lms.settings.production"
    with pytest.raises(CommandError):
        seed_demo()
    assert not User.objects.filter(email="admin@example.org").exists()
