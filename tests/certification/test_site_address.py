"""Certificates name the address the site is served on (BASE_URL), whatever address a
request came in on and whenever the stored PDF was made."""
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from certification import services
from certification.models import Certificate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIRST, MOVED = "http://127.0.0.1:8000", "http://127.0.0.1:8137"
URL = re.compile(r"https?://[^\s\"'<>]+")


def issue(user, programme, django_capture_on_commit_callbacks) -> Certificate:
    """Issued, rendered (and emailed) as the tasks after commit do."""
    with django_capture_on_commit_callbacks(execute=True):
        certificate, _ = services.certificate_issue(user=user, programme=programme, period=1, now=timezone.now())
    certificate.refresh_from_db()
    return certificate


def pdf_text(data: bytes) -> str:
    # The address may wrap across lines on the page: read it without the breaks.
    return "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_a_pdf_made_for_another_address_is_made_again_before_it_is_handed_out(
    client, settings, programme, django_capture_on_commit_callbacks
):
    """The demo served on 8000, then on 8137: the stored PDF printed (and QR-coded) the old
    address. The holder's download is made again for the new one, once."""
    holder = UserFactory()
    settings.WAGTAILADMIN_BASE_URL = FIRST
    certificate = issue(holder, programme, django_capture_on_commit_callbacks)
    with certificate.pdf.open("rb") as handle:
        assert f"{FIRST}/certificates/verify/{certificate.code}/" in pdf_text(handle.read())
    assert certificate.pdf_base_url == FIRST
    old_name, storage = certificate.pdf.name, certificate.pdf.storage

    settings.WAGTAILADMIN_BASE_URL = MOVED + "/"
    client.force_login(holder)
    url = reverse("certification:pdf", args=[certificate.code])
    response = client.get(url)
    assert response.status_code == 200
    text = pdf_text(b"".join(response.streaming_content))
    assert f"{MOVED}/certificates/verify/{certificate.code}/" in text
    assert {urlsplit(u).netloc for u in URL.findall(text)} == {"127.0.0.1:8137"} and "8000" not in text
    certificate.refresh_from_db()
    assert certificate.pdf_base_url == MOVED and certificate.pdf.name != old_name
    # The history is unchanged (the same certificate and revision, a new rendering).
    assert certificate.revision == certificate.pdf_revision == 1 and certificate.events.count() == 1

    # Current now: the next download serves the stored file, and the task finds nothing to do.
    rendered = certificate.pdf.name
    assert b"".join(client.get(url).streaming_content).startswith(b"%PDF")
    assert services.certificate_render(certificate_id=certificate.pk) is False
    certificate.refresh_from_db()
    assert certificate.pdf.name == rendered and storage.exists(rendered)


def test_the_render_task_makes_a_pdf_for_another_address_again(settings, programme, django_capture_on_commit_callbacks):
    settings.WAGTAILADMIN_BASE_URL = FIRST
    certificate = issue(UserFactory(), programme, django_capture_on_commit_callbacks)
    assert services.certificate_render(certificate_id=certificate.pk) is False
    settings.WAGTAILADMIN_BASE_URL = MOVED
    assert services.certificate_render(certificate_id=certificate.pk) is True
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as handle:
        assert f"{MOVED}/certificates/verify/" in pdf_text(handle.read())


def test_a_revoked_certificate_is_not_made_again(client, settings, programme, django_capture_on_commit_callbacks):
    holder = UserFactory()
    settings.WAGTAILADMIN_BASE_URL = FIRST
    certificate = issue(holder, programme, django_capture_on_commit_callbacks)
    services.certificate_revoke(certificate_id=certificate.pk, by=UserFactory(), reason="error")
    settings.WAGTAILADMIN_BASE_URL = MOVED
    client.force_login(holder)
    assert client.get(reverse("certification:pdf", args=[certificate.code])).status_code == 404
    certificate.refresh_from_db()
    assert not certificate.pdf and certificate.pdf_base_url == FIRST


def test_the_linkedin_link_names_the_site_address_not_the_request_host(
    client, settings, programme, django_capture_on_commit_callbacks
):
    holder = UserFactory()
    settings.WAGTAILADMIN_BASE_URL = MOVED
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    certificate = issue(holder, programme, django_capture_on_commit_callbacks)
    client.force_login(holder)
    page = client.get(reverse("certification:mine"), HTTP_HOST="localhost:8000").content.decode()
    linkedin = next(u for u in URL.findall(page.replace("&amp;", "&")) if "linkedin.com" in u)
    cert_url = parse_qs(urlsplit(linkedin).query)["certUrl"][0]
    assert cert_url == f"{MOVED}/certificates/verify/{certificate.code}/"
