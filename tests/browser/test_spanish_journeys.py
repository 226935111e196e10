"""The product in Spanish, in real browsers that speak Spanish and live in other zones.

1. A learner whose browser speaks es-MX, in Mexico City, signs up (in Spanish, the zone
   suggested), enrols in a free course with a published Spanish translation, reads a
   lesson in Spanish, marks it complete, switches to English and back (progress kept),
   starts the final quiz in Spanish, switches mid-attempt (the answer given is kept),
   does not pass, reads when the quiz opens again in Mexico City's time, passes the next
   attempt, accepts the code of conduct on "Mis certificados" and gets the certificate:
   that page, the PDF (its text read with pypdf) and the public verification page are in
   Spanish, dates the Spanish way (in the learner's zone).
2. A manager in Madrid (es-ES, Europe/Madrid) signs in, reads the organisation's dashboard
   in Spanish with days in Madrid's zone (its spreadsheet's times too), and invites a
   member of staff; the invitation email is in the language the code chooses for someone
   without an account (see the comment there), and the invited person, opening the link
   in a Spanish browser, gets the Spanish sign-up.
3. axe-core on every Spanish page the journeys visit (``lang="es"`` on <html>, the
   switcher's options marked with their own language); the lesson and the quiz at 375 px.
4. Unknown addresses: /xx/... (a language the site does not offer) is the site's 404 in
   English; /es/... unknown is the 404 in Spanish.

Runs against ``live_server`` (transactional database, Celery eager).
"""
import csv
import io
import re
from datetime import datetime, timedelta, timezone as dt_timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader
from wagtail.users.models import UserProfile

from certification.models import Certificate, CodeOfConduct, Programme
from courses.models import CourseIndexPage, Enrollment, ModulePage, QuizAttempt
from organisations.models import Invitation
from tests.courses.translated import in_spanish, spanish, translate, translate_site
from tests.factories import UserFactory, build_course, build_quiz, lessons_of, single, true_false
from tests.marks import BROWSER
from tests.organisations.support import make_org, staffed

from .helpers import (
    DESKTOP, PHONE_375, TEST_PASSWORD, assert_page_healthy, check_axe, check_on_phone, record, screenshot,
)

pytestmark = BROWSER

ATTEMPT_PATH = re.compile(r"/es/learn/attempts/(\d+)/$")
RESULT_PATH = re.compile(r"/es/learn/attempts/(\d+)/result/$")
SPANISH_MONTHS = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
SPANISH_DAY = re.compile(rf"(?<!\d)\d{{1,2}} de ({SPANISH_MONTHS}) de \d{{4}}(?!\d)")
PASSWORD = "quiet-harbour-lantern-42"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")
INVITATION_LINK = re.compile(r"https?://\S+/organisations/invitations/[^/\s]+/")

# What a translator would write for the course's words (anything else: "ES " + the English).
WORDS = {
    "Meeting Basics": "Reuniones: lo básico",
    "Meeting Basics: a short course.": "Reuniones: lo básico. Un curso corto.",
    "Meeting Basics module 1": "Primeros pasos",
    "Meeting Basics lesson 1.1": "Escuchar sin juzgar",
    "Meeting Basics lesson 1.2": "Cuidar lo que se comparte",
    "Part 0": "Primera parte",
    "Lesson text 0. Facilitators listen first and guide gently.":
        "Texto de la lección. Quien facilita escucha primero y guía con suavidad.",
    "Final check": "Evaluación final",
    "Who decides what a participant shares?": "¿Quién decide lo que comparte cada participante?",
    "The participant": "Cada participante",
    "The facilitator": "La persona facilitadora",
    "The group": "El grupo",
    "A facilitator may end a meeting early if it becomes unsafe.":
        "Quien facilita puede terminar una reunión antes de tiempo si deja de ser segura.",
}
WHO_DECIDES = re.compile("Quién decide lo que comparte")
END_EARLY = re.compile("terminar una reunión antes de tiempo")


