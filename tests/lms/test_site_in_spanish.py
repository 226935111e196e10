"""The site-wide pages, the account page's words and the welcome email read in Spanish
when Spanish is the language, and in the same English as before otherwise.

The Spanish comes from the project's catalogue (locale/es/LC_MESSAGES/django.po) or,
where it is not built yet, from the translations waiting to be merged into it
(locale/es/parts/*.po); either is compiled into a temporary locale folder here."""
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from kernel.decorators import SIGNED_OUT
from kernel.names import name_problem
from kernel.site import site_name_lazy
from lms.views import SESSION_CHANGED
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"


@pytest.fixture
def spanish(settings, tmp_path):
    """Spanish compiled from the project's .po files into a temporary LOCALE_PATHS entry."""
    if not shutil.which("msgfmt"):
        pytest.skip("GNU gettext's msgfmt is not installed")
    sources = [CATALOGUE] if CATALOGUE.exists() else sorted((ROOT / "locale" / "es" / "parts").glob("*.po"))
    assert sources, "no Spanish translation in locale/es"
    folder = tmp_path / "locale" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    merged = tmp_path / "es.po"
    subprocess.run(["msgcat", "--use-first", "-o", str(merged), *map(str, sources)], check=True)
    subprocess.run(["msgfmt", "-c", "-o", str(folder / "django.mo"), str(merged)], check=True)
    # Django forgets the catalogues it loaded when LOCALE_PATHS changes, and again when the
    # setting is restored after the test.
    settings.LOCALE_PATHS = [tmp_path / "locale"]


def _page(template, user=None):
    request = RequestFactory().get("/missing/")
    request.user = user or AnonymousUser()
    return render_to_string(template, {}, request=request)


@pytest.mark.django_db
def test_the_404_page_and_the_site_layout_read_in_spanish(spanish):
    with translation.override("es"):
        page = _page("404.html")
    for spanish_words in ("Página no encontrada", "No pudimos encontrar esa página", "Saltar al contenido principal",
                          "Iniciar sesión", "Crear cuenta", "Sobre esta formación", "Verificar un certificado",
                          "Formación para facilitadores/as", 'aria-label="Principal"'):
        assert spanish_words in page, spanish_words
    for english in ("Page not found", "Skip to main content", "Sign in", "Facilitator Training", "Check a certificate"):
        assert english not in page, english


@pytest.mark.django_db
def test_the_404_page_keeps_its_english_words_and_links(spanish):
    user = UserFactory()
    with translation.override("en"):
        page = _page("404.html", user)
    assert "<title>Page not found · Facilitator Training</title>" in page
    assert '<a href="/courses/">Browse the courses</a> or go to <a href="/learn/">My learning</a>.' in page
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in page


def test_the_welcome_email_reads_in_spanish(db, spanish, settings):
    settings.WAGTAIL_SITE_NAME, settings.ORGANISATION_NAME = "Facilitator Training", "Recovery Facilitator Network"
    context = {"user": SimpleNamespace(certificate_name="Ana Núñez"), "base_url": "https://training.example.org",
               "site_name": site_name_lazy(), "organisation_name": settings.ORGANISATION_NAME}
    with translation.override("es"):  # the site's name is read when the email is rendered
        subject = render_to_string("accounts/email/welcome_subject.txt", context, using="text").strip()
        body = render_to_string("accounts/email/welcome.txt", context, using="text")
    assert subject == "Te damos la bienvenida a Formación para facilitadores/as"
    assert body.startswith("Hola, Ana Núñez:\n\nTu dirección de correo electrónico está confirmada")
    # The catalogue in Spanish: not translated here, so the English one under /es/.
    assert "https://training.example.org/es/courses/" in body
    assert body.rstrip().endswith("— El equipo de Formación para facilitadores/as, Recovery Facilitator Network")


def test_the_welcome_email_keeps_its_english_text(db, spanish, settings):
    settings.WAGTAIL_SITE_NAME, settings.ORGANISATION_NAME = "Facilitator Training", "Recovery Facilitator Network"
    context = {"user": SimpleNamespace(certificate_name=""), "base_url": "https://training.example.org",
               "site_name": site_name_lazy(), "organisation_name": settings.ORGANISATION_NAME}
    with translation.override("en"):
        subject = render_to_string("accounts/email/welcome_subject.txt", context, using="text").strip()
        body = render_to_string("accounts/email/welcome.txt", context, using="text")
    assert subject == "Welcome to Facilitator Training"
    assert body == (
        "Hello there,\n\nYour email address is confirmed and your account is ready.\n\n"
        "You can browse the courses and enrol here: https://training.example.org/courses/\n"
        "Take each course at your own pace: your progress is saved as you go, and you can pick\n"
        "up where you left off on any device.\n\n"
        "— The Facilitator Training team, Recovery Facilitator Network\n"
    )


def test_reasons_given_to_the_pages_scripts_and_name_errors_read_in_spanish(spanish):
    with translation.override("es"):
        assert str(SIGNED_OUT).startswith("No se ha guardado: se cerró tu sesión.")
        assert str(SESSION_CHANGED).startswith("No se ha guardado: desde que abriste esta página")
        assert name_problem("Ana\u202eNúñez").startswith("Este nombre contiene un carácter invisible")
        assert name_problem("Ana\u202e\u200bNúñez").startswith("Este nombre contiene caracteres invisibles")
    assert str(SIGNED_OUT).startswith("Not saved: you have been signed out.")


@pytest.mark.django_db
def test_a_form_refused_by_the_csrf_check_gets_the_sites_page_saying_what_to_do():
    from django.test import Client
    from django.urls import reverse

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory(certificate_name="Before"))
    url = reverse("accounts:profile")
    no_cookie = browser.post(url, {"certificate_name": "After"})
    assert no_cookie.status_code == 403
    page = no_cookie.content.decode()
    assert "<h1>This form could not be sent</h1>" in page and "allow cookies for this site" in page
    assert '<a class="skip-link"' in page  # the site's layout, not Django's bare page
    browser.get(url)  # sets the CSRF cookie; the token sent is still wrong
    stale = browser.post(url, {"certificate_name": "After", "csrfmiddlewaretoken": "a" * 64}).content.decode()
    assert "open for a long time" in stale and "allow cookies" not in stale
    assert browser.get(url).context["form"].initial["certificate_name"] == "Before"


@pytest.mark.django_db
def test_the_csrf_failure_page_reads_in_spanish(spanish):
    request = RequestFactory().post("/accounts/profile/")
    request.user = AnonymousUser()
    with translation.override("es"):
        page = render_to_string("csrf_failure.html", {"no_cookie": True}, request=request)
    assert "No se pudo enviar este formulario" in page and "cookies" in page
    assert "This form could not be sent" not in page


def test_the_site_page_types_are_named_in_the_admins_language(spanish):
    from lms.models import ContentPage, HomePage

    with translation.override("es"):
        assert (HomePage.get_verbose_name(), ContentPage.get_verbose_name()) == ("Página de inicio", "Página de contenido")
    with translation.override("en"):
        assert (HomePage.get_verbose_name(), ContentPage.get_verbose_name()) == ("Home page", "Content page")
