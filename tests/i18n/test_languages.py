"""Which language a request gets, the addresses in each language, the switcher and the
hreflang links (lms/i18n.py, lms/urls.py, kernel/i18n.py)."""
import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from kernel import i18n, when
from lms.settings.environment import language_choices
from tests.factories import UserFactory, build_course, lessons_of

pytestmark = pytest.mark.django_db

SPANISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9,en;q=0.5"}


# --------------------------------------------------------------------------- settings


def test_languages_come_from_a_list_of_codes_each_named_in_itself():
    assert language_choices(["en", "es"]) == [("en", "English"), ("es", "Español")]
    assert language_choices(["en", " PT-BR ", ""]) == [("en", "English"), ("pt-br", "Português Brasileiro")]


def test_a_language_django_does_not_know_is_refused_at_start():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="xx"):
        language_choices(["en", "xx"])
    with pytest.raises(ImproperlyConfigured):
        language_choices([])


def test_the_site_and_the_wagtail_admin_offer_english_and_spanish(settings):
    assert settings.LANGUAGES == [("en", "English"), ("es", "Español")]
    assert settings.LANGUAGE_CODE == "en"
    assert settings.WAGTAILADMIN_PERMITTED_LANGUAGES == settings.LANGUAGES


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [("en", "5 December 2026", "5 December 2026, 14:30"), ("es", "5 de diciembre de 2026", "5 de diciembre de 2026, 14:30")],
)
def test_one_date_format_per_language_for_kernel_when_and_djangos_date_filter(language, day, moment):
    value = datetime.datetime(2026, 12, 5, 14, 30, tzinfo=datetime.timezone.utc)
    with translation.override(language):
        assert when.day_text(value) == day
        assert when.when_text(value) == f"{moment} UTC"
        rendered = Template("{{ value|date }}|{{ value|date:'DATETIME_FORMAT' }}|{{ value|time }}").render(Context({"value": value}))
        assert rendered == f"{day}|{moment}|14:30"


# --------------------------------------------------------------------------- addresses


def test_pages_keep_their_english_addresses_and_have_spanish_ones_under_es(client):
    assert reverse("courses:dashboard") == "/learn/"
    with translation.override("es"):
        assert reverse("courses:dashboard") == "/es/learn/"
        assert reverse("certification:lookup") == "/es/certificates/verify/"
        assert reverse("account_login") == "/es/accounts/login/"
    english = client.get("/")
    assert english.status_code == 200 and english["Content-Language"] == "en"
    spanish = client.get("/es/")
    assert spanish.status_code == 200 and spanish["Content-Language"] == "es"
    assert '<html lang="es">' in spanish.content.decode()
    assert '<html lang="en">' in english.content.decode()


def test_machine_addresses_have_no_language_prefix_whatever_the_language():
    with translation.override("es"):
        assert reverse("credentials:verify_json", args=["abc"]) == "/certificates/verify/abc.json"
        assert reverse("credentials:status_list", args=[1]) == "/certificates/status/1"
        assert reverse("credentials:credential", args=["abc"]) == "/certificates/abc/credential.json"
        assert reverse("credentials:badge", args=[3]) == "/certificates/programmes/3/badge.svg"
        assert reverse("stripe_webhook") == "/stripe/webhook/"
        assert reverse("did_document") == "/.well-known/did.json"
        assert reverse("healthz") == "/healthz"
        assert reverse("wagtailadmin_home") == "/admin/"


def test_machine_addresses_are_never_sent_to_a_language(client):
    client.cookies["django_language"] = "es"
    response = client.get("/healthz", **SPANISH_BROWSER)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert client.get("/.well-known/did.json", **SPANISH_BROWSER).status_code != 302
    assert client.get("/es/healthz", follow=True).status_code == 404


def test_an_unknown_language_prefix_gets_the_sites_404_in_english(client):
    for path in ("/xx/", "/fr/courses/", "/de/learn/"):
        response = client.get(path, **SPANISH_BROWSER)
        assert response.status_code == 404, path
        page = response.content.decode()
        assert "We could not find that page" in page and '<html lang="en">' in page


# --------------------------------------------------------------------------- which language


def test_a_browser_asking_for_spanish_is_sent_to_the_spanish_page(client):
    response = client.get("/courses/?page=2", **SPANISH_BROWSER)
    assert response.status_code == 302 and response["Location"] == "/es/courses/?page=2"
    assert {"accept-language", "cookie"} <= {v.strip().lower() for v in response["Vary"].split(",")}
    assert client.get("/courses/", HTTP_ACCEPT_LANGUAGE="en-GB,en").status_code == 200
    assert client.get("/courses/").status_code == 200  # no preference: the default


