"""Programmes and codes of conduct in the site's other languages.

Staff give a programme a version per language on its own edit page (a "Translations" row
per language, its yes/no statements and practical items translated where they are
written); every reader reads their own language's words, or the source's where staff
wrote none: the certificate PDF, the verification page and its JSON, the digital
credential, "My certificates", the course page's next steps, the emails.
"""
import io
from datetime import datetime, timezone as dt_timezone

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from certification import pdf, selectors, services
from certification.models import (
    Attestation,
    Certificate,
    CodeOfConduct,
    CodeOfConductTranslation,
    ConductAcceptance,
    PracticalItem,
    Programme,
    ProgrammeTranslation,
)
from certification.models.programme import DEFAULT_WORDING, title_in_language
from tests.factories import UserFactory, lessons_of
from courses import services as learning

from .test_credential_interop import schema_errors
from .test_languages import BOTH, choose, spanish  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

TITLE_ES = "Facilitador/a de reuniones"
WORDING_ES = "ha completado el programa {programme} y puede facilitar reuniones de ayuda mutua."


@pytest.fixture(autouse=True)
def both_languages(settings):
    settings.LANGUAGES = BOTH
    settings.LANGUAGE_CODE = "en"


def translate(programme, **fields):
    return ProgrammeTranslation.objects.create(programme=programme, language="es", **{"title": TITLE_ES, **fields})


@pytest.fixture
def holder(db):
    return UserFactory(email="ana@example.org", certificate_name="Ana Núñez")


@pytest.fixture
def certificate(holder, programme):
    issued = datetime(2026, 12, 5, 10, 0, tzinfo=dt_timezone.utc)
    certificate, _ = services.certificate_issue(user=holder, programme=programme, period=1, now=issued)
    return certificate


def pdf_text(data: bytes) -> str:
    return " ".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


# --- the staff's edit page ----------------------------------------------------------------------


@pytest.fixture
def staff(db):
    from django.contrib.auth.models import Group

    user = UserFactory(email="sam.staff@example.org")
    user.groups.add(Group.objects.get(name="Certification staff"))
    return user


def programme_post(course, *, translations=(), title="Peer Support", wording=DEFAULT_WORDING, statement_es=""):
    return nested_form_data({
        "title": title, "slug": "peer-support", "description": "Support your peers.", "active": "on",
        "courses": [course.pk], "requires_code_of_conduct": "on", "validity_months": "24",
        "reminder_days": "60,30,7", "renewal_window_days": "90",
        "certificate_title": "Certificate of Completion", "wording": wording,
        "signatory_name": "", "signatory_title": "",
        "colour_primary": "#0b5c56", "colour_accent": "#8a3b00", "page_size": "A4",
        "practical_items": inline_formset([
            {"label": "Observed role-play", "required_count": "1", "label_translations_0": "Juego de roles observado"}
        ]),
        "attestations": inline_formset([
            {"statement": "I am 18 or older.", "statement_translations_0": statement_es}
        ]),
        "translations": inline_formset(list(translations)),
    })


