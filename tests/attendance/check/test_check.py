"""The public slip check: a match tells the meeting's facts; anything else says the same
"no slip matches", after the same work, and counts against the client's allowance."""
import json
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from attendance import keys, selectors
from certification.codes import display

from .slips import make_slip

PAGE = "/attendance/check/"
JSON = "/attendance/check.json"
NAME = "José María Núñez"


@pytest.fixture
def day():
    return timezone.localdate() - timedelta(days=3)


@pytest.fixture
def slip(meeting, certificate, day):
    return make_slip(meeting=meeting, certificate=certificate, name=NAME, day=day)


def ask(client, code, name):
    return client.post(JSON, data=json.dumps({"code": code, "name": name}), content_type="application/json")


def test_the_addresses():
    assert reverse("attendance_check:check") == PAGE
    assert reverse("attendance_machine:check_json") == JSON


@pytest.mark.parametrize("typed", [NAME, "  jose   MARIA nunez ", "JOSÉ MARÍA NÚÑEZ"])
def test_the_name_as_printed_or_typed_naturally_matches(client, slip, day, typed):
    response = ask(client, display(slip.code).lower(), typed)
    assert response.status_code == 200
    body = response.json()
    assert body["match"] is True and body["voided"] is False and body["facilitator_certificate_current"] is True
    assert body["meeting_kind"] == "four_point" and body["date"] == day.isoformat()
    assert body["time_zone"] == "America/Mexico_City"
    assert body["starts_at"].startswith(f"{day.isoformat()}T19:00:00-06:00")
    assert body["ends_at"].startswith(f"{day.isoformat()}T20:30:00-06:00")


def test_the_page_shows_the_meeting_in_its_own_zone_and_is_not_stored(client, slip):
    response = client.post(PAGE, {"code": slip.code, "name": NAME})
    assert response.status_code == 200
    page = response.content.decode()
    assert "This slip matches" in page and "4-Point meeting" in page
    assert "19:00" in page and "20:30" in page and "America/Mexico_City" in page
    assert NAME not in page  # never echoed back
    assert "no-store" in response["Cache-Control"]


def test_the_page_in_spanish(client, slip):
    response = client.post("/es" + PAGE, {"code": slip.code, "name": NAME})
    page = response.content.decode()
    assert "justificante" in page.lower() and "reunión" in page.lower()


def test_a_voided_slip_says_so(client, meeting, certificate, day):
    slip = make_slip(meeting=meeting, certificate=certificate, name=NAME, day=day, voided=True)
    assert ask(client, slip.code, NAME).json()["voided"] is True
    assert "Voided" in client.post(PAGE, {"code": slip.code, "name": NAME}).content.decode()


@pytest.mark.parametrize("change, current", [
    ({}, True),
    ({"revoked_on": 0}, False),  # revoked on the meeting's day
    ({"revoked_on": -5}, False),
    ({"revoked_on": 1}, True),  # revoked after: it was current that day
    ({"issued_on": 1}, False),
    ({"expires_on": 0}, False),
    ({"expires_on": 1}, True),
])
def test_whether_the_certificate_was_current_on_the_meeting_day(client, meeting, certificate, day, change, current):
    noon = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()).replace(hour=12), meeting_zone())
    fields = {}
    if "revoked_on" in change:
        fields.update(revoked_at=noon + timedelta(days=change["revoked_on"]), revocation_reason="error")
    if "issued_on" in change:
        fields["issued_at"] = noon + timedelta(days=change["issued_on"])
    if "expires_on" in change:
        fields["expires_at"] = noon + timedelta(days=change["expires_on"])
    type(certificate).objects.filter(pk=certificate.pk).update(**fields)
    slip = make_slip(meeting=meeting, certificate=certificate, name=NAME, day=day)
    assert ask(client, slip.code, NAME).json()["facilitator_certificate_current"] is current


def meeting_zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo("America/Mexico_City")


