"""A credential's ids and addresses, and the address printed (and in the QR code) on a
certificate PDF, carry no language prefix, whatever language is active when they are
made: they are signed or printed once and read by anyone, in any language."""
import io
import json
from datetime import datetime, timezone as dt_timezone

import pytest
from django.utils import translation
from pypdf import PdfReader
from wagtail.users.models import UserProfile

from certification import pdf, services
from certification.credential_check import check_credential
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish_holder(db):
    holder = UserFactory(email="lucia@example.org", certificate_name="Lucía Pérez")
    profile = UserProfile.get_for_user(holder)
    profile.preferred_language = "es"
    profile.save()
    return holder


@pytest.fixture
def certificate(spanish_holder, programme):
    issued = datetime(2026, 12, 5, 12, 0, tzinfo=dt_timezone.utc)
    with translation.override("es"):
        certificate, _ = services.certificate_issue(user=spanish_holder, programme=programme, period=1, now=issued)
    return certificate


def _addresses(value, base):
    """Every string in a JSON value that is an address on this site."""
    if isinstance(value, dict):
        return [found for item in value.values() for found in _addresses(item, base)]
    if isinstance(value, list):
        return [found for item in value for found in _addresses(item, base)]
    return [value] if isinstance(value, str) and value.startswith(base) else []


def test_a_credential_issued_in_spanish_has_unprefixed_addresses(settings, certificate):
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    with translation.override("es"):
        credential = services.credential_issue(certificate=certificate)
    assert credential["credentialSubject"]["achievement"]["inLanguage"] == "es"  # the words are Spanish
    assert credential["id"] == f"{base}/certificates/verify/{certificate.code}/"
    addresses = _addresses(credential, base)
    assert len(addresses) >= 2  # the id, the badge, the status list
    assert not [a for a in addresses if a.startswith(f"{base}/es/")]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_credential_is_checked_in_any_language(certificate, language):
    with translation.override("es"):
        credential = services.credential_issue(certificate=certificate)
    with translation.override(language):
        check = check_credential(json.dumps(credential))
    assert check.outcome == "valid", check.reasons
    assert check.certificate == certificate


def test_the_pdf_prints_the_unprefixed_address(settings, certificate):
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    with translation.override("es"):
        assert pdf.verification_url(certificate) == f"{base}/certificates/verify/{certificate.code}/"
        assert services.certificate_render(certificate_id=certificate.pk) or certificate.pdf
    certificate.refresh_from_db()
    assert certificate.pdf_language == "es"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(certificate.pdf.read())).pages)
    assert f"/certificates/verify/{certificate.code}" in text.replace("\n", "")
    assert "/es/certificates" not in text.replace("\n", "")
