"""Each person's time zone (and language) on pages, at sign-up, on the account page and
in the Wagtail admin (lms/i18n.py, accounts/forms.py, accounts/views.py)."""
import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.contrib.sessions.backends.cache import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail.users.models import UserProfile

from accounts.models import User
from kernel import i18n
from lms.i18n import TimeZoneMiddleware
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase-42"


def zone_for(*, cookie: str | None = None, session: dict | None = None) -> str:
    """The zone a page is rendered in, for a request with this cookie and session."""
    request = RequestFactory().get("/courses/")
    request.session = SessionStore()
    request.session.update(session or {})
    if cookie is not None:
        request.COOKIES[i18n.TIME_ZONE_COOKIE] = cookie
    response = TimeZoneMiddleware(lambda r: HttpResponse(timezone.get_current_timezone_name()))(request)
    return response.content.decode()


def test_a_visitor_gets_the_zone_their_browser_told_else_the_sites():
    assert zone_for(cookie="America/Mexico_City") == "America/Mexico_City"
    assert zone_for() == "UTC"


@pytest.mark.parametrize("forged", ["Mars/Olympus_Mons", "../../etc/passwd", "", "UTC; drop", "europe/madrid"])
def test_a_zone_cookie_that_is_not_a_zone_name_is_ignored(forged):
    assert zone_for(cookie=forged) == "UTC"


def test_a_signed_in_persons_saved_zone_beats_the_browsers():
    signed_in = {"_auth_user_id": "1", i18n.SESSION_LANGUAGE: "", i18n.SESSION_TIME_ZONE: "Australia/Melbourne"}
    assert zone_for(cookie="Europe/London", session=signed_in) == "Australia/Melbourne"
    none_saved = {**signed_in, i18n.SESSION_TIME_ZONE: ""}
    assert zone_for(cookie="Europe/London", session=none_saved) == "Europe/London"


def test_the_zone_is_not_left_active_after_the_request():
    zone_for(cookie="Asia/Tokyo")
    assert timezone.get_current_timezone_name() == "UTC"


# --------------------------------------------------------------------------- sign-up


def sign_up(client, path, **extra):
    data = {"certificate_name": "Ana López", "email": "ana@example.org", "password1": PASSWORD, "password2": PASSWORD}
    return client.post(path, {**data, **extra})


def test_sign_up_offers_the_zones_for_the_browsers_zone_to_be_preselected(client):
    page = BeautifulSoup(client.get(reverse("account_signup")).content.decode(), "html.parser")
    select = page.select_one("select[name=time_zone]")
    assert select["data-browser-zone"] == "suggest"
    assert select.select_one("optgroup[label=America] option[value='America/Mexico_City']").get_text() == "Mexico City"
    assert page.select_one("script[src$='js/time_zone.js']")


def test_an_account_is_created_with_the_zone_given_and_the_pages_language(client):
    response = sign_up(client, "/es/accounts/signup/", time_zone="America/Mexico_City")
    assert response.status_code == 302
    profile = UserProfile.objects.get(user__email="ana@example.org")
    assert (profile.preferred_language, profile.current_time_zone) == ("es", "America/Mexico_City")


def test_an_account_created_without_a_zone_keeps_the_sites(client):
    assert sign_up(client, reverse("account_signup")).status_code == 302
    profile = UserProfile.objects.filter(user__email="ana@example.org").first()
    assert profile is not None and (profile.preferred_language, profile.current_time_zone) == ("en", "")


def test_a_forged_zone_at_sign_up_is_refused_and_no_account_is_made(client):
    response = sign_up(client, reverse("account_signup"), time_zone="Mars/Olympus_Mons")
    assert response.status_code == 200
    assert "Choose a time zone from the list." in response.content.decode()
    assert not User.objects.filter(email="ana@example.org").exists()


# --------------------------------------------------------------------------- account page


@pytest.fixture
def person(client):
    user = UserFactory()
    client.force_login(user)
    return user


def save_preferences(client, **data):
    return client.post(reverse("accounts:profile"), {"form": "language-and-zone", **data})


