"""Public verification: what anyone with a code sees (and nothing more about the person),
forgiving lookup, no enumeration, a rate limit; codes; who may download a PDF."""
import json
import math
import random
import types
from collections import Counter

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from certification import codes, selectors, services
from certification.models import Certificate
from kernel.when import day_text
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOLDER_ID = 987_654_321  # distinctive, so any leak of the id shows in the page or the JSON
TOO_MANY = "Too many certificate checks from your connection. Please wait a minute and try again."
NOT_FOUND = "We found no certificate with that code. Please check it and try again."


@pytest.fixture
def holder(db):
    return UserFactory(
        id=HOLDER_ID, email="ada.private@example.org", first_name="Privatefirst", last_name="Privatelast",
        certificate_name="Ada Lovelace-Byron",
    )


def issue(user, programme, *, now=None) -> Certificate:
    certificate, created = services.certificate_issue(user=user, programme=programme, period=1, now=now or timezone.now())
    assert created
    return certificate


def verify_url(certificate_or_code):
    code = getattr(certificate_or_code, "code", certificate_or_code)
    return reverse("certification:verify", args=[code])


def json_url(certificate_or_code):
    code = getattr(certificate_or_code, "code", certificate_or_code)
    return reverse("credentials:verify_json", args=[code])


def assert_nothing_personal(text: str, user):
    for private in (user.email, "ada.private", str(HOLDER_ID), "Privatefirst", "Privatelast"):
        assert private not in text, private


# --- what the page and the JSON show ------------------------------------------------------------


@pytest.mark.parametrize("status", ["valid", "expired", "revoked"])
def test_verification_shows_the_certificate_and_nothing_else_about_the_person(client, holder, programme, status):
    staff = UserFactory()
    if status == "expired":
        certificate = issue(holder, programme, now=timezone.now() - relativedelta(months=25))
    else:
        certificate = issue(holder, programme)
    if status == "revoked":
        services.certificate_revoke(certificate_id=certificate.pk, by=staff, reason="conduct", note="Private note")
    certificate.refresh_from_db()
    assert certificate.status() == status

    response = client.get(verify_url(certificate))
    assert response.status_code == 200
    html = response.content.decode()
    assert escape("Ada Lovelace-Byron") in html and "Meeting Facilitator" in html and certificate.display_code in html
    for moment in (certificate.issued_at, certificate.expires_at):
        assert day_text(moment) in html  # in the reader's zone and language (kernel/when.py)
    headline = {"valid": "✓ Valid.", "expired": "Expired.", "revoked": "✗ Revoked."}[status]
    assert headline in html
    if status == "revoked":
        assert f"withdrawn on {day_text(certificate.revoked_at)}" in html
        assert "Private note" not in html and "Breach" not in html  # why is kept internal
    assert_nothing_personal(html, holder)
    assert 'name="robots" content="noindex"' in html

    response = client.get(json_url(certificate))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["code"] == certificate.display_code
    assert data["holder_name"] == "Ada Lovelace-Byron"
    assert data["programme"] == "Meeting Facilitator"
    assert data["issued_on"] == certificate.issued_at.date().isoformat()
    assert data["expires_on"] == certificate.expires_at.date().isoformat()
    assert data["status"] == status
    assert data["revoked_on"] == (certificate.revoked_at.date().isoformat() if status == "revoked" else None)
    assert not {"email", "holder", "holder_id", "user", "user_id", "username", "id"} & set(data)
    assert_nothing_personal(json.dumps(data), holder)
    assert "Private note" not in json.dumps(data)


# --- finding a certificate by its code -----------------------------------------------------------


def test_lookup_forgives_case_spaces_dashes_and_look_alike_letters(client, holder, programme):
    certificate = issue(holder, programme)
    Certificate.objects.filter(pk=certificate.pk).update(code="01ABCDEFGH1JKMNPQRS0")
    certificate.refresh_from_db()
    # Lower case, spaces and extra dashes, O for zero, I and L for one.
    typed = "  oi-ab cdef--gh lj kmnp  qrs O "
    assert codes.normalise(typed) == certificate.code
    response = client.get(reverse("certification:lookup"), {"code": typed})
    assert response.status_code == 302 and response["Location"] == verify_url(certificate)
    # A hand-typed address works too, and lands on the canonical one.
    response = client.get(verify_url(certificate.display_code.lower()))
    assert response.status_code == 302 and response["Location"] == verify_url(certificate)
    assert client.get(json_url("o1abcdefghljkmnpqrso")).json()["holder_name"] == "Ada Lovelace-Byron"


