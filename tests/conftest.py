import pytest


def pytest_sessionstart(session):
    """Pages in other languages read the compiled catalogues (.mo, not kept in git):
    compile those that changed, as `make test` does, for a bare `pytest` too."""
    from lms import catalogues

    catalogues.compile_all()


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

    monkeypatch.setattr("kernel.emails.send_message", refuse)
    return monkeypatch


@pytest.fixture
def broker_down(settings):
    """Tasks are published (not run in-process) to a broker that refuses connections, as
    when Redis is down: ``delay`` raises kombu's OperationalError after its retries."""
    import socket

    from lms.celery import app

    def forget_connections():
        app._pool = None
        amqp = app.__dict__.get("amqp")
        if amqp is not None:
            amqp._producer_pool = None

    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as closed:
        closed.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
        url = f"redis://127.0.0.1:{closed.getsockname()[1]}/0"
        forget_connections()
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_BROKER_URL = url
        app.conf.update(broker_url=url, task_always_eager=False)
        try:
            yield url
        finally:
            forget_connections()
            app.conf.update(saved)