def in_words(text: str) -> str:
    return WORDS.get(text, in_spanish(text))


def browser_page(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, **{"viewport": DESKTOP, **options})
    context.set_default_timeout(10_000)
    return record(context.new_page(), live_server.url)


def check_spanish(page, label: str):
    """A Spanish page: <html lang="es">, the switcher's options each in their own
    language, and axe-core finds nothing serious."""
    expect(page.locator("html")).to_have_attribute("lang", "es")
    switcher = page.get_by_role("navigation", name="Idioma")
    expect(switcher.locator("[lang=en]")).to_have_text("English")
    expect(switcher.locator("[lang=es]")).to_have_text("Español")
    check_axe(page, label)


def switch_to(page, name: str):
    label = "Idioma" if name == "English" else "Language"
    page.get_by_role("navigation", name=label).get_by_role("button", name=name).click()


def spanish_sign_in(page, email: str, password: str = TEST_PASSWORD):
    """The sign-in form, in Spanish (the browser asks for Spanish)."""
    page.goto("/accounts/login/")
    expect(page).to_have_url(re.compile(r"/es/accounts/login/$"))
    check_spanish(page, "sign-in page in Spanish")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("input[name=password]").press("Enter")
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


@pytest.fixture
def spanish_course():
    """A free course (two lessons, then a final quiz) translated into Spanish and published,
    the programme whose certificate it leads to, and the code of conduct it asks for."""
    translate_site()
    course = build_course(
        title="Meeting Basics", modules=1, lessons_per_module=2, index=CourseIndexPage.objects.get(locale__language_code="en"),
    )
    module = ModulePage.objects.child_of(course).get()
    quiz = build_quiz(
        module, title="Final check", questions=[single(), true_false(answer=True)], pass_mark=70,
        attempts_allowed=3, wait_minutes=1, feedback="after_each",
    )
    for page in course.get_descendants(inclusive=True).order_by("path"):
        translate(page, words=in_words)
    programme = Programme.objects.create(
        title="Meeting Facilitator", slug="meeting-facilitator", validity_months=24,
        signatory_name="Amara Osei", signatory_title="Training lead",
    )
    programme.courses.add(course)
    programme.save()
    CodeOfConduct.objects.create(
        version="2026.1", text="<p>Escuchamos sin juzgar. Lo que se comparte, aquí se queda.</p>",
        published_at=timezone.now() - timedelta(days=30),
    )
    return {"course": course, "quiz": quiz, "lessons": lessons_of(course), "programme": programme}