def test_unknown_or_malformed_codes_say_so_clearly(client, holder, programme):
    issue(holder, programme)
    unknown = codes.new_code()
    for typed in (unknown, codes.display(unknown).lower(), "HELLO", "X" * 40):
        response = client.get(reverse("certification:lookup"), {"code": typed})
        assert response.status_code == 404, typed
        assert NOT_FOUND in response.content.decode()
        assert escape(typed) in response.content.decode()  # kept in the box to correct it
    response = client.get(verify_url(unknown))
    assert response.status_code == 404 and NOT_FOUND in response.content.decode()
    response = client.get(json_url(unknown))
    assert response.status_code == 404 and response.json() == {"error": "No certificate has this code."}
    # The empty form is not an error.
    assert client.get(reverse("certification:lookup")).status_code == 200


def test_a_thousand_random_codes_find_nothing(client, holder, programme):
    real = issue(holder, programme)
    guesses = {codes.new_code() for _ in range(1000)}
    assert len(guesses) == 1000 and real.code not in guesses
    for guess in guesses:
        assert codes.normalise(guess) == guess  # well formed: only the holder's code is missing
        assert selectors.certificate_by_code(guess) is None
        assert selectors.verification_view(guess) is None  # what the pages and the JSON use
    assert not Certificate.objects.filter(code__in=guesses).exists()
    # Near misses too: one character wrong anywhere finds nothing (no fuzzy matching).
    for i in range(codes.LENGTH):
        for c in codes.ALPHABET:
            if c != real.code[i]:
                near = real.code[:i] + c + real.code[i + 1:]
                assert selectors.certificate_by_code(codes.normalise(near)) is None
    # Over HTTP, within the rate limit (30 a minute by default).
    for guess in random.sample(sorted(guesses), 12):
        assert client.get(json_url(guess)).status_code == 404
        response = client.get(reverse("certification:lookup"), {"code": codes.display(guess)})
        assert response.status_code == 404 and real.holder_name not in response.content.decode()


@pytest.fixture
def frozen_ratelimit_clock(monkeypatch):
    """Keep the rate limiter's minute from rolling over mid-test."""
    import django_ratelimit.core

    now = 1_800_000_000.0
    monkeypatch.setattr(django_ratelimit.core, "time", types.SimpleNamespace(time=lambda: now))


def test_too_many_checks_are_refused_with_a_clear_message(client, holder, programme, settings, frozen_ratelimit_clock):
    settings.CERTIFICATE_VERIFY_RATE = "5/m"
    certificate = issue(holder, programme)
    # Five lookups that miss, by every route: the certificate's first view (not cached
    # yet), unknown codes, the same unknown code again and a malformed one.
    unknown = codes.new_code()
    for url in (verify_url(certificate), json_url(unknown), verify_url(unknown), verify_url("HELLO")):
        assert client.get(url).status_code in (200, 404)
    assert client.get(reverse("certification:lookup"), {"code": codes.new_code()}).status_code == 404  # the 5th

    # Refused from then on, even for the certificate already cached.
    response = client.get(verify_url(certificate))
    assert response.status_code == 429
    assert escape(TOO_MANY) in response.content.decode()
    assert escape("Ada Lovelace-Byron") not in response.content.decode()
    response = client.get(json_url(certificate))
    assert response.status_code == 429 and response.json() == {"error": TOO_MANY}
    response = client.get(reverse("certification:lookup"), {"code": certificate.code})
    assert response.status_code == 429 and escape(TOO_MANY) in response.content.decode()
    assert client.get(json_url(codes.new_code())).status_code == 429
    # The limit is per connection: someone else can still check.
    assert client.get(verify_url(certificate), REMOTE_ADDR="203.0.113.9").status_code == 200


