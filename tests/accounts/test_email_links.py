"""allauth's emails link to the address the site is served on (BASE_URL), never to the
host a request came in on: another port of the demo, or a Host header a visitor chose."""
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8137"
URL = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture
def served_elsewhere(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]


def links(message) -> list[str]:
    texts = [message.body] + [html for html, _ in getattr(message, "alternatives", [])]
    return [u for text in texts for u in URL.findall(text)]


def assert_on_base(message, path_part: str):
    found = links(message)
    assert any(path_part in u for u in found), found
    assert {urlsplit(u).netloc for u in found} == {"127.0.0.1:8137"}, found
    assert "localhost" not in message.body and "8000" not in message.body


@pytest.mark.usefixtures("served_elsewhere")
def test_signup_confirmation_link(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), {
            "certificate_name": "Noor Newcomer", "email": "noor@example.org",
            "password1": "a-long-test-passphrase", "password2": "a-long-test-passphrase",
        }, HTTP_HOST="localhost:8000")
    assert response.status_code == 302
    (message,) = [m for m in mailoutbox if m.to == ["noor@example.org"]]
    assert_on_base(message, "/accounts/confirm-email/")
    # The link works.
    confirm = next(u for u in links(message) if "/confirm-email/" in u)
    assert client.get(urlsplit(confirm).path).status_code == 200


@pytest.mark.usefixtures("served_elsewhere")
def test_password_reset_links_for_known_and_unknown_addresses(client, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory(email="alex@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "alex@example.org"}, HTTP_HOST="localhost:8000")
        client.post(reverse("account_reset_password"), {"email": "nobody@example.org"}, HTTP_HOST="localhost:8000")
    (known,) = [m for m in mailoutbox if m.to == ["alex@example.org"]]
    assert_on_base(known, "/accounts/password/reset/key/")
    (unknown,) = [m for m in mailoutbox if m.to == ["nobody@example.org"]]
    assert_on_base(unknown, "/accounts/signup/")  # "no account here: sign up"


@pytest.mark.usefixtures("served_elsewhere")
def test_signing_up_again_with_a_known_address(client, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory(email="alex@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), {
            "certificate_name": "Alex", "email": "alex@example.org",
            "password1": "a-long-test-passphrase", "password2": "a-long-test-passphrase",
        }, HTTP_HOST="localhost:8000")
    (message,) = [m for m in mailoutbox if m.to == ["alex@example.org"]]
    assert_on_base(message, "/accounts/password/reset/")