def test_a_learner_in_mexico_city_learns_and_is_certified_in_spanish(browser, live_server, spanish_course, mailoutbox, settings):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    course, quiz, lessons = spanish_course["course"], spanish_course["quiz"], spanish_course["lessons"]
    es_course, es_quiz = course.get_translation(spanish()), quiz.get_translation(spanish())
    es_lessons = [lesson.get_translation(spanish()) for lesson in lessons]
    page = browser_page(browser, live_server, locale="es-MX", timezone_id="America/Mexico_City")

    # --- Sign up: the page in Spanish, the zone suggested --------------------------------------
    page.goto("/accounts/signup/")
    expect(page).to_have_url(live_server.url + "/es/accounts/signup/")
    expect(page.locator("select[name=time_zone]")).to_have_value("America/Mexico_City")
    check_spanish(page, "sign-up page in Spanish")
    page.fill("input[name=certificate_name]", "Lucía Hernández")
    page.fill("input[name=email]", "lucia@example.mx")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(live_server.url + "/es/accounts/confirm-email/")
    check_spanish(page, "check-your-email page in Spanish")
    learner = UserProfile.objects.get(user__email="lucia@example.mx").user
    assert (learner.wagtail_userprofile.preferred_language, learner.wagtail_userprofile.current_time_zone) == (
        "es", "America/Mexico_City",
    )

    # The confirmation email's link, opened in the same browser.
    [confirmation] = [m for m in mailoutbox if "lucia@example.mx" in m.to and CONFIRM_LINK.search(m.body)]
    page.goto(CONFIRM_LINK.search(confirmation.body).group(0))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    check_spanish(page, "email confirmation page in Spanish")
    page.locator("main form button[type=submit]").click()
    assert EmailAddress.objects.get(email="lucia@example.mx").verified
    # Confirmed in the browser that signed up: signed in at once (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION).
    expect(page).not_to_have_url(re.compile(r"/accounts/(login|confirm-email)/"))
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/es/"))
    check_spanish(page, "the page after confirming the address, in Spanish")

    # --- The course in Spanish: enrol for free ---------------------------------------------------
    page.goto(es_course.url)
    expect(page).to_have_url(live_server.url + "/es/courses/meeting-basics/")
    expect(page.get_by_role("heading", level=1, name="Reuniones: lo básico")).to_be_visible()
    check_spanish(page, "course page in Spanish")
    page.get_by_role("button", name="Inscribirme gratis").click()

    # --- Straight to the first lesson, in Spanish; marked complete -------------------------------
    expect(page).to_have_url(live_server.url + es_lessons[0].url)
    # The course named as it is read (it was the English title: courses.views.enrol).
    expect(page.locator(".messages")).to_contain_text("Te has inscrito en Reuniones: lo básico.")
    assert Enrollment.objects.filter(user=learner, course=course).exists()
    expect(page.get_by_role("heading", level=1, name="Escuchar sin juzgar")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Quien facilita escucha primero y guía con suavidad.")
    check_spanish(page, "lesson in Spanish")
    check_on_phone(page, "lesson in Spanish at 375 px", "es-lesson-phone", viewport=PHONE_375)
    page.get_by_role("button", name="Marcar como completada y continuar").click()
    expect(page).to_have_url(live_server.url + es_lessons[1].url)
    expect(page.locator(".messages")).to_contain_text("“Escuchar sin juzgar” está completada.")
    check_spanish(page, "second lesson in Spanish")

    # --- Switch to English and back: the progress is kept ----------------------------------------
    switch_to(page, "English")
    expect(page).to_have_url(live_server.url + lessons[1].url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1, name=lessons[1].title)).to_be_visible()
    page.goto(course.url)
    expect(page.get_by_role("region", name="Your place in this course")).to_contain_text("1 of 3 required lessons complete.")
    switch_to(page, "Español")
    expect(page).to_have_url(live_server.url + es_course.url)
    expect(page.get_by_role("region", name="Tu plaza en este curso")).to_contain_text(
        re.compile(r"1 de 3 lecciones obligatorias")
    )
    page.goto(es_lessons[1].url)
    page.get_by_role("button", name="Marcar como completada y continuar").click()
    # The last lesson: what is left, the course named in Spanish (it was the English title).
    expect(page.locator(".messages")).to_contain_text(
        "Has terminado las lecciones de Reuniones: lo básico. Para completar el curso: Haz “Evaluación final”."
    )

    # --- The quiz in Spanish; the attempt survives a switch to English and back -----------------
    page.goto(es_quiz.url)
    expect(page.get_by_role("heading", level=1, name="Evaluación final")).to_be_visible()
    expect(page.get_by_role("region", name="Cómo funciona este cuestionario")).to_be_visible()
    check_spanish(page, "quiz page in Spanish")
    page.get_by_role("button", name="Empezar el cuestionario").click()
    expect(page).to_have_url(ATTEMPT_PATH)
    first = page.get_by_role("group", name=WHO_DECIDES)
    first.get_by_label("Cada participante").check()
    expect(first.locator(".save-status")).to_have_text("Guardado.")
    check_spanish(page, "quiz attempt in Spanish")
    check_on_phone(page, "quiz attempt in Spanish at 375 px", "es-attempt-phone", viewport=PHONE_375)
    attempt_path = ATTEMPT_PATH.search(page.url).group(0)

    switch_to(page, "English")
    expect(page).to_have_url(live_server.url + attempt_path.removeprefix("/es"))
    expect(page.get_by_role("group", name=re.compile("Who decides what a participant shares")).get_by_label(
        "The participant"
    )).to_be_checked()
    switch_to(page, "Español")
    expect(page).to_have_url(live_server.url + attempt_path)
    expect(page.get_by_role("group", name=WHO_DECIDES).get_by_label("Cada participante")).to_be_checked()
    assert QuizAttempt.objects.filter(user=learner).count() == 1

    # A wrong second answer: 50%, not passed, and a minute's wait told in Mexico City's time.
    page.get_by_role("group", name=END_EARLY).get_by_label("Falso").check()
    page.get_by_role("button", name="Enviar mis respuestas").click()
    expect(page).to_have_url(RESULT_PATH)
    expect(page.locator("#result-status")).to_contain_text("50%", timeout=15_000)
    check_spanish(page, "quiz result (not passed) in Spanish")
    first_attempt = QuizAttempt.objects.get(user=learner)
    page.goto(es_quiz.url)
    opens = (first_attempt.submitted_at + timedelta(minutes=1)).astimezone(
        ZoneInfo("America/Mexico_City")
    )
    waiting = page.locator(".message-info")
    # kernel.when names the zone: "CST" in Mexico City (UTC-06:00 all year since 2022).
    expect(waiting).to_contain_text(f"Se vuelve a abrir a las {opens:%H:%M} CST del ")
    expect(waiting).to_contain_text(SPANISH_DAY)
    check_spanish(page, "quiz page (waiting) in Spanish")

    # A minute later (moved, not slept): the next attempt passes.
    QuizAttempt.objects.filter(pk=first_attempt.pk).update(submitted_at=F("submitted_at") - timedelta(minutes=2))
    page.reload()
    page.get_by_role("button", name="Intentarlo de nuevo").click()
    expect(page).to_have_url(ATTEMPT_PATH)
    page.get_by_role("group", name=WHO_DECIDES).get_by_label("Cada participante").check()
    page.get_by_role("group", name=END_EARLY).get_by_label("Verdadero").check()
    check_spanish(page, "second quiz attempt in Spanish")
    page.get_by_role("button", name="Enviar mis respuestas").click()
    expect(page).to_have_url(RESULT_PATH)
    expect(page.locator("#result-status")).to_contain_text("Has aprobado", timeout=15_000)
    check_spanish(page, "quiz result (passed) in Spanish")

    # --- The code of conduct accepted, then the certificate, in Spanish -----------------------
    assert not Certificate.objects.filter(holder=learner).exists()
    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Mis certificados").click()
    expect(page).to_have_url(live_server.url + "/es/certificates/")
    requirements = page.get_by_role("region", name="Meeting Facilitator")
    requirements.get_by_text(re.compile(r"^Leer .* \(versión 2026\.1\)")).click()
    expect(requirements.get_by_text("Escuchamos sin juzgar.")).to_be_visible()
    check_spanish(page, "My certificates (code of conduct open) in Spanish")
    requirements.get_by_label("He leído el código de conducta y lo cumpliré.").check()
    requirements.get_by_role("button", name="Aceptar").click()
    expect(page).to_have_url(live_server.url + "/es/certificates/")
    expect(page.locator(".messages")).to_contain_text("Gracias: has aceptado el código de conducta.")
    certificate = Certificate.objects.get(holder=learner)
    assert certificate.pdf_language == "es"
    card = page.locator(".certificates > li").filter(has=page.get_by_role("heading", name="Meeting Facilitator"))
    expect(card).to_contain_text("Válido")
    expect(card).to_contain_text(certificate.display_code)
    expect(card).to_contain_text(SPANISH_DAY)
    check_spanish(page, "My certificates in Spanish")
    screenshot(page, "es-certificates-mine")

    with page.expect_download() as download_info:
        card.get_by_role("link", name=re.compile("^Descargar PDF")).click()
    content = open(download_info.value.path(), "rb").read()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    flat = " ".join(text.split())
    assert "Certificado de finalización" in flat and "Se certifica que" in flat and "Lucía Hernández" in flat, flat
    assert "ha cumplido todos los requisitos del programa Meeting Facilitator" in flat, flat
    assert "Comprueba este certificado en" in flat, flat
    issued = certificate.issued_at.astimezone(ZoneInfo("America/Mexico_City"))
    assert re.search(rf"Emitido el {issued.day} de ({SPANISH_MONTHS}) de {issued.year}", flat), flat
    assert "Válido hasta el" in flat, flat
    assert not re.search(r"\b(Issued|Valid until|This certifies)\b", flat), flat

    card.get_by_role("link", name=re.compile("^Página de verificación")).click()
    expect(page).to_have_url(re.compile(r"/certificates/verify/[0-9A-Z]{20}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1, name="Comprobación del certificado")).to_be_visible()
    result = page.get_by_role("status")
    expect(result).to_contain_text("Válido")
    expect(result).to_contain_text("Lucía Hernández")
    expect(result).to_contain_text(SPANISH_DAY)
    check_spanish(page, "verification page in Spanish")
    assert_page_healthy(page)
    page.context.close()


def test_a_manager_in_madrid_invites_staff_in_spanish(browser, live_server, settings, mailoutbox):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    settings.STRIPE_SECRET_KEY = "sk_test_views"  # seat orders are made, never sent to Stripe
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    course = build_course(title="Facilitator Training", price=Decimal("40.00"), modules=1, lessons_per_module=2)
    manager = UserFactory(email="carmen@centro.example", certificate_name="Carmen Ruiz")
    UserProfile.objects.update_or_create(
        user=manager, defaults={"preferred_language": "es", "current_time_zone": "Europe/Madrid"},
    )
    org = make_org(manager, name="Centro Ribera", billing="cuentas@centro.example")
    with transaction.atomic():  # as the tests of organisations/ build it (they run inside one)
        _, member, _, _ = staffed(
            org, manager, course, places=3, member_email="pablo@centro.example", invited_email="irene@centro.example",
        )
    # Pablo was last active at 23:30 UTC on 4 December: already 5 December in Madrid.
    Enrollment.objects.filter(user=member).update(
        last_activity_at=datetime(2026, 12, 4, 23, 30, tzinfo=dt_timezone.utc), progress_percent=50,
    )
    page = browser_page(browser, live_server, locale="es-ES", timezone_id="Europe/Madrid")
    spanish_sign_in(page, manager.email)
    check_spanish(page, "the manager's landing after sign-in, in Spanish")

    # --- The dashboard in Spanish, days in Madrid's zone ----------------------------------------
    page.goto(f"/organisations/{org.pk}/")
    expect(page).to_have_url(f"{live_server.url}/es/organisations/{org.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Centro Ribera")
    table = page.get_by_role("table", name="Progreso del equipo por curso")
    pablo = table.get_by_role("row", name=re.compile("pablo@centro.example"))
    expect(pablo).to_contain_text("En curso")
    expect(pablo).to_contain_text("5 de diciembre de 2026")
    check_spanish(page, "organisation dashboard in Spanish")
    # The spreadsheet too gives Pablo's last activity in Madrid's time.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Descargar todas las filas como hoja de cálculo (CSV)").click()
    with open(download_info.value.path(), encoding="utf-8-sig", newline="") as handle:
        rows = {row["Email"]: row for row in csv.DictReader(handle)}
    assert rows["pablo@centro.example"]["Last activity"] == "2026-12-05 00:30", rows["pablo@centro.example"]

    # --- Invite a member of staff ---------------------------------------------------------------
    page.get_by_role("navigation", name="Centro Ribera").get_by_role("link", name="Invitaciones y responsables").click()
    expect(page).to_have_url(f"{live_server.url}/es/organisations/{org.pk}/invitations/")
    main = page.get_by_role("main")
    expect(main.get_by_role("radio", name="Personal: una plaza en un curso")).to_be_checked()
    check_spanish(page, "invitations page in Spanish")
    main.get_by_role("combobox", name=re.compile("^Curso")).select_option(label="Facilitator Training")
    main.get_by_role("textbox", name="Correos electrónicos, una persona por línea").fill("Nuria Gil <nuria@centro.example>")
    main.get_by_role("button", name="Comprueba a quién se invitará").click()
    check_spanish(page, "invitation preview in Spanish")
    page.get_by_role("main").get_by_role("button", name="Enviar 1 invitación").click()
    expect(page).to_have_url(f"{live_server.url}/es/organisations/{org.pk}/invitations/")
    invitation = Invitation.objects.get(email="nuria@centro.example")
    assert invitation.sent_at
    expect(page.get_by_role("table", name="Invitaciones aún sin aceptar").get_by_role(
        "row", name=re.compile("nuria@centro.example")
    )).to_contain_text(SPANISH_DAY)
    check_spanish(page, "invitations page (one more waiting) in Spanish")

    # Nuria has no account, so no language of her own: the invitation is written in the
    # language (and zone) the inviting manager saved (organisations.services.invitations.
    # invitation_send), here Spanish; someone with an account gets their own.
    [email] = [m for m in mailoutbox if m.to == ["nuria@centro.example"]]
    assert email.subject == "Centro Ribera tiene una plaza para ti en «Facilitator Training»", email.subject
    assert "Hola, Nuria Gil:" in email.body, email.body
    link = INVITATION_LINK.search(email.body)
    assert link and link.group(0).startswith(live_server.url), email.body

    # --- Nuria opens the link in her own Spanish browser and gets the Spanish sign-up -----------
    nuria = browser_page(browser, live_server, locale="es-ES", timezone_id="Europe/Madrid")
    try:
        nuria.goto(link.group(0))
        expect(nuria.locator("html")).to_have_attribute("lang", "es")
        expect(nuria.get_by_role("heading", level=1, name="Centro Ribera tiene una plaza para ti")).to_be_visible()
        check_spanish(nuria, "invitation page in Spanish (signed out)")
        nuria.get_by_role("link", name="Crear tu cuenta").first.click()
        expect(nuria).to_have_url(re.compile(r"/es/accounts/signup/\?next="))
        expect(nuria.locator("input[name=email]")).to_have_value("nuria@centro.example")
        expect(nuria.locator("select[name=time_zone]")).to_have_value("Europe/Madrid")
        check_spanish(nuria, "sign-up from an invitation in Spanish")
        assert_page_healthy(nuria)
    finally:
        nuria.context.close()
    assert_page_healthy(page)
    page.context.close()


def test_unknown_addresses_are_answered_in_the_right_language(browser, live_server):
    page = browser_page(browser, live_server, locale="es-MX", timezone_id="America/Mexico_City")
    try:
        response = page.goto("/xx/no-such-page/")
        assert response.status == 404
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("heading", level=1, name="We could not find that page")).to_be_visible()

        response = page.goto("/es/no-existe/")
        assert response.status == 404
        expect(page.get_by_role("heading", level=1, name="No pudimos encontrar esa página")).to_be_visible()
        expect(page).to_have_title(re.compile("^Página no encontrada"))
        check_spanish(page, "404 page in Spanish")
        assert page.failed_requests == [
            f"404 GET {live_server.url}/xx/no-such-page/", f"404 GET {live_server.url}/es/no-existe/",
        ]
        page.failed_requests.clear()  # the two 404s are the answers expected
        assert_page_healthy(page)
    finally:
        page.context.close()
