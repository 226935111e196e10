"""Issuing slips: who may, what is stored (never the name), refusals that store nothing,
and two requests at once."""
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from attendance import keys, names, selectors, services
from attendance.errors import Refused
from attendance.models import MeetingCode, Slip, SlipCount
from tests.concurrency import run_together
from tests.factories import UserFactory

from .conftest import certificate_for, meeting_for

NAME = "Zyxwvut Ñandú-Qorvath"


def assert_name_nowhere(name):
    """No column of any attendance row holds the name or its normalised form."""
    needles = {name, names.normalise(name), name.lower()}
    for model in (Slip, SlipCount, MeetingCode):
        for row in model.objects.values():
            for value in row.values():
                assert not any(n in str(value) for n in needles), (model, value)


def today(meeting):
    return selectors.latest_occurrence(meeting).date


def test_facilitator_issues_a_list_and_only_hashes_are_kept(facilitator, meeting):
    issued = services.slips_issue_by_facilitator(user=facilitator, meeting_id=meeting.pk, meeting_date=today(meeting),
                                                 lines=[NAME, "  Анна   Петрова "])
    assert [i.name for i in issued] == [NAME, "Анна Петрова"]
    slip = Slip.objects.get(pk=issued[0].slip.pk)
    assert slip.via == "facilitator" and slip.key_id == keys.current_key().id
    assert keys.matches(key_id=slip.key_id, stored_hash=slip.name_hash, normalised_name=names.normalise("zyxwvut nandu-qorvath"),
                        slip_code=slip.code)
    assert slip.expires_on > slip.meeting_date and slip.facilitator_display_name == "Sam R."
    assert SlipCount.objects.get().slips == 2
    assert_name_nowhere(NAME)


def test_a_bad_line_refuses_the_whole_list(facilitator, meeting):
    with pytest.raises(Refused) as refused:
        services.slips_issue_by_facilitator(user=facilitator, meeting_id=meeting.pk, meeting_date=today(meeting),
                                            lines=["Ann", "", "x" * 121])
    assert "Line 2" in refused.value.message and "Line 3" in refused.value.message
    assert not Slip.objects.exists() and not SlipCount.objects.exists()


@pytest.mark.parametrize("lapse", ["expired", "revoked", "none"])
def test_a_lapsed_facilitator_cannot_issue_and_is_told_why(db, lapse):
    user = UserFactory()
    if lapse != "none":
        certificate_for(user, expires_in_days=-3 if lapse == "expired" else 300, revoked=lapse == "revoked")
    meeting = meeting_for(user)
    standing = selectors.facilitator_standing(user=user)
    assert not standing.may_issue
    assert {"expired": "expired on", "revoked": "withdrawn", "none": "current facilitator certificate"}[lapse] in standing.reason
    with pytest.raises(Refused):
        services.slips_issue_by_facilitator(user=user, meeting_id=meeting.pk, meeting_date=today(meeting), lines=["Ann"])
    assert not Slip.objects.exists()


def test_another_facilitators_meeting_is_refused(facilitator, meeting):
    other = UserFactory()
    certificate_for(other)
    with pytest.raises(Refused):
        services.slips_issue_by_facilitator(user=other, meeting_id=meeting.pk, meeting_date=today(meeting), lines=["Ann"])
    assert not Slip.objects.exists()


def test_a_date_the_meeting_did_not_take_place_is_refused(facilitator, meeting):
    with pytest.raises(Refused):
        services.slips_issue_by_facilitator(user=facilitator, meeting_id=meeting.pk,
                                            meeting_date=today(meeting) - timezone.timedelta(days=1), lines=["Ann"])


def test_participant_request_counts_and_stores_no_name(facilitator, meeting):
    code = services.meeting_code_open(user=facilitator, meeting=meeting)
    issued = services.slip_request(typed_code=code.code.lower(), name=NAME)
    assert issued.slip.via == "request"
    code.refresh_from_db()
    assert code.requests_made == 1
    assert_name_nowhere(NAME)


def test_requests_refused_when_expired_switched_off_or_lapsed(facilitator, meeting):
    code = services.meeting_code_open(user=facilitator, meeting=meeting)
    with pytest.raises(Refused):
        services.slip_request(typed_code="ZZZZZZ", name="Ann")
    with pytest.raises(Refused):
        services.slip_request(typed_code=code.code, name="Ann", now=code.valid_until + timezone.timedelta(seconds=1))
    services.meeting_requests_switch(user=facilitator, meeting_id=meeting.pk, open_=False)
    with pytest.raises(Refused):
        services.slip_request(typed_code=code.code, name="Ann")
    services.meeting_requests_switch(user=facilitator, meeting_id=meeting.pk, open_=True)
    facilitator.certificates.update(revoked_at=timezone.now(), revocation_reason="conduct")
    with pytest.raises(Refused):
        services.slip_request(typed_code=code.code, name="Ann")
    assert not Slip.objects.exists()
    code.refresh_from_db()
    assert code.requests_made == 0


