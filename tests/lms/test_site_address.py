"""One setting, BASE_URL, decides the site's address: Wagtail's site record follows it
after every migrate. And uploads are served by Django only in the demo."""
import importlib

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import clear_url_caches
from wagtail.models import Site

from courses.models import CourseIndexPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("base_url, address, catalogue_url", [
    ("http://127.0.0.1:8137", ("127.0.0.1", 8137), "http://127.0.0.1:8137/courses/"),
    ("https://training.example.org/", ("training.example.org", 443), "https://training.example.org/courses/"),
])
def test_migrate_gives_the_wagtail_site_the_address_of_base_url(settings, base_url, address, catalogue_url):
    """Wagtail's page addresses (its moderation emails, "view live") come from the site
    record: after `make demo PORT=8137`, or a deployment's migrate, they follow BASE_URL."""
    settings.WAGTAILADMIN_BASE_URL = base_url
    catalogue = CourseIndexPage.objects.get()
    assert not catalogue.full_url.startswith(catalogue_url)  # the test database's own address
    call_command("migrate", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == address
    assert CourseIndexPage.objects.get().full_url == catalogue_url
    # Page requests on any host still find the site.
    assert Site.find_for_request(RequestFactory().get("/", HTTP_HOST="localhost:8000")) == site


@pytest.fixture
def urls_with(settings):
    """Rebuild the project's URLs under the settings the test gives, then as they were."""
    def rebuild(**values):
        for name, value in values.items():
            setattr(settings, name, value)
        clear_url_caches()
        importlib.reload(importlib.import_module("lms.urls"))

    yield rebuild
    settings.DEBUG, settings.DEMO_SERVE_MEDIA = False, False
    clear_url_caches()
    importlib.reload(importlib.import_module("lms.urls"))


def test_uploads_are_served_in_the_demo_only(client, settings, urls_with):
    (settings.MEDIA_ROOT / "images").mkdir(parents=True)
    (settings.MEDIA_ROOT / "images" / "cover.txt").write_text("a cover")
    (settings.MEDIA_ROOT.parent / "secret.txt").write_text("not an upload")
    # As in production (DEBUG off, no demo setting): Django serves no uploads.
    urls_with(DEBUG=False, DEMO_SERVE_MEDIA=False)
    assert client.get("/media/images/cover.txt").status_code == 404
    # The demo (DEBUG off too, so that its 404 page is the site's own) serves them...
    urls_with(DEBUG=False, DEMO_SERVE_MEDIA=True)
    response = client.get("/media/images/cover.txt")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"a cover"
    # ...and nothing outside the uploads folder (Django refuses the path as suspicious: 400).
    attacker = Client(raise_request_exception=False)
    for path in ("/media/../secret.txt", "/media/%2e%2e/secret.txt", "/media/images/../../secret.txt"):
        response = attacker.get(path)
        assert response.status_code in (400, 404) and b"not an upload" not in response.content, path
    assert "We could not find that page" in client.get("/media/images/missing.txt").content.decode()
