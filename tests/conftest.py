import pytest


@pytest.fixture(autouse=True)
def _fast_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def catalogue(db):
    from courses.models import CourseIndexPage

    return CourseIndexPage.objects.get()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (outlines, rate limits), and so with none of
    this process's copies of cached course content and sites either."""
    from django.core.cache import cache

    from courses import content_cache, site_lookup

    cache.clear()
    content_cache.clear()
    site_lookup.clear()
    yield
    cache.clear()
    content_cache.clear()
    site_lookup.clear()


@pytest.fixture
def mail_server_down(monkeypatch):
    """Every send fails as if the mail server refused the connection, until ``.undo()``."""

    def refuse(**kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("accounts.emails.send_message", refuse)
    return monkeypatch