def test_void_only_own_slips(facilitator, meeting):
    slip = services.slips_issue_by_facilitator(user=facilitator, meeting_id=meeting.pk, meeting_date=today(meeting),
                                               lines=["Ann"])[0].slip
    other = UserFactory()
    assert not services.slip_void(user=other, typed_code=slip.code)
    assert services.slip_void(user=facilitator, typed_code=slip.code.lower())
    assert not services.slip_void(user=facilitator, typed_code=slip.code)  # already void
    assert Slip.objects.get().voided_at is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_requests_at_once_both_succeed_with_distinct_codes(facilitator, meeting):
    assert connection.vendor == "postgresql"
    code = services.meeting_code_open(user=facilitator, meeting=meeting)
    results, errors = run_together(4, lambda i: services.slip_request(typed_code=code.code, name=f"Person {i}").slip.code)
    assert not errors and len(set(results)) == 4
    code.refresh_from_db()
    assert code.requests_made == 4 and SlipCount.objects.get().slips == 4


# --- the pages -------------------------------------------------------------------------

def test_participant_page_downloads_a_pdf(client, facilitator, meeting):
    code = services.meeting_code_open(user=facilitator, meeting=meeting)
    response = client.post(reverse("attendance:request"), {"code": code.code, "name": "王小明"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "no-store" in response["Cache-Control"]
    assert "王小明" not in response["Content-Disposition"]
    assert Slip.objects.count() == 1


def test_participant_page_refuses_clearly_and_stores_nothing(client, facilitator, meeting):
    response = client.post(reverse("attendance:request"), {"code": "AAAAAA", "name": NAME})
    assert response.status_code == 400 and "does not work" in response.content.decode()
    response = client.post(reverse("attendance:request"), {"code": "", "name": ""})
    assert response.status_code == 400
    assert not Slip.objects.exists()


def test_participant_requests_are_rate_limited_without_the_name(client, settings, facilitator, meeting):
    settings.ATTENDANCE_REQUEST_RATE = "2/m"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"}}
    for _ in range(2):
        client.post(reverse("attendance:request"), {"code": "AAAAAA", "name": NAME})
    response = client.post(reverse("attendance:request"), {"code": "AAAAAA", "name": NAME})
    assert response.status_code == 429
    from django.core.cache import cache
    for key in cache._cache.keys():
        assert names.normalise(NAME) not in key.lower() and "Zyxwvut" not in key


def test_facilitator_issue_page_downloads_one_pdf_for_a_list(client, facilitator, meeting):
    client.force_login(facilitator)
    response = client.post(reverse("attendance:issue", args=[meeting.pk]),
                           {"meeting_date": today(meeting).isoformat(), "names": "Ann\nمحمد علي\n"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert Slip.objects.count() == 2


def test_forged_post_for_another_facilitators_meeting_is_404(client, facilitator, meeting):
    other = UserFactory()
    certificate_for(other)
    client.force_login(other)
    for name in ("issue", "code", "meeting_edit", "meeting_deactivate", "requests"):
        response = client.post(reverse(f"attendance:{name}", args=[meeting.pk]),
                               {"meeting_date": today(meeting).isoformat(), "names": "Ann", "open": "0"})
        assert response.status_code == 404, name
    meeting.refresh_from_db()
    assert meeting.active and meeting.requests_open and not Slip.objects.exists() and not MeetingCode.objects.exists()


def test_lapsed_facilitator_sees_why_on_the_pages(client, db):
    user = UserFactory()
    certificate_for(user, expires_in_days=-2)
    client.force_login(user)
    page = client.get(reverse("attendance:meetings")).content.decode()
    assert "renew it to issue slips again" in page
    response = client.post(reverse("attendance:meeting_new"), {"kind": "four_point", "mode": "online", "weekday": 0,
                                                               "starts_at": "18:00", "ends_at": "19:30", "time_zone": "UTC",
                                                               "facilitator_display_name": "Sam"})
    assert response.status_code == 200 and not user.meetings.exists()


def test_register_a_meeting(client, facilitator):
    client.force_login(facilitator)
    response = client.post(reverse("attendance:meeting_new"), {
        "kind": "four_point", "mode": "in_person", "weekday": 2, "starts_at": "18:00", "ends_at": "19:30",
        "time_zone": "Europe/Madrid", "town": "", "country": "ES", "facilitator_display_name": "Sam R."})
    assert response.status_code == 200 and "in-person" in response.content.decode()
    response = client.post(reverse("attendance:meeting_new"), {
        "kind": "four_point", "mode": "in_person", "weekday": 2, "starts_at": "18:00", "ends_at": "19:30",
        "time_zone": "Europe/Madrid", "town": "Sevilla", "country": "ES", "facilitator_display_name": "Sam R.",
        "requests_open": "on"})
    assert response.status_code == 302 and facilitator.meetings.get().town == "Sevilla"


def test_code_page_shows_a_number_only(client, facilitator, meeting):
    client.force_login(facilitator)
    assert client.post(reverse("attendance:code", args=[meeting.pk])).status_code == 302
    code = MeetingCode.objects.get()
    services.slip_request(typed_code=code.code, name=NAME)
    page = client.get(reverse("attendance:code", args=[meeting.pk])).content.decode()
    assert code.code in page and "1 slip requested" in page and "Zyxwvut" not in page


def test_slip_pdf_in_the_participants_language_with_any_script(client, facilitator, meeting):
    import io

    from pypdf import PdfReader

    code = services.meeting_code_open(user=facilitator, meeting=meeting)
    response = client.post("/es/attendance/", {"code": code.code, "name": "Анна Петрова"})
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(reader.pages[0].extract_text().split())
    assert len(reader.pages) == 1
    assert "Justificante de asistencia" in text and "Анна Петрова" in text and "Reunión de 4 Puntos" in text
    assert meeting.time_zone in text and codes_display(Slip.objects.get().code) in text


def codes_display(code):
    from attendance import codes

    return codes.display(code)