def test_the_language_cookie_beats_the_browser_and_the_prefix_beats_both(client):
    client.cookies["django_language"] = "en"
    assert client.get("/courses/", **SPANISH_BROWSER).status_code == 200
    client.cookies["django_language"] = "es"
    assert client.get("/courses/")["Location"] == "/es/courses/"
    assert client.get("/es/courses/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "es"


def test_a_signed_in_persons_saved_language_beats_cookie_and_browser(client):
    user = UserFactory()
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "es"
    profile.save()
    client.force_login(user)  # kept in the session at sign-in
    client.cookies["django_language"] = "en"
    assert client.get("/learn/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == "/es/learn/"


def test_posts_are_never_redirected_and_are_answered_in_the_chosen_language(client):
    client.cookies["django_language"] = "es"
    response = client.post(reverse("account_login"), {"login": "nobody@example.org", "password": "wrong"})
    assert response.status_code == 200 and response["Content-Language"] == "es"


def test_the_language_machinery_adds_no_query_to_the_lesson_page(client):
    course = build_course(modules=1, lessons_per_module=1)
    lesson = lessons_of(course)[0]
    user = UserFactory()
    from courses import services

    services.enrollment_create(user=user, course=course)
    client.force_login(user)
    client.get(lesson.url)  # warm both (each language's site root is cached on first use)
    client.get("/es" + lesson.url)
    with CaptureQueriesContext(connection) as english:
        assert client.get(lesson.url).status_code == 200
    with CaptureQueriesContext(connection) as spanish:
        assert client.get("/es" + lesson.url).status_code == 200
    tables = " ".join(q["sql"] for q in english.captured_queries + spanish.captured_queries)
    assert "wagtailusers_userprofile" not in tables
    assert len(spanish.captured_queries) == len(english.captured_queries)


def test_an_anonymous_page_reads_nothing_for_the_language(client):
    client.get("/courses/")
    client.get("/es/courses/")  # each language's site root is cached on first use
    with CaptureQueriesContext(connection) as plain:
        client.get("/courses/")
    client.cookies["django_language"] = "es"
    client.cookies["tz"] = "Europe/Madrid"
    with CaptureQueriesContext(connection) as chosen:
        client.get("/es/courses/")
    assert len(chosen.captured_queries) == len(plain.captured_queries)


def test_a_session_from_before_sign_in_kept_choices_reads_them_once(client):
    user = UserFactory()
    client.force_login(user)
    session = client.session
    del session[i18n.SESSION_LANGUAGE], session[i18n.SESSION_TIME_ZONE]
    session.save()
    with CaptureQueriesContext(connection) as first:
        client.get("/courses/")
    with CaptureQueriesContext(connection) as second:
        client.get("/courses/")
    assert sum("wagtailusers_userprofile" in q["sql"] for q in first.captured_queries) == 1
    assert not any("wagtailusers_userprofile" in q["sql"] for q in second.captured_queries)


# --------------------------------------------------------------------------- switcher


def switcher(page: str) -> BeautifulSoup:
    return BeautifulSoup(page, "html.parser").select_one("nav.language-switcher")


def test_every_page_has_a_switcher_offering_the_page_in_each_language(client):
    nav = switcher(client.get("/courses/?page=2").content.decode())
    assert nav["aria-label"] == "Language"
    current = nav.select_one("[aria-current]")
    assert (current.get_text(strip=True), current["lang"]) == ("English", "en")
    (form,) = nav.select("form")
    assert form["method"] == "post" and form["action"] == "/i18n/setlang/"
    assert form.select_one("input[name=language]")["value"] == "es"
    assert form.select_one("input[name=next]")["value"] == "/es/courses/?page=2"
    assert form.button["lang"] == "es" and form.button.get_text(strip=True) == "Español"
    spanish = switcher(client.get("/es/courses/").content.decode())
    assert spanish.select_one("input[name=next]")["value"] == "/courses/"
    assert spanish.select_one("[aria-current]")["lang"] == "es"


def test_hreflang_links_name_each_language_and_the_default(client, settings):
    soup = BeautifulSoup(client.get("/es/courses/").content.decode(), "html.parser")
    links = {link["hreflang"]: link["href"] for link in soup.select('head link[rel=alternate][hreflang]')}
    base = settings.WAGTAILADMIN_BASE_URL
    assert links == {"en": f"{base}/courses/", "es": f"{base}/es/courses/", "x-default": f"{base}/courses/"}


def test_choosing_a_language_goes_to_the_page_in_it_and_keeps_the_choice(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/es/courses/"})
    assert response.status_code == 302 and response["Location"] == "/es/courses/"
    assert response.cookies["django_language"].value == "es"
    assert client.get("/learn/")["Location"] == "/es/learn/"
    back = client.post("/i18n/setlang/", {"language": "en", "next": "/courses/"})
    assert back["Location"] == "/courses/"
    assert client.get("/courses/").status_code == 200


def test_choosing_a_language_signed_in_saves_it_on_the_profile(client):
    user = UserFactory()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "es", "next": "/es/learn/"})
    assert UserProfile.objects.get(user=user).preferred_language == "es"
    client.cookies.pop("django_language")
    assert client.get("/learn/")["Location"] == "/es/learn/"  # the session knows too


def test_an_unknown_language_or_a_foreign_next_changes_nothing_it_should_not(client):
    user = UserFactory()
    client.force_login(user)
    refused = client.post("/i18n/setlang/", {"language": "xx", "next": "/courses/"})
    assert refused.status_code == 400 and "not offered" in refused.content.decode()
    assert "django_language" not in refused.cookies
    assert not UserProfile.objects.filter(user=user).exclude(preferred_language="").exists()
    outside = client.post("/i18n/setlang/", {"language": "es", "next": "https://evil.example/"})
    assert outside["Location"] == "/es/"
    assert client.get("/i18n/setlang/").status_code == 405
