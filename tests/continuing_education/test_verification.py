"""CE certificates on the public verification page and JSON (certification's own, through
its registered lookup): their facts, nothing personal beyond the printed name, the same
answer and rate limit for forged codes as for unknown facilitator codes, and the cache
forgotten when a CE certificate changes."""
import io
import types
from datetime import datetime, timezone as dt_timezone

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader
from wagtail.users.models import UserProfile

from certification import codes
from continuing_education import services
from continuing_education.events import ce_certificate_changed
from continuing_education.models import CECertificate, CECertificateEvent

from .conftest import ready_learner

pytestmark = pytest.mark.django_db

NOT_FOUND = "We found no certificate with that code. Please check it and try again."


@pytest.fixture
def certificate(learner, course, approval):
    ready_learner(learner, course)
    services.ce_evaluate(user_id=learner.pk, course_id=course.pk)
    return CECertificate.objects.get(holder=learner)


@pytest.fixture
def frozen_ratelimit_clock(monkeypatch):
    import django_ratelimit.core

    monkeypatch.setattr(django_ratelimit.core, "time", types.SimpleNamespace(time=lambda: 1_800_000_000.0))


def page(client, code, **extra):
    return client.get(reverse("certification:verify", args=[code]), **extra)


def json_of(client, code):
    return client.get(reverse("credentials:verify_json", args=[code]))


def test_the_page_shows_a_ce_certificates_facts(client, certificate):
    response = page(client, certificate.code)
    assert response.status_code == 200
    text = " ".join(response.content.decode().split())
    for expected in ("This continuing education (CE) certificate is genuine.", "Zoë Ñúñez-O&#x27;Brien",
                     "Meeting Basics", "NAADAC body", "DEMO-123456", certificate.display_code):
        assert expected in text, expected
    assert "<dt>CE hours</dt><dd>2</dd>" in text.replace(" <", "<")
    for private in ("LCDC", "zoe@example.org", "Ohio"):
        assert private not in text


def test_the_json_adds_a_continuing_education_object(client, certificate):
    data = json_of(client, certificate.code).json()
    assert data["continuing_education"] == {
        "hours": 2, "body": "NAADAC body", "provider_number": "DEMO-123456",
        "completion_date": certificate.completed_at.date().isoformat(),
    }
    assert data["status"] == "valid" and data["holder_name"] == "Zoë Ñúñez-O'Brien" and data["course"] == "Meeting Basics"
    assert "LCDC" not in str(data) and "zoe@example.org" not in str(data)


def test_a_look_up_by_typed_code_finds_a_ce_certificate(client, certificate):
    response = client.get(reverse("certification:lookup"), {"code": certificate.display_code.lower()})
    assert response.status_code == 302 and response["Location"] == reverse("certification:verify", args=[certificate.code])


def test_the_completion_date_is_the_holders_day_as_printed(client, learner, certificate):
    UserProfile.objects.update_or_create(user=learner, defaults={"current_time_zone": "Pacific/Auckland"})
    late = datetime(2026, 3, 2, 20, 30, tzinfo=dt_timezone.utc)  # already 3 March in Auckland
    CECertificate.objects.filter(pk=certificate.pk).update(completed_at=late)
    assert json_of(client, certificate.code).json()["continuing_education"]["completion_date"] == "2026-03-03"
    client.force_login(learner)
    data = b"".join(client.get(reverse("continuing_education:pdf", args=[certificate.code])).streaming_content)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "3 March 2026" in text


def test_forged_and_unknown_codes_learn_nothing_and_answer_as_for_any_unknown_code(client, certificate):
    tampered = certificate.code[:-1] + ("0" if certificate.code[-1] != "0" else "1")
    for code in (tampered, codes.new_code()):
        response = page(client, code)
        assert response.status_code == 404 and NOT_FOUND in response.content.decode()
        assert "Zoë" not in response.content.decode()
        response = json_of(client, code)
        assert response.status_code == 404 and response.json() == {"error": "No certificate has this code."}


def test_forged_ce_codes_use_up_the_same_allowance(client, certificate, settings, frozen_ratelimit_clock):
    settings.CERTIFICATE_VERIFY_RATE = "3/m"
    assert page(client, certificate.code).status_code == 200  # first view, not cached yet: counted (1)
    for _ in range(5):
        assert page(client, certificate.code).status_code == 200  # cached: not counted
    for i in range(2):  # 2, 3
        forged = certificate.code[:i] + ("Z" if certificate.code[i] != "Z" else "Y") + certificate.code[i + 1:]
        assert json_of(client, forged).status_code == 404
    response = page(client, codes.new_code())
    assert response.status_code == 429 and escape("Zoë") not in response.content.decode()
    assert page(client, certificate.code).status_code == 429


def test_a_change_is_shown_at_once_the_cache_is_forgotten_after_commit(client, certificate):
    assert "genuine" in page(client, certificate.code).content.decode()  # cached now
    with transaction.atomic():
        CECertificate.objects.filter(pk=certificate.pk).update(
            revoked_at=timezone.now(), revocation_reason=CECertificate.RevocationReason.ISSUED_IN_ERROR)
        CECertificateEvent.objects.create(certificate=certificate, kind=CECertificateEvent.Kind.REVOKED)
        ce_certificate_changed.send(sender=CECertificate, certificate_id=certificate.pk, code=certificate.code,
                                    kind=CECertificateEvent.Kind.REVOKED)
    response = page(client, certificate.code)
    assert "This CE certificate was withdrawn on" in " ".join(response.content.decode().split())
    assert json_of(client, certificate.code).json()["status"] == "revoked"
