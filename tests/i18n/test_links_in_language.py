"""Links and alternates lead to the page in the reader's language: the site's own links
(home, catalogue, about) to the pages' translations, the switcher and hreflang links of a
translated page to its translations (whose slugs may differ), the welcome email to the
catalogue in the recipient's language."""
import pytest
from bs4 import BeautifulSoup
from django.core import mail

from accounts import services as accounts
from courses.models import CourseIndexPage
from lms.models import ContentPage, HomePage
from tests.courses.translated import spanish, translate, translate_site, translate_tree
from tests.factories import UserFactory, build_course, enrolled_learner, lessons_of

pytestmark = pytest.mark.django_db


def _reslug(page, slug):
    page.slug = slug
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def cursos():
    """Home and catalogue in Spanish, the Spanish catalogue at /es/cursos/."""
    home, catalogue = translate_site()
    return home, _reslug(catalogue, "cursos")


def _soup(client, url):
    response = client.get(url)
    return response, BeautifulSoup(response.content.decode(), "html.parser")


def _header_links(soup):
    return soup.select_one("a.brand")["href"], soup.select_one("nav ul.nav a")["href"]


def test_the_site_links_lead_to_the_pages_in_the_active_language(client, cursos):
    _, english = _soup(client, "/")
    assert _header_links(english) == ("/", "/courses/")
    assert english.select_one('footer a[href="/about/"]')
    _, spanish_page = _soup(client, "/es/")
    assert _header_links(spanish_page) == ("/es/", "/es/cursos/")
    # No about page in the tree: its usual address under the prefix.
    assert spanish_page.select_one('footer a[href="/es/about/"]')
    # Nor on pages outside the tree.
    _, sign_in = _soup(client, "/es/accounts/login/")
    assert _header_links(sign_in) == ("/es/", "/es/cursos/")


def test_an_about_page_not_translated_is_read_under_the_prefix_and_a_translated_one_in_spanish(client, cursos):
    about = HomePage.objects.get(locale__language_code="en").add_child(
        instance=ContentPage(title="About this training", slug="about")
    )
    _, page = _soup(client, "/es/")
    assert page.select_one('footer a[href="/es/about/"]')
    _reslug(translate(about), "acerca")
    _, page = _soup(client, "/es/")
    assert page.select_one('footer a[href="/es/acerca/"]')


def test_the_404_page_and_my_learning_lead_to_the_spanish_catalogue(client, cursos):
    response, page = _soup(client, "/es/no-such-page/")
    assert response.status_code == 404
    assert page.select_one('main a[href="/es/cursos/"]')
    client.force_login(UserFactory())
    _, learning = _soup(client, "/es/learn/")
    assert learning.select_one('main a[href="/es/cursos/"]')
    _, english = _soup(client, "/learn/")
    assert english.select_one('main a[href="/courses/"]')


def test_the_site_links_cost_no_page_query_once_warm(client, cursos):
    client.get("/es/accounts/login/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/es/accounts/login/")
    assert not [q for q in queries.captured_queries if "wagtailcore_page" in q["sql"]]


def test_the_welcome_email_links_to_the_catalogue_in_the_recipients_language(cursos, settings):
    from wagtail.users.models import UserProfile

    english, spanish_reader = UserFactory(), UserFactory()
    profile = UserProfile.get_for_user(spanish_reader)
    profile.preferred_language = "es"
    profile.save()
    for user in (english, spanish_reader):
        assert accounts.user_welcome(user_id=user.pk)
    base = settings.WAGTAILADMIN_BASE_URL
    assert f"{base}/courses/\n" in mail.outbox[0].body
    assert f"{base}/es/cursos/\n" in mail.outbox[1].body


def _alternates(soup):
    links = {link["hreflang"]: link["href"] for link in soup.select("head link[rel=alternate][hreflang]")}
    return links, soup.select_one("nav.language-switcher input[name=next]")["value"]


def test_a_translated_course_and_lesson_point_to_each_others_addresses(client, settings, cursos):
    base = settings.WAGTAILADMIN_BASE_URL
    course = build_course(index=CourseIndexPage.objects.get(locale__language_code="en"), modules=1, lessons_per_module=1)
    lesson = lessons_of(course)[0]
    spanish_course = translate_tree(course)
    spanish_lesson = lesson.get_translation(spanish())
    assert spanish_course.url.startswith("/es/cursos/")
    client.force_login(enrolled_learner(course))
    for english_url, spanish_url in ((course.url, spanish_course.url), (lesson.url, spanish_lesson.url)):
        response, page = _soup(client, spanish_url)
        assert response.status_code == 200
        links, switch_to = _alternates(page)
        assert links["en"] == base + english_url and links["es"] == base + spanish_url
        assert switch_to == english_url
        _, page = _soup(client, english_url)
        links, switch_to = _alternates(page)
        assert links["es"] == base + spanish_url and switch_to == spanish_url
    # The catalogue itself, with a query kept.
    _, page = _soup(client, "/courses/?page=2")
    assert _alternates(page)[1] == "/es/cursos/?page=2"


def test_a_course_not_translated_points_to_itself_under_the_prefix(client, settings, cursos):
    course = build_course(index=CourseIndexPage.objects.get(locale__language_code="en"), modules=1, lessons_per_module=1)
    _, page = _soup(client, course.url)
    links, switch_to = _alternates(page)
    assert switch_to == "/es" + course.url
    _, page = _soup(client, "/es" + course.url)
    links, switch_to = _alternates(page)
    assert links["en"] == settings.WAGTAILADMIN_BASE_URL + course.url and switch_to == course.url


def test_an_unpublished_translation_is_not_offered(client, cursos):
    course = build_course(index=CourseIndexPage.objects.get(locale__language_code="en"), modules=1, lessons_per_module=1)
    translate_tree(course)
    course.get_translation(spanish()).unpublish()
    _, page = _soup(client, course.url)
    assert _alternates(page)[1] == "/es" + course.url


def test_a_new_slug_for_the_catalogue_is_linked_at_once_and_a_lesson_edit_costs_the_links_nothing(client, cursos):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses import content_cache

    _, spanish_catalogue = cursos
    assert _header_links(_soup(client, "/es/accounts/login/")[1])[1] == "/es/cursos/"
    _reslug(spanish_catalogue, "catalogo")
    assert _header_links(_soup(client, "/es/accounts/login/")[1])[1] == "/es/catalogo/"
    content_cache.invalidate()  # as editing a lesson does
    with CaptureQueriesContext(connection) as queries:
        client.get("/es/accounts/login/")
    assert not [q for q in queries.captured_queries if "wagtailcore_page" in q["sql"]]


def test_the_error_pages_lead_home_in_their_language(cursos):
    from django.template import loader
    from django.test import Client
    from django.utils import translation

    for language, home in (("en", "/"), ("es", "/es/")):
        with translation.override(language):
            page = BeautifulSoup(loader.get_template("500.html").render(), "html.parser")
        assert page.select_one("main a")["href"] == home
    refused = Client(enforce_csrf_checks=True).post("/es/accounts/login/", {})
    assert refused.status_code == 403
    assert BeautifulSoup(refused.content.decode(), "html.parser").select_one('main a[href="/es/"]')
