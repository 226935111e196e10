"""The learner's CE status page, the CE certificate PDF and credential downloads: the
holder's own (and staff who may read CE certificates); anyone else gets a 404."""
import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from wagtail.users.models import UserProfile

from continuing_education import services
from continuing_education.models import CECertificate
from tests.certification.test_credential_interop import safe_expand, schema_errors
from tests.factories import UserFactory, enrolled_learner

from .conftest import complete_course, give_licence, hour_start, make_approval, ready_learner, study

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner, course, approval):
    ready_learner(learner, course)
    services.ce_evaluate(user_id=learner.pk, course_id=course.pk)
    return CECertificate.objects.get(holder=learner)


def pdf_text(response) -> str:
    data = b"".join(response.streaming_content)
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def plain(response) -> str:
    return " ".join(response.content.decode().split())


# --- the status page ----------------------------------------------------------------------------


def test_the_status_page_needs_a_sign_in(client):
    response = client.get(reverse("continuing_education:status"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_status_page_says_every_rule_and_when_the_rest_is_credited(client, learner, course):
    make_approval(course, hours="10", daily_cap_hours=Decimal("8"))
    study(learner, course, hour_start(timezone.now() - timedelta(hours=12)), 10)
    give_licence(learner)
    complete_course(learner, course)
    client.force_login(learner)
    page = plain(client.get(reverse("continuing_education:status")))
    assert "Meeting Basics" in page and "NAADAC: 10 CE hours" in page
    assert "Submit the course evaluation." in page
    assert "Time on task: 10 h of the 10 h required." in page
    assert "8 of 10 hours credited so far." in page
    assert 'href="/continuing-education/licence/"' in page


def test_the_status_page_in_spanish(client, learner, course, certificate):
    UserProfile.objects.update_or_create(user=learner, defaults={"preferred_language": "es"})
    client.force_login(learner)
    page = plain(client.get("/es/continuing-education/"))
    assert "Educación continua" in page and "Tus certificados de EC" in page
    assert f"/es/continuing-education/certificates/{certificate.code}/pdf/" in page


def test_the_status_page_shows_only_the_learners_own(client, course, certificate):
    other = enrolled_learner(course)
    client.force_login(other)
    page = plain(client.get(reverse("continuing_education:status")))
    assert certificate.display_code not in page and "Zoë" not in page


# --- the PDF --------------------------------------------------------------------------------------


def test_the_holder_downloads_the_pdf_with_everything_a_board_reads(client, learner, certificate):
    client.force_login(learner)
    response = client.get(reverse("continuing_education:pdf", args=[certificate.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response).split())
    for expected in ("Zoë Ñúñez-O'Brien", "LCDC-II 12345", "Ohio Chemical Dependency Professionals Board", "Ohio",
                     "Addiction or substance use counsellor", "Meeting Basics", "CE hours 2", "NAADAC body",
                     "DEMO-123456", "Approved by NAADAC as an education provider (demo).", certificate.display_code):
        assert expected in text, expected
    assert f"http://testserver/certificates/verify/{certificate.code}/" in text.replace(" ", "")  # wrapped


def test_another_learners_pdf_and_credential_are_not_found(client, course, certificate):
    other = enrolled_learner(course)
    client.force_login(other)
    assert client.get(reverse("continuing_education:pdf", args=[certificate.code])).status_code == 404
    assert client.get(reverse("continuing_education:credential", args=[certificate.code])).status_code == 404
    assert client.get(reverse("continuing_education:pdf", args=["NOPE"])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, certificate):
    response = client.get(reverse("continuing_education:pdf", args=[certificate.code]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_with_the_ce_permission_may_download_a_learners_pdf(client, certificate):
    staff = UserFactory()
    client.force_login(staff)
    assert client.get(reverse("continuing_education:pdf", args=[certificate.code])).status_code == 404
    staff.user_permissions.add(Permission.objects.get(codename="manage_ce_certificates"))
    staff = type(staff).objects.get(pk=staff.pk)  # no cached permissions
    client.force_login(staff)
    assert client.get(reverse("continuing_education:pdf", args=[certificate.code])).status_code == 200
    # The credential stays the holder's own.
    assert client.get(reverse("continuing_education:credential", args=[certificate.code])).status_code == 404


def test_a_revoked_certificate_has_no_pdf_or_credential(client, learner, certificate):
    CECertificate.objects.filter(pk=certificate.pk).update(
        revoked_at=timezone.now(), revocation_reason=CECertificate.RevocationReason.ISSUED_IN_ERROR)
    client.force_login(learner)
    assert client.get(reverse("continuing_education:pdf", args=[certificate.code])).status_code == 404
    assert client.get(reverse("continuing_education:credential", args=[certificate.code])).status_code == 404


def test_the_pdf_is_made_again_after_a_reissue_or_in_another_language(client, learner, certificate):
    client.force_login(learner)
    client.get(reverse("continuing_education:pdf", args=[certificate.code]))
    certificate.refresh_from_db()
    first = certificate.pdf.name
    assert (certificate.pdf_revision, certificate.pdf_language) == (1, "en")
    assert not services.ce_certificate_render(certificate_id=certificate.pk)  # current: left alone

    # A reissue (a licence change): new revision, the PDF follows on the next download.
    CECertificate.objects.filter(pk=certificate.pk).update(licence_number="LCDC-III 999", revision=2)
    text = pdf_text(client.get(reverse("continuing_education:pdf", args=[certificate.code])))
    assert "LCDC-III 999" in text
    certificate.refresh_from_db()
    assert certificate.pdf_revision == 2 and certificate.pdf.name != first

    UserProfile.objects.update_or_create(user=learner, defaults={"preferred_language": "es"})
    text = " ".join(pdf_text(client.get(reverse("continuing_education:pdf", args=[certificate.code]))).split())
    assert "Certificado de educación continua" in text and "Consejero/a en adicciones" in text
    certificate.refresh_from_db()
    assert certificate.pdf_language == "es"


def test_names_in_other_scripts_are_printed(client, course, approval):
    learner = enrolled_learner(course, certificate_name="محمد علي")
    ready_learner(learner, course)
    services.ce_evaluate(user_id=learner.pk, course_id=course.pk)
    certificate = CECertificate.objects.get(holder=learner)
    client.force_login(learner)
    text = pdf_text(client.get(reverse("continuing_education:pdf", args=[certificate.code])))
    assert "علي" in text or "ﻋﻠﻲ" in text or "يلع" in text


# --- the digital credential -------------------------------------------------------------------


def test_the_credential_carries_the_hours_in_open_badges_fields_and_validates(client, learner, certificate):
    client.force_login(learner)
    response = client.get(reverse("continuing_education:credential", args=[certificate.code]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    document = json.loads(response.content)
    assert schema_errors(document) == []
    safe_expand(document)  # every term defined by the contexts
    subject = document["credentialSubject"]
    assert subject["creditsEarned"] == 2 and subject["achievement"]["creditsAvailable"] == 2
    assert subject["achievement"]["achievementType"] == "CertificateOfCompletion"
    assert document["id"].endswith(f"/certificates/verify/{certificate.code}/")
    assert "LCDC" not in response.content.decode()  # the licence number stays on the PDF
    from certification import issuer

    assert issuer.verify(document).verified


def test_partial_credit_shows_fewer_hours_earned_than_available(learner, certificate):
    staff = UserFactory()
    CECertificate.objects.filter(pk=certificate.pk).update(
        hours=Decimal("1.25"), partial=True, partial_reason="Left early", granted_by=staff)
    certificate.refresh_from_db()
    subject = services.ce_credential_issue(certificate=certificate)["credentialSubject"]
    assert subject["creditsEarned"] == 1.25 and subject["achievement"]["creditsAvailable"] == 2


def test_the_credential_check_page_knows_ce_credentials(client, learner, certificate):
    from django.core.cache import cache

    document = services.ce_credential_issue(certificate=certificate)
    response = client.post(reverse("certification:credential_check"), {"credential": json.dumps(document)})
    text = " ".join(response.content.decode().split())
    assert response.status_code == 200 and "<strong>✓ Valid.</strong>" in text and "NAADAC body" in text
    assert "we have no record" not in text

    CECertificate.objects.filter(pk=certificate.pk).update(
        revoked_at=timezone.now(), revocation_reason=CECertificate.RevocationReason.ISSUED_IN_ERROR)
    cache.clear()  # as ce_certificate_changed does
    response = client.post(reverse("certification:credential_check"), {"credential": json.dumps(document)})
    assert "<strong>✗ Revoked.</strong>" in response.content.decode()
    tampered = {**document, "credentialSubject": {**document["credentialSubject"], "creditsEarned": 40}}
    response = client.post(reverse("certification:credential_check"), {"credential": json.dumps(tampered)})
    assert "changed after it was signed" in response.content.decode()