def misses(slip):
    return {
        "unknown code": ("ABCDEFGHJK" + slip.code[10:][::-1], NAME),
        "wrong name": (slip.code, "José María Núñe"),
        "right name, guessed code": (slip.code[:-1] + ("0" if slip.code[-1] != "0" else "1"), NAME),
        "empty name": (slip.code, "   "),
        "overlong name": (slip.code, "a" * 5000),
        "not a code": ("hello", NAME),
    }


def test_every_miss_answers_exactly_the_same(client, slip):
    answers = {why: ask(client, code, name) for why, (code, name) in misses(slip).items()}
    assert {r.status_code for r in answers.values()} == {404}
    assert len({r.content for r in answers.values()}) == 1
    assert answers["wrong name"].json() == {"match": False, "error": answers["wrong name"].json()["error"]}
    pages = [client.post(PAGE, {"code": "ABCDEFGHJKMNPQRS", "name": NAME}), client.post(PAGE, {"code": slip.code, "name": "x"})]
    assert {p.status_code for p in pages} == {200}
    assert all("No slip matches" in p.content.decode() for p in pages)


def test_an_expired_slip_matches_nothing(client, meeting, certificate):
    slip = make_slip(meeting=meeting, certificate=certificate, name=NAME, day=timezone.localdate() - timedelta(days=40))
    type(slip).objects.filter(pk=slip.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    assert ask(client, slip.code, NAME).status_code == 404


def test_a_miss_does_the_same_work_as_a_hit(slip, monkeypatch, django_assert_num_queries):
    """One query and one HMAC whether the code exists, the name is wrong or it matches."""
    digests = []
    real = keys.name_hash
    monkeypatch.setattr(keys, "name_hash", lambda *a: digests.append(1) or real(*a))
    today = timezone.localdate()
    for code, name, found in [(slip.code, NAME, True), (slip.code, "someone else", False), ("ABCDEFGHJKMNPQRS", NAME, False)]:
        digests.clear()
        with django_assert_num_queries(1):
            assert (selectors.slip_check(code=code, name=name, today=today) is not None) is found
        assert len(digests) == 1


def test_a_rotated_key_still_checks_its_slips(client, meeting, certificate, day, settings):
    settings.ATTENDANCE_KEYS = "k1:first-secret"
    slip = make_slip(meeting=meeting, certificate=certificate, name=NAME, day=day)
    settings.ATTENDANCE_KEYS = "k2:second-secret,k1:first-secret"
    assert ask(client, slip.code, NAME).json()["match"] is True
    assert keys.current_key().id == "k2"
    settings.ATTENDANCE_KEYS = "k2:second-secret"  # k1 retired: its slips match nothing
    assert ask(client, slip.code, NAME).status_code == 404


def test_misses_are_rate_limited_and_the_limiter_never_holds_what_was_typed(client, slip, settings):
    settings.ATTENDANCE_CHECK_RATE = "3/m"
    for _ in range(3):
        assert ask(client, slip.code, "Guessing Name").status_code == 404
    assert ask(client, slip.code, NAME).status_code == 429  # refused before any lookup
    assert client.post(PAGE, {"code": slip.code, "name": NAME}).status_code == 429
    stored = repr(cache._cache) + repr(list(cache._cache.keys()))
    for secret in ("Guessing", "guessing", NAME, slip.code):
        assert secret not in stored


def test_hits_are_not_counted(client, slip, settings):
    settings.ATTENDANCE_CHECK_RATE = "2/m"
    for _ in range(5):
        assert ask(client, slip.code, NAME).status_code == 200


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"code": 1, "name": "x"}', b"{" + b" " * 20000 + b"}"])
def test_a_malformed_question_is_refused_plainly(client, body):
    response = client.post(JSON, data=body, content_type="application/json")
    assert response.status_code == 400 and "code" in response.json()["error"]


def test_the_form_takes_the_code_from_the_slip_qr_code_but_never_the_name(client, db):
    page = client.get(PAGE + "?code=ABCD-EFGH&name=Someone").content.decode()
    assert 'value="ABCD-EFGH"' in page
    assert "Someone" not in re.search(r'<input id="slip-name"[^>]*>', page).group(0)