def test_checking_a_known_certificate_again_is_not_counted_but_guessing_is(
    client, holder, programme, settings, frozen_ratelimit_clock
):
    """A cached hit shows only the public facts of a code the visitor already has, so it
    does not use up the allowance (an employer may check many times); every miss does."""
    settings.CERTIFICATE_VERIFY_RATE = "3/m"
    certificate = issue(holder, programme)
    assert client.get(verify_url(certificate)).status_code == 200  # not cached yet: counted (1)
    for _ in range(10):
        assert client.get(verify_url(certificate)).status_code == 200
        assert client.get(json_url(certificate)).status_code == 200
        response = client.get(reverse("certification:lookup"), {"code": certificate.display_code.lower()})
        assert response.status_code == 302 and response["Location"] == verify_url(certificate)
    guess = codes.new_code()
    assert client.get(json_url(guess)).status_code == 404  # 2
    assert client.get(verify_url(guess)).status_code == 404  # 3: a known miss counts as well
    response = client.get(verify_url(codes.new_code()))
    assert response.status_code == 429 and NOT_FOUND not in response.content.decode()
    assert client.get(verify_url(certificate)).status_code == 429


def test_the_limit_reads_django_ratelimits_own_counter(rf, settings, frozen_ratelimit_clock):
    """The views read the counter django-ratelimit keeps (certification/throttle.py
    builds its key with the library's private helpers): the same count as its public
    get_usage, also when read together with a verification cache entry."""
    from django_ratelimit.core import get_usage

    from certification import throttle

    settings.CERTIFICATE_VERIFY_RATE = "4/m"
    request = rf.get("/", REMOTE_ADDR="198.51.100.7")
    other = rf.get("/", REMOTE_ADDR="198.51.100.8")
    for n in range(1, 6):
        assert throttle.count(request) is (n > 4)
        usage = get_usage(request, group=throttle.GROUP, key=throttle.KEY, rate=settings.CERTIFICATE_VERIFY_RATE)
        window = throttle.window(request)
        _, prefetched = selectors.cached_verification_with(codes.new_code(), [window.key])
        assert window.used() == window.used(prefetched) == usage["count"] == n
        assert window.exhausted(n) is (n >= 4)
    assert throttle.window(other).used() == 0
    settings.RATELIMIT_ENABLE = False
    assert throttle.window(request).key is None and not throttle.window(request).exhausted(99)


# --- codes --------------------------------------------------------------------------------------


def test_codes_are_long_random_and_unambiguous(holder, programme):
    assert len(set(codes.ALPHABET)) == len(codes.ALPHABET) == 32
    assert not set("ILOU") & set(codes.ALPHABET)
    assert codes.LENGTH == 20 and codes.LENGTH * math.log2(len(codes.ALPHABET)) >= 80
    certificate = issue(holder, programme)
    assert len(certificate.code) == 20 and set(certificate.code) <= set(codes.ALPHABET)
    assert codes.display(certificate.code).count("-") == 4

    sample = [codes.new_code() for _ in range(2000)]
    assert len(set(sample)) == 2000
    counts = Counter("".join(sample))
    expected = 2000 * 20 / 32  # 1250 per symbol; a fair source stays well inside ±20%
    assert set(counts) == set(codes.ALPHABET)
    assert all(0.8 * expected < n < 1.2 * expected for n in counts.values()), counts


# --- the PDF ------------------------------------------------------------------------------------


def test_only_the_holder_downloads_the_pdf_and_nobody_after_revocation(
    client, holder, programme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = issue(holder, programme)
    certificate.refresh_from_db()
    url = reverse("certification:pdf", args=[certificate.code])

    client.force_login(holder)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.logout()
    # Anonymous: sent to sign in, exactly as for a code that does not exist (reveals nothing).
    response = client.get(url)
    unknown = client.get(reverse("certification:pdf", args=[codes.new_code()]))
    assert response.status_code == unknown.status_code == 302
    assert "/login/" in response["Location"] and not response.content

    staff = UserFactory(is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(certificate_id=certificate.pk, by=staff, reason="error")
    for user in (holder, staff, UserFactory()):
        client.force_login(user)
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_cached_verification_page_follows_revocation_at_once(client, holder, programme, django_capture_on_commit_callbacks):
    """The page is served from the cache after the first view; revoking shows at once."""
    from certification import services as certification_services
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    certificate = issue(holder, programme)
    url = reverse("certification:verify", args=[certificate.code])
    assert "Valid." in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(url)
    assert "Valid." in again.content.decode() and len(ctx.captured_queries) == 0
    assert "csrftoken" not in again.cookies and "sessionid" not in again.cookies
    staff = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        certification_services.certificate_revoke(certificate_id=certificate.pk, by=staff, reason="error")
    assert "Revoked." in client.get(url).content.decode()