def test_the_account_page_changes_language_and_zone(client, person):
    page = BeautifulSoup(client.get(reverse("accounts:profile")).content.decode(), "html.parser")
    assert page.select_one("select[name=language] option[value=es]").get_text() == "Español"
    assert page.select_one("select[name=time_zone] option[value='Europe/Madrid']")
    response = save_preferences(client, language="es", time_zone="Europe/Madrid")
    assert response.status_code == 302 and response["Location"] == "/es/accounts/profile/"
    profile = UserProfile.objects.get(user=person)
    assert (profile.preferred_language, profile.current_time_zone) == ("es", "Europe/Madrid")
    assert (client.session[i18n.SESSION_LANGUAGE], client.session[i18n.SESSION_TIME_ZONE]) == ("es", "Europe/Madrid")
    assert "Hemos guardado tu idioma y tu zona horaria." in client.get(response["Location"]).content.decode()
    selected = BeautifulSoup(client.get("/es/accounts/profile/").content.decode(), "html.parser")
    assert selected.select_one("select[name=time_zone] option[selected]")["value"] == "Europe/Madrid"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"language": "es", "time_zone": "Mars/Olympus_Mons"}, "Choose a time zone from the list."),
        ({"language": "es", "time_zone": "<script>"}, "Choose a time zone from the list."),
        ({"language": "xx", "time_zone": "Europe/Madrid"}, "Choose one of the languages offered."),
        ({"language": "", "time_zone": "Europe/Madrid"}, "This field is required."),
    ],
)
def test_a_forged_language_or_zone_is_refused_and_changes_nothing(client, person, data, error):
    response = save_preferences(client, **data)
    assert response.status_code == 200 and error in response.content.decode()
    assert not UserProfile.objects.filter(user=person).exclude(preferred_language="", current_time_zone="").exists()
    assert client.session[i18n.SESSION_TIME_ZONE] == ""


def test_the_services_refuse_what_the_form_would(person):
    from accounts import services

    with pytest.raises(ValueError):
        services.user_set_language_and_zone(user=person, time_zone="Nowhere/Town")
    with pytest.raises(ValueError):
        services.user_set_language_and_zone(user=person, language="klingon", time_zone="Europe/Madrid")
    assert not UserProfile.objects.filter(user=person).exists()


def test_the_certificate_name_form_still_saves_beside_it(client, person):
    response = client.post(reverse("accounts:profile"), {"certificate_name": "Nuevo Nombre"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.certificate_name == "Nuevo Nombre"


# --------------------------------------------------------------------------- Wagtail admin


def test_the_wagtail_admin_follows_a_staff_members_language_and_zone(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    EmailAddress.objects.filter(user=staff).update(verified=True)
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language, profile.current_time_zone = "es", "Europe/Madrid"
    profile.save()
    home = Page.objects.get(depth=2).specific
    home.save_revision()  # shown with its time in the explorer
    client.force_login(staff)
    page = client.get(f"/admin/pages/{home.get_parent().pk}/").content.decode()
    assert '<html lang="es"' in page and "Búsqueda" in page  # Wagtail's own Spanish
    soup = BeautifulSoup(page, "html.parser")
    times = [tag["datetime"] for tag in soup.select("time[datetime]")]
    assert times and all(value.endswith("+01:00") for value in times)  # Madrid in December


def test_a_sign_up_form_shown_again_keeps_the_zone_sent_instead_of_suggesting_one(client):
    response = sign_up(client, reverse("account_signup"), time_zone="Asia/Kolkata", password2="different-passphrase-42")
    page = BeautifulSoup(response.content.decode(), "html.parser")
    select = page.select_one("select[name=time_zone]")
    assert select.select_one("option[selected]")["value"] == "Asia/Kolkata"
    assert not select.has_attr("data-browser-zone")


def test_choices_saved_on_the_wagtail_admins_account_page_apply_to_the_site_at_once(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.session[i18n.SESSION_LANGUAGE] == ""
    response = client.post("/admin/account/", {
        "name_email-first_name": "Staff", "name_email-last_name": "Member", "name_email-email": staff.email,
        "notifications-submitted_notifications": "false", "notifications-approved_notifications": "false",
        "notifications-rejected_notifications": "true", "notifications-updated_comments_notifications": "true",
        "locale-preferred_language": "es", "locale-current_time_zone": "Europe/Madrid",
        "theme-theme": "system", "theme-density": "default", "theme-contrast": "system", "keyboard-shortcuts": "true",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert UserProfile.objects.get(user=staff).preferred_language == "es"
    assert (client.session[i18n.SESSION_LANGUAGE], client.session[i18n.SESSION_TIME_ZONE]) == ("es", "Europe/Madrid")
    assert client.get("/courses/")["Location"] == "/es/courses/"