def test_staff_add_a_programme_with_its_spanish_version_on_its_own_page(client, staff, course):
    client.force_login(staff)
    form = client.get(reverse("wagtailsnippets_certification_programme:add")).content.decode()
    assert "Translations" in form and 'lang="es"' in form  # a box per other language, labelled with it
    response = client.post(
        reverse("wagtailsnippets_certification_programme:add"),
        programme_post(course, statement_es="Tengo 18 años o más.", translations=[
            {"language": "es", "title": "Apoyo entre pares", "description": "Apoya a tus pares.",
             "certificate_title": "", "wording": "ha completado {programme}."},
        ]),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    programme = Programme.objects.get(slug="peer-support")
    (row,) = programme.translations.all()
    assert (row.language, row.title, row.wording) == ("es", "Apoyo entre pares", "ha completado {programme}.")
    assert programme.attestations.get().statement_translations == {"es": "Tengo 18 años o más."}
    assert programme.practical_items.get().label_translations == {"es": "Juego de roles observado"}

    # Edited: the Spanish title changes, the statement's Spanish is emptied (back to the source).
    edit = reverse("wagtailsnippets_certification_programme:edit", args=[programme.pk])
    assert "Apoyo entre pares" in client.get(edit).content.decode()
    data = programme_post(course, translations=[
        {"id": row.pk, "language": "es", "title": "Apoyo mutuo", "description": "", "certificate_title": "", "wording": ""},
    ])
    data["attestations-0-id"] = programme.attestations.get().pk
    data["practical_items-0-id"] = programme.practical_items.get().pk
    data["attestations-INITIAL_FORMS"] = data["practical_items-INITIAL_FORMS"] = data["translations-INITIAL_FORMS"] = 1
    assert client.post(edit, data).status_code == 302
    assert programme.translations.get().title == "Apoyo mutuo"
    assert programme.attestations.get().statement_translations == {}
    assert programme.words("es").title == "Apoyo mutuo" and programme.words("es").description == "Support your peers."


def test_a_second_version_in_the_same_language_is_refused_with_a_clear_message(client, staff, course):
    client.force_login(staff)
    row = {"language": "es", "title": "Apoyo entre pares", "description": "", "certificate_title": "", "wording": ""}
    response = client.post(
        reverse("wagtailsnippets_certification_programme:add"),
        programme_post(course, translations=[row, {**row, "title": "Otro"}]),
    )
    assert response.status_code == 200
    assert "There is already a version in Español. Change that one, or choose another language." in response.content.decode()
    assert not Programme.objects.filter(slug="peer-support").exists() and not ProgrammeTranslation.objects.exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"wording": "ha completado {titulo}."}, "Only {programme} can be filled in."),
        ({"language": "en"}, "Select a valid choice."),  # the source language is the programme itself
        ({"language": "xx"}, "Select a valid choice."),
        ({"title": ""}, "This field is required."),
    ],
)
def test_a_bad_translation_is_refused_and_nothing_is_saved(client, staff, course, row, message):
    client.force_login(staff)
    good = {"language": "es", "title": "Apoyo entre pares", "description": "", "certificate_title": "", "wording": ""}
    response = client.post(
        reverse("wagtailsnippets_certification_programme:add"), programme_post(course, translations=[{**good, **row}])
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not Programme.objects.filter(slug="peer-support").exists() and not ProgrammeTranslation.objects.exists()


def test_the_database_keeps_one_version_per_language(programme):
    translate(programme)
    with pytest.raises(IntegrityError), transaction.atomic():
        translate(programme, description="again")


def test_a_code_of_conduct_takes_one_version_per_language_too(client, staff):
    client.force_login(staff)
    row = {"language": "es", "title": "", "text": '{"blocks": [], "entityMap": {}}'}
    data = nested_form_data({
        "version": "2027.1", "published_at": "2027-01-01 00:00", "title": "Facilitator code of conduct",
        "text": '{"blocks": [{"key": "a", "type": "unstyled", "text": "Listen.", "depth": 0, "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}',
        "translations": inline_formset([
            {**row, "text": '{"blocks": [{"key": "b", "type": "unstyled", "text": "Escucha.", "depth": 0, "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}'},
            {**row, "text": '{"blocks": [{"key": "c", "type": "unstyled", "text": "Otra.", "depth": 0, "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}'},
        ]),
    })
    response = client.post(reverse("wagtailsnippets_certification_codeofconduct:add"), data)
    assert response.status_code == 200 and "There is already a version in Español." in response.content.decode()
    assert not CodeOfConduct.objects.filter(version="2027.1").exists()
    data["translations-TOTAL_FORMS"] = 1
    assert client.post(reverse("wagtailsnippets_certification_codeofconduct:add"), data).status_code == 302
    code = CodeOfConduct.objects.get(version="2027.1")
    assert "Escucha." in code.words("es")[1] and "Listen." in code.words("en")[1]
    assert code.words("en")[0] == "Facilitator code of conduct"  # no Spanish title given: the source's, as it came


# --- what readers read -----------------------------------------------------------------------------


def test_the_words_fall_back_to_the_source_field_by_field(programme):
    programme.wording = "has completed the {programme} programme."
    programme.description = "What it means."
    programme.save()
    untranslated = programme.words("es")
    assert (untranslated.title, untranslated.translated) == ("Meeting Facilitator", False)
    assert untranslated.wording == "has completed the Meeting Facilitator programme."  # staff's English, as written
    translate(programme)
    programme = Programme.objects.get(pk=programme.pk)
    words = programme.words("es")
    assert (words.title, words.description, words.translated) == (TITLE_ES, "What it means.", True)
    assert words.wording == f"has completed the {TITLE_ES} programme."
    assert programme.words("en").title == "Meeting Facilitator"
    assert programme.words("es-mx").title == TITLE_ES  # a regional variant reads its language


def test_the_spanish_pdf_prints_the_spanish_title_and_wording(spanish, certificate, programme):
    translate(programme, wording=WORDING_ES, certificate_title="Certificado de facilitación")
    certificate = Certificate.objects.select_related("programme").get(pk=certificate.pk)
    text = pdf_text(pdf.render_certificate(certificate, language="es", time_zone="UTC"))
    assert "Certificado de facilitación" in text
    assert f"ha completado el programa {TITLE_ES} y puede facilitar reuniones de ayuda mutua." in text
    assert "Meeting Facilitator" not in text
    english = pdf_text(pdf.render_certificate(certificate, language="en", time_zone="UTC"))
    assert "has met every requirement of the Meeting Facilitator programme" in english and TITLE_ES not in english


def test_the_spanish_pdf_without_a_translation_prints_the_source_title(spanish, certificate):
    text = pdf_text(pdf.render_certificate(certificate, language="es", time_zone="UTC"))
    # The untouched default wording is the catalogue's Spanish; the title is the source's.
    assert "Certificado de finalización" in text
    assert "ha cumplido todos los requisitos del programa Meeting Facilitator" in text


def test_the_spanish_pdf_with_a_title_only_keeps_the_catalogues_wording(spanish, certificate, programme):
    translate(programme)
    certificate = Certificate.objects.select_related("programme").get(pk=certificate.pk)
    text = pdf_text(pdf.render_certificate(certificate, language="es", time_zone="UTC"))
    assert f"ha cumplido todos los requisitos del programa {TITLE_ES}" in text


def test_the_verification_page_names_the_programme_in_the_readers_language(spanish, client, certificate, programme):
    translate(programme)
    url = reverse("certification:verify", args=[certificate.code])
    spanish_page = client.get(url, HTTP_ACCEPT_LANGUAGE="es", follow=True).content.decode()
    english_page = client.get(url, HTTP_ACCEPT_LANGUAGE="en", follow=True).content.decode()
    assert f"<dd>{TITLE_ES}</dd>" in spanish_page and "<dd>Meeting Facilitator</dd>" in english_page
    # The JSON: the source title, and the title in each language it is given in.
    facts = client.get(reverse("credentials:verify_json", args=[certificate.code])).json()
    assert facts["programme"] == "Meeting Facilitator"
    assert facts["programme_names"] == {"en": "Meeting Facilitator", "es": TITLE_ES}
    # Served from the cache afterwards: still no query for a warm page.
    with CaptureQueriesContext(connection) as warm:
        again = client.get(reverse("certification:verify", args=[certificate.code]).replace("/", "/es/", 1))
    assert TITLE_ES in again.content.decode() and len(warm.captured_queries) == 0


def test_the_verification_page_without_a_translation_names_the_source(spanish, client, certificate):
    page = client.get(reverse("certification:verify", args=[certificate.code]), HTTP_ACCEPT_LANGUAGE="es", follow=True)
    assert "<dd>Meeting Facilitator</dd>" in page.content.decode()


def test_the_credential_names_the_programme_in_the_holders_language(spanish, holder, certificate, programme):
    translate(programme, description="Para quienes facilitan reuniones.")
    choose(holder, language="es")
    certificate = Certificate.objects.select_related("programme").get(pk=certificate.pk)
    credential = services.credential_issue(certificate=certificate)
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["name"] == TITLE_ES and achievement["inLanguage"] == "es"
    assert achievement["description"] == "Para quienes facilitan reuniones."
    assert TITLE_ES in credential["name"] and TITLE_ES in achievement["image"]["caption"]
    assert schema_errors(credential) == []
    choose(holder, language="en")
    english = services.credential_issue(certificate=Certificate.objects.get(pk=certificate.pk))
    assert english["credentialSubject"]["achievement"]["name"] == "Meeting Facilitator"


def test_my_certificates_reads_the_programme_its_statements_and_the_code_in_spanish(client, programme, code_of_conduct):
    translate(programme, description="Para quienes facilitan reuniones.")
    Attestation.objects.create(programme=programme, statement="I am 18 or older.", statement_translations={"es": "Tengo 18 años o más."})
    PracticalItem.objects.create(programme=programme, label="Observed role-play", label_translations={"es": "Juego de roles observado"})
    CodeOfConductTranslation.objects.create(code=code_of_conduct, language="es", text="<p>Escucha sin juzgar.</p>")
    learner = UserFactory()
    client.force_login(learner)
    page = client.get("/es" + reverse("certification:mine")).content.decode()
    for spanish_words in (TITLE_ES, "Para quienes facilitan reuniones.", "Tengo 18 años o más.", "Juego de roles observado", "Escucha sin juzgar."):
        assert spanish_words in page, spanish_words
    assert "I am 18 or older." not in page and "Listen without judging" not in page
    english = client.get(reverse("certification:mine")).content.decode()
    assert "Meeting Facilitator" in english and "I am 18 or older." in english and TITLE_ES not in english
    # Acceptance stays per version, whichever language it was read in.
    client.post("/es" + reverse("certification:accept_conduct"), {"code": code_of_conduct.pk, "agree": "yes"})
    assert ConductAcceptance.objects.filter(user=learner, code=code_of_conduct).count() == 1


def test_my_certificates_costs_no_query_more_per_programme(client, programme):
    learner = UserFactory()
    client.force_login(learner)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/es" + reverse("certification:mine")).status_code == 200
        return len(queries.captured_queries)

    count()  # warm (the site root, the session's choices)
    one = count()
    for n in range(3):
        other = Programme.objects.create(title=f"Programme {n}", slug=f"programme-{n}")
        translate(other, title=f"Programa {n}")
        services.certificate_issue(user=learner, programme=other, period=1, now=timezone.now())
    assert "Programa 2" in client.get("/es" + reverse("certification:mine")).content.decode()
    assert "Programa 0" in client.get("/es" + reverse("certification:mine")).content.decode()
    assert count() == one + 1  # the certificates' programmes' translations, read once for all


def test_the_course_pages_next_steps_name_the_programme_in_spanish_at_no_extra_cost(
    client, course, programme, learner, django_capture_on_commit_callbacks
):
    translate(programme)
    enrollment = learner.enrollments.get(course=course)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons_of(course):
            learning.lesson_complete(enrollment=enrollment, lesson=lesson)
    client.force_login(learner)
    client.get(course.url), client.get("/es" + course.url)  # warm both
    with CaptureQueriesContext(connection) as english:
        english_page = client.get(course.url).content.decode()
    with CaptureQueriesContext(connection) as spanish_queries:
        spanish_page = client.get("/es" + course.url).content.decode()
    assert TITLE_ES in spanish_page and TITLE_ES not in english_page and "Meeting Facilitator" in english_page
    assert len(spanish_queries.captured_queries) == len(english.captured_queries)


def test_the_issued_email_names_the_programme_in_the_holders_language(spanish, holder, certificate, programme, mailoutbox):
    translate(programme)
    choose(holder, language="es")
    assert services.certificate_notify_issued(certificate_id=certificate.pk)
    (message,) = mailoutbox
    assert message.subject == f"Tu certificado de {TITLE_ES}"


def test_lists_of_certificates_name_the_programme_in_the_readers_language_in_sql(certificate, programme):
    translate(programme)
    rows = Certificate.objects.filter(pk=certificate.pk)
    with translation.override("es"):
        assert rows.annotate(name=title_in_language("programme_id")).get().name == TITLE_ES
    assert rows.annotate(name=title_in_language("programme_id")).get().name == "Meeting Facilitator"
    ProgrammeTranslation.objects.filter(programme=programme).delete()
    with translation.override("es"):
        assert rows.annotate(name=title_in_language("programme_id")).get().name == "Meeting Facilitator"


def test_programmes_listed_with_their_words_are_read_in_one_query(programme):
    translate(programme)
    with translation.override("es"), CaptureQueriesContext(connection) as queries:
        listed = list(Programme.objects.with_words())
        assert [p.words().title for p in listed] == [TITLE_ES]
    assert len(queries.captured_queries) == 1
    assert selectors.public_facts(Certificate(programme=programme, holder_name="A", code="X" * 20,
                                              issued_at=timezone.now()))["programme_names"]["es"] == TITLE_ES
