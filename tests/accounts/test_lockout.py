"""A stranger cannot lock a person out by failing sign-ins on purpose.

Failed sign-ins are counted per client address (allauth's ``login_failed``), per client
address and account, and per account from anywhere (accounts/throttle.py). The stranger's
failures throttle the stranger; the person, from their own address, still signs in; and
when the account-wide limit is reached the page tells them how to sign in by email, which
works at once."""
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase"
STRANGER = {"REMOTE_ADDR": "198.51.100.66"}
VICTIM = {"REMOTE_ADDR": "203.0.113.10"}


def sign_in(client, email, password, **where):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **where)


def signed_in_as(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def test_a_stranger_failing_fifty_times_does_not_lock_the_owner_out():
    victim = UserFactory(email="victim@example.org")
    stranger = Client()
    refused = 0
    for _ in range(50):
        response = sign_in(stranger, "victim@example.org", "guess-again", **STRANGER)
        # Refused by the form (too many failures), or by the page itself after 30
        # requests a minute from one address (429).
        throttled = response.status_code == 429 or b"Too many failed sign-in attempts" in response.content
        assert response.status_code in (200, 429)
        refused += throttled
    assert refused == 45  # all but the first five
    owner = Client()
    response = sign_in(owner, "victim@example.org", PASSWORD, **VICTIM)
    assert response.status_code == 302
    assert signed_in_as(owner, victim)
    # The stranger stays throttled, even with the right password now.
    response = sign_in(stranger, "victim@example.org", PASSWORD, **STRANGER)
    assert response.status_code == 429 and b"Too many requests" in response.content
    assert not signed_in_as(stranger, victim)


def test_the_stranger_is_throttled_for_that_account_from_that_address(settings):
    """Five failures for one account from one address throttle that pair (5/5m), while the
    same address may still try another account (its own limit is 10 a minute)."""
    UserFactory(email="victim@example.org")
    other = UserFactory(email="other@example.org")
    stranger = Client()
    for _ in range(5):
        assert b"Too many" not in sign_in(stranger, "victim@example.org", "nope", **STRANGER).content
    assert b"Too many failed sign-in attempts" in sign_in(stranger, "VICTIM@example.org ", "nope", **STRANGER).content
    assert sign_in(stranger, other.email, PASSWORD, **STRANGER).status_code == 302


def test_slow_distributed_guessing_pauses_the_password_and_the_owner_signs_in_by_emailed_code(
    settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed_account": "20/h/key"}
    victim = UserFactory(email="victim@example.org")
    # Twenty addresses, each failing once: within every per-address limit.
    for n in range(20):
        response = sign_in(Client(), "victim@example.org", f"guess-{n}", REMOTE_ADDR=f"198.51.100.{n + 1}")
        assert b"Too many" not in response.content
    # The 21st guess, from a new address, is refused before the password is checked.
    response = sign_in(Client(), "victim@example.org", PASSWORD, REMOTE_ADDR="198.51.100.99")
    assert b"Too many failed sign-in attempts" in response.content
    # The owner too cannot use the password for now, and the page says plainly how to get in.
    owner = Client()
    response = sign_in(owner, "victim@example.org", PASSWORD, **VICTIM)
    assert not signed_in_as(owner, victim)
    page = response.content.decode()
    code_url = reverse("account_request_login_code")
    assert 'id="sign-in-by-email"' in page and f'href="{code_url}' in page
    assert reverse("account_reset_password") in page
    # ... and, without waiting, the emailed code signs them in.
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(code_url, {"email": "victim@example.org"}, **VICTIM)
    assert response.status_code == 302
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.M).group(1)
    response = owner.post(reverse("account_confirm_login_code"), {"code": code, "action": "verify"}, **VICTIM)
    assert response.status_code == 302
    assert signed_in_as(owner, victim)
    # Having proved they read the mail, their password works again everywhere at once.
    owner.post(reverse("account_logout"))
    assert sign_in(Client(), "victim@example.org", PASSWORD, **VICTIM).status_code == 302


def test_a_password_reset_lifts_the_pause(settings, django_capture_on_commit_callbacks):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed_account": "3/h/key"}
    UserFactory(email="victim@example.org")
    for n in range(3):
        sign_in(Client(), "victim@example.org", "guess", REMOTE_ADDR=f"198.51.100.{n + 1}")
    owner = Client()
    assert b"Too many failed" in sign_in(owner, "victim@example.org", PASSWORD, **VICTIM).content
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(reverse("account_reset_password"), {"email": "victim@example.org"}, **VICTIM)
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mail.outbox[-1].body).group(1)
    response = owner.get(link, follow=True, **VICTIM)
    form_url = response.redirect_chain[-1][0]
    response = owner.post(form_url, {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"}, **VICTIM)
    assert response.status_code == 302
    assert sign_in(Client(), "victim@example.org", "a-brand-new-passphrase", **VICTIM).status_code == 302


def test_successful_sign_ins_do_not_count_and_guesses_for_unknown_accounts_do():
    user = UserFactory(email="often@example.org")
    for _ in range(8):
        client = Client()
        assert sign_in(client, user.email, PASSWORD, **VICTIM).status_code == 302
    stranger = Client()
    for _ in range(5):
        assert b"Too many" not in sign_in(stranger, "nobody@example.org", "x", **STRANGER).content
    # Same words whether or not the account exists.
    assert b"Too many failed sign-in attempts" in sign_in(stranger, "nobody@example.org", "x", **STRANGER).content


def test_an_old_account_keyed_setting_is_refused():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.dev", "LOGIN_FAILED_RATE_LIMIT": "10/m/ip,5/5m/key"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=Path(__file__).resolve().parents[2], env=env,
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "LOGIN_FAILED_RATE_LIMIT" in result.stderr
