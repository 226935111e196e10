"""The learner's professional licence form: clear errors that change nothing, the signal
inside the saving transaction, only ever the signed-in learner's own licence."""
import pytest
from django.urls import reverse

from continuing_education.events import licence_saved
from continuing_education.models import ProfessionalLicence
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/continuing-education/licence/"
GOOD = {
    "profession": "nurse", "profession_other": "", "issuing_board": "Ohio Board of Nursing",
    "region": "Ohio", "licence_number": "RN-12345",
}


@pytest.fixture
def heard():
    calls = []

    def listener(sender, user_id, **kwargs):
        from django.db import connection

        calls.append((user_id, connection.in_atomic_block))

    licence_saved.connect(listener, dispatch_uid="test-licence-heard")
    yield calls
    licence_saved.disconnect(dispatch_uid="test-licence-heard")


def test_the_address_and_the_profile_link():
    assert reverse("continuing_education:licence") == URL


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert client.post(URL, GOOD).status_code == 302 and not ProfessionalLicence.objects.exists()


def test_the_profile_page_links_to_the_licence_and_transcript(client):
    client.force_login(UserFactory())
    html = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{URL}"' in html and 'href="/continuing-education/transcript/"' in html


def test_saving_records_the_licence_and_tells_ce_inside_the_transaction(client, heard):
    user = UserFactory()
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert "never your licence number" in page
    response = client.post(URL, {**GOOD, "licence_number": "  RN-12345 "}, follow=True)
    assert "Your licence details are saved" in response.content.decode()
    licence = ProfessionalLicence.objects.get(user=user)
    assert (licence.profession, licence.issuing_board, licence.region, licence.licence_number) == (
        "nurse", "Ohio Board of Nursing", "Ohio", "RN-12345"
    )
    assert heard == [(user.pk, True)]
    # A change keeps one licence per user and tells CE again.
    client.post(URL, {**GOOD, "profession": "other", "profession_other": "Recovery coach", "licence_number": "RC-9"})
    licence = ProfessionalLicence.objects.get(user=user)
    assert licence.display_profession == "Recovery coach" and licence.licence_number == "RC-9"
    assert len(heard) == 2 and ProfessionalLicence.objects.count() == 1
    # Back to a listed profession: the "other" wording goes.
    client.post(URL, GOOD)
    assert ProfessionalLicence.objects.get(user=user).profession_other == ""


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"profession": ""}, "profession", "This field is required."),
        ({"profession": "astronaut"}, "profession", "Select a valid choice."),
        ({"profession": "other"}, "profession_other", "since you chose “Other”"),
        ({"licence_number": "   "}, "licence_number", "This field is required."),
        ({"issuing_board": ""}, "issuing_board", "This field is required."),
        ({"region": "Ohio\u202e"}, "region", ""),  # a hidden direction mark cannot be printed
        ({"licence_number": "x" * 61}, "licence_number", "at most 60 characters"),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(client, heard, change, field, message):
    user = UserFactory()
    client.force_login(user)
    client.post(URL, GOOD)
    heard.clear()
    response = client.post(URL, {**GOOD, **change})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and f'id="id_{field}_errors"' in html and message in html
    assert ProfessionalLicence.objects.get(user=user).licence_number == "RN-12345"
    assert heard == []


def test_a_learner_only_ever_sees_and_changes_their_own_licence(client):
    other = UserFactory()
    client.force_login(other)
    client.post(URL, {**GOOD, "licence_number": "THEIRS-777"})
    me = UserFactory()
    client.force_login(me)
    page = client.get(URL).content.decode()
    assert "THEIRS-777" not in page
    client.post(URL, {**GOOD, "licence_number": "MINE-1", "user": other.pk, "id": ProfessionalLicence.objects.get().pk})
    assert ProfessionalLicence.objects.get(user=other).licence_number == "THEIRS-777"
    assert ProfessionalLicence.objects.get(user=me).licence_number == "MINE-1"


def test_after_saving_the_learner_goes_back_where_they_came_from_on_this_site_only(client):
    client.force_login(UserFactory())
    back = client.post(URL, {**GOOD, "next": "/courses/"})
    assert back["Location"] == "/courses/"
    away = client.post(URL, {**GOOD, "next": "https://evil.example/"})
    assert away["Location"] == URL
