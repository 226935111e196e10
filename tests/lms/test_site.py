"""Health check, production settings, staff groups and the moderation workflow."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, Workflow

from tests.factories import UserFactory, build_course, lessons_of

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_reports_database_and_in_process_tasks(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "not configured: tasks run in-process",
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_pages_name_their_icon_and_favicon_ico_leads_to_it(client):
    from django.contrib.staticfiles import finders

    icon = "/static/img/favicon.svg"
    assert f'<link rel="icon" href="{icon}" type="image/svg+xml">' in client.get("/").content.decode()
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (302, icon)
    assert finders.find("img/favicon.svg")


def _manage(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    env.update({"DJANGO_SETTINGS_MODULE": "lms.settings.production", **(env_extra or {})})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 30 + "-production-like-secret-key-0123456789", "ALLOWED_HOSTS": "training.example.org",
    "CREDENTIAL_SIGNING_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",  # bytes 0..31, base64
    "ATTENDANCE_KEYS": "k1:attendance-test-production-like-secret-0123456789abcdef",
}


def test_production_refuses_a_per_process_cache():
    result = _manage("check", env_extra={**PRODUCTION_ENV, "REDIS_URL": ""})
    assert result.returncode != 0
    assert "cache shared by all processes" in result.stderr


def test_a_broker_without_a_shared_cache_fails_the_checks(settings):
    from lms.checks import shared_cache_with_workers

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert [e.id for e in shared_cache_with_workers(None)] == ["lms.E001"]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert shared_cache_with_workers(None) == []


def test_production_deploy_check_reports_nothing():
    result = _manage(
        "check", "--deploy", "--fail-level", "DEBUG",
        env_extra={**PRODUCTION_ENV, "REDIS_URL": "redis://127.0.0.1:6379/13"},
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_staff_groups_and_review_workflow_exist():
    authors = Group.objects.get(name="Course authors")
    publishers = Group.objects.get(name="Course publishers")
    root = Page.objects.get(depth=1)
    assert set(authors.page_permissions.filter(page=root).values_list("permission__codename", flat=True)) == {
        "add_page", "change_page"
    }
    assert "publish_page" in publishers.page_permissions.filter(page=root).values_list("permission__codename", flat=True)
    workflow = Workflow.objects.get(name="Course review")
    assert workflow.active
    task = workflow.tasks.get().specific
    assert list(task.groups.all()) == [publishers]
    assert root.get_workflow() == workflow


@pytest.mark.django_db
def test_author_can_edit_and_submit_but_not_publish():
    course = build_course()
    lesson = lessons_of(course)[0]
    author = UserFactory()
    author.groups.add(Group.objects.get(name="Course authors"))
    publisher = UserFactory()
    publisher.groups.add(Group.objects.get(name="Course publishers"))
    assert lesson.permissions_for_user(author).can_edit()
    assert not lesson.permissions_for_user(author).can_publish()
    assert lesson.permissions_for_user(publisher).can_publish()
    # The workflow: the author submits, the publisher's approval publishes.
    lesson.title = "Revised lesson"
    revision = lesson.save_revision(user=author)
    workflow_state = lesson.get_workflow().start(lesson, author)
    assert workflow_state.status == "in_progress"
    lesson.refresh_from_db()
    assert lesson.live_revision_id != revision.id
    task_state = workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, publisher, "approve")
    lesson.refresh_from_db()
    assert lesson.title == "Revised lesson" and lesson.live_revision_id == revision.id


@pytest.mark.django_db
def test_admin_requires_sign_in_through_the_throttled_form(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_staff_see_enrolments_read_only(client):
    from courses import services

    course = build_course()
    learner = UserFactory(email="visible@example.org")
    enrollment, _ = services.enrollment_create(user=learner, course=course)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    listing = client.get("/admin/enrollments/")
    assert listing.status_code == 200 and learner.certificate_name.encode() in listing.content
    assert client.get(f"/admin/enrollments/inspect/{enrollment.pk}/").status_code == 200
    for url in ("/admin/enrollments/new/", f"/admin/enrollments/edit/{enrollment.pk}/", f"/admin/enrollments/delete/{enrollment.pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    assert client.post(f"/admin/enrollments/delete/{enrollment.pk}/").status_code in (302, 403)
    assert type(enrollment).objects.filter(pk=enrollment.pk).exists()
    # A learner cannot reach the admin at all.
    client.force_login(learner)
    assert client.get("/admin/enrollments/").status_code == 302


@pytest.mark.django_db
def test_page_titles_name_the_page_then_the_site_once(client, settings):
    from lms.models import HomePage

    home = HomePage.objects.get()
    settings.WAGTAIL_SITE_NAME = home.title  # the home page is named like the site
    assert f"<title>{home.title}</title>" in client.get("/").content.decode()
    course = build_course(title="Listening First")
    assert f"<title>Listening First · {home.title}</title>" in client.get(course.url).content.decode()


@pytest.mark.django_db
def test_the_admin_calls_no_outside_service(client):
    """No Gravatar (a hash of staff emails) and no release check from staff browsers."""
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get("/admin/").content.decode()
    assert "gravatar.com" not in page
    assert "releases.wagtail.org" not in page and "data-w-upgrade" not in page
