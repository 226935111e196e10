"""``courses/site_lookup.py``: the request's Wagtail site from this process's memory, which
follows every change of a site or of a home page at once."""
import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from courses import services, site_lookup
from courses.models import CourseIndexPage
from lms.models import HomePage
from tests.factories import UserFactory, build_course, lessons_of

pytestmark = pytest.mark.django_db
OURS = "courses.site_lookup.SiteLookupMiddleware"


def _queries(client, url, **headers) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **headers).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_a_warm_page_asks_the_database_nothing_about_its_site(client, settings):
    course = build_course(modules=1, lessons_per_module=2)
    user = UserFactory()
    services.enrollment_create(user=user, course=course)
    client.force_login(user)
    lesson = lessons_of(course)[1]
    client.get(lesson.url)  # warm
    remembered = _queries(client, lesson.url)
    assert not [sql for sql in remembered if "wagtailcore_site" in sql or "lms_homepage" in sql]

    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != OURS]
    without = Client()  # a client loads its middleware once
    without.force_login(user)
    without.get(lesson.url)
    looked_up = _queries(without, lesson.url)
    assert len(looked_up) == len(remembered) + 3  # Wagtail's own: the site, the home page, the active locale
    assert [sql for sql in looked_up if "wagtailcore_site" in sql]


def _served(client, host: str = "testserver"):
    response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 200
    return response.context["page"]


def test_a_change_of_site_or_home_page_is_served_on_the_next_request(client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    home = HomePage.objects.get()
    catalogue = CourseIndexPage.objects.get()
    assert _served(client).id == home.id  # warm: this host's site kept
    assert _served(client, "learn.test").id == home.id  # no site of its own: the default's
    # A site for that host, rooted at the catalogue: "/" there is the catalogue at once.
    other = Site.objects.create(hostname="learn.test", port=80, root_page=catalogue, site_name="Learn")
    assert _served(client, "learn.test").id == catalogue.id
    assert _served(client).id == home.id
    # Re-rooted at the home page.
    other.root_page = home
    other.save()
    assert _served(client, "learn.test").id == home.id
    # The home page is republished under a new title: every host shows it.
    home.title = "Facilitator training, renamed"
    home.save_revision().publish()
    assert _served(client).title == _served(client, "learn.test").title == "Facilitator training, renamed"
    # The site goes: that host falls back to the default site, as Wagtail decides.
    other.root_page = catalogue
    other.save()
    assert _served(client, "learn.test").id == catalogue.id
    other.delete()
    assert _served(client, "learn.test").id == home.id


def test_each_request_gets_its_own_copy_and_the_second_costs_no_query():
    first = site_lookup.site_for(RequestFactory().get("/"))
    first.root_page.title = "Changed by one request"
    first.site_name = "Changed too"
    with CaptureQueriesContext(connection) as ctx:
        second = site_lookup.site_for(RequestFactory().get("/"))
    assert ctx.captured_queries == []
    assert second is not first and second.root_page is not first.root_page
    assert second.root_page.title != "Changed by one request" and second.site_name != "Changed too"
    assert isinstance(second.root_page, HomePage)  # its specific type: Wagtail routes from it
    assert second == Site.find_for_request(RequestFactory().get("/"))


def test_an_unknown_host_without_a_default_site_gets_no_site(client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    Site.objects.update(is_default_site=False)  # an update sends no signal: clear by hand
    site_lookup.clear()
    assert site_lookup.site_for(RequestFactory().get("/", HTTP_HOST="nowhere.test")) is None
    assert client.get("/", HTTP_HOST="nowhere.test").status_code == 404  # Wagtail's answer


def test_many_hosts_keep_only_a_few_sites_in_memory(settings):
    settings.ALLOWED_HOSTS = ["*"]
    for n in range(site_lookup.MAX_HOSTS * 2):
        site_lookup.site_for(RequestFactory().get("/", HTTP_HOST=f"host{n}.test"))
    assert len(site_lookup._sites._entries) == site_lookup.MAX_HOSTS


def test_other_views_do_not_look_the_site_up(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/healthz").status_code in (200, 503)
    assert not [q for q in ctx.captured_queries if "wagtailcore_site" in q["sql"]]
    assert not site_lookup._sites._entries


def test_the_root_node_is_not_a_home_page_when_a_site_points_at_it(client, settings):
    """A site rooted at the tree's root (as a test or a migration might leave it) is kept
    as Wagtail has it: a plain page, whose routing Wagtail does itself."""
    settings.ALLOWED_HOSTS = ["*"]
    Site.objects.create(hostname="root.test", port=80, root_page=Page.get_first_root_node(), site_name="Root")
    site = site_lookup.site_for(RequestFactory().get("/", HTTP_HOST="root.test"))
    assert site.hostname == "root.test" and type(site.root_page) is Page


def test_a_site_rooted_at_a_page_with_blocks_gives_each_request_its_own_blocks(settings):
    """Rendering resolves images and documents onto a StreamField's value: a value shared
    by a process's requests would keep a renamed worksheet or a deleted image."""
    from lms.models import ContentPage

    settings.ALLOWED_HOSTS = ["*"]
    home = HomePage.objects.get()
    about = home.add_child(instance=ContentPage(
        title="About", slug="about-us", body=[("heading", {"text": "Who we are", "level": "h2"})],
    ))
    Site.objects.create(hostname="about.test", port=80, root_page=about, site_name="About")
    first = site_lookup.site_for(RequestFactory().get("/", HTTP_HOST="about.test"))
    second = site_lookup.site_for(RequestFactory().get("/", HTTP_HOST="about.test"))
    assert first.root_page.body is not second.root_page.body
    assert [b.value["text"] for b in first.root_page.body] == [b.value["text"] for b in second.root_page.body] == [
        "Who we are"
    ]
