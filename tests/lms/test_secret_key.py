"""Production refuses to start with a SECRET_KEY that is short or easy to guess
(Django's ``check --deploy`` only warns about it)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key

from lms.secret_keys import KNOWN_KEYS, secret_key_problem

ROOT = Path(__file__).resolve().parents[2]
CREDENTIAL_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="  # bytes 0..31, base64


def _check(secret_key: str):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "lms.settings.production", "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "training.example.org", "CREDENTIAL_SIGNING_KEY": CREDENTIAL_KEY,
        "ATTENDANCE_KEYS": "k1:attendance-test-production-like-secret-0123456789abcdef",
        "REDIS_URL": "redis://127.0.0.1:6379/13",
    })
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("key, reason", [
    ("s" * 60, "different characters"),
    ("abcdefghij" * 6, "repeats"),
    ("django-insecure-" + get_random_secret_key(), "django-insecure-"),
    ("dev-only-insecure-key-do-not-use-in-production", "development or test key"),
    ("k3" + get_random_secret_key()[:20], "fewer than 50 characters"),
])
def test_production_refuses_to_start_with_a_weak_secret_key(key, reason):
    result = _check(key)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and reason in result.stderr, result.stderr
    # The key itself is never printed.
    assert key not in result.stderr + result.stdout


def test_production_starts_with_a_generated_key():
    result = _check(get_random_secret_key())
    assert result.returncode == 0, result.stderr


def test_a_key_starting_with_a_dollar_sign_is_read_as_written():
    """Django's generator may start a key with "$", which django-environ would read as the
    name of another variable (an empty one here): the key must be taken as it is."""
    result = _check("$" + get_random_secret_key())
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("key", [
    "",
    "x" * 49,
    "a1" * 40,  # two characters, repeated
    "abcdefghij" * 6,  # ten different characters, but one block repeated
    "0123456789abcdef" * 4,
    "django-insecure-" + "k" * 10 + get_random_secret_key(),
    "ab" * 5 + "c" * 50,  # long, but about 60 bits by its own letter frequencies
    *KNOWN_KEYS,
])
def test_weak_keys_are_named(key):
    assert secret_key_problem(key)


def test_known_keys_include_the_ones_in_this_repository():
    from lms.settings import test as test_settings

    assert test_settings.SECRET_KEY in KNOWN_KEYS
    assert "dev-only-insecure-key-do-not-use-in-production" in KNOWN_KEYS


@pytest.mark.parametrize("make", [
    get_random_secret_key,
    lambda: __import__("secrets").token_urlsafe(64),
    lambda: __import__("secrets").token_hex(32),
    lambda: __import__("secrets").token_hex(25),
])
def test_random_keys_pass(make):
    for _ in range(200):
        key = make()
        assert secret_key_problem(key) is None, key
