"""Printed names refuse invisible direction overrides and other format or control
characters (kernel/names.py), at every way in: sign-up, the account page, the service, admin
forms (model field validators), organisations, and invitation lists and CSV files (each
bad line with its reason). Nothing is saved on refusal."""
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from django.urls import reverse

from accounts import services as account_services
from accounts.models import User
from certification.models import Certificate, Programme
from kernel.names import name_problem, refused_characters, validate_printable_name
from organisations import selectors as organisation_selectors
from organisations import services as organisation_services
from organisations.models import Invitation, Organisation
from tests.factories import UserFactory

SPOOFED = {
    "right-to-left override": "Ann\u202egnik",
    "left-to-right embedding": "Ann\u202aMarie",
    "pop directional formatting": "Ann\u202cMarie",
    "isolates": "Sam \u2067Jones\u2069",
    "first strong isolate": "Sam \u2068Jones",
    "right-to-left mark": "Ana\u200fSilva",
    "left-to-right mark": "Ana\u200eSilva",
    "arabic letter mark": "Ana\u061cSilva",
    "zero width space": "Bo\u200bb",
    "word joiner": "Bo\u2060b",
    "invisible times": "Bo\u2062b",
    "byte order mark": "\ufeffBob",
    "soft hyphen": "Zo\u00ade",
    "tag character": "Bob\U000e0041",
    "bell": "Bob\x07",
    "escape": "Bob\x1b[31m",
    "delete": "Bob\x7f",
    "C1 control": "Bob\x85x",
    "line separator": "Bob\u2028Smith",
    "private use": "Bob\ue000",
}
ALLOWED = [
    "Zoë Ólafsdóttir",
    "O'Brien-Nakamura",
    "\u0645\u062d\u0645\u062f\u200c\u0631\u0636\u0627 \u0627\u062d\u0645\u062f\u06cc",  # Persian, with ZWNJ
    "\u0d15\u0d4d\u200d \u0d2e\u0d3e\u0d24\u0d4d\u0d2f\u0d41",  # Malayalam, with ZWJ
    "\u05d3\u05d5\u05d3 \u05db\u05d4\u05df",  # Hebrew: right-to-left letters need no control character
    "\u674e\u5c0f\u9f8d",
    "Ng\u0169y\u1ec5n Th\u1ecb",
]


@pytest.mark.parametrize("kind", SPOOFED)
def test_format_and_control_characters_are_refused_and_named(kind):
    value = SPOOFED[kind]
    with pytest.raises(ValidationError) as caught:
        validate_printable_name(value)
    message = caught.value.messages[0]
    assert "invisible" in message
    assert f"U+{ord(refused_characters(value)[0]):04X}" in message


@pytest.mark.parametrize("value", ALLOWED)
def test_names_in_any_script_are_accepted(value):
    assert name_problem(value) is None
    validate_printable_name(value)


def test_every_format_character_but_the_joiners_is_refused():
    import sys
    import unicodedata

    format_characters = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    refused = [c for c in format_characters if name_problem(f"a{c}b")]
    assert set(format_characters) - set(refused) == {"\u200c", "\u200d"}
    for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), *range(0x200B, 0x2010) , *range(0x2060, 0x2065), 0xFEFF]:
        if chr(code) not in "\u200c\u200d":
            assert name_problem(chr(code)), hex(code)


# --- where names come in --------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_up_refuses_a_spoofed_name_and_creates_nobody(client):
    response = client.post(reverse("account_signup"), {
        "certificate_name": SPOOFED["right-to-left override"], "email": "new@example.org",
        "password1": "a-long-test-passphrase", "password2": "a-long-test-passphrase",
    })
    assert response.status_code == 200
    assert "U+202E" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_account_page_and_the_service_refuse_and_keep_the_old_name(client):
    user = UserFactory(certificate_name="Ann Smith")
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"certificate_name": "Ann \u2066Smith"})
    assert response.status_code == 200 and "U+2066" in response.content.decode()
    with pytest.raises(ValidationError):
        account_services.user_set_certificate_name(user=user, name="Ann\u202eSmith")
    user.refresh_from_db()
    assert user.certificate_name == "Ann Smith"
    account_services.user_set_certificate_name(user=user, name=ALLOWED[2])
    user.refresh_from_db()
    assert user.certificate_name == ALLOWED[2]


@pytest.mark.django_db
@pytest.mark.parametrize("model, field", [
    (User, "certificate_name"),
    (Organisation, "name"),
    (Invitation, "name"),
    (Programme, "signatory_name"),
    (Programme, "signatory_title"),
    (Certificate, "holder_name"),
])
def test_admin_forms_refuse_through_the_model_field(model, field):
    """Every admin form (Django's and Wagtail's) is a ModelForm: it runs the field's validators."""
    form = modelform_factory(model, fields=[field])(data={field: SPOOFED["isolates"]})
    assert not form.is_valid()
    assert "U+2067" in form.errors[field][0]
    form = modelform_factory(model, fields=[field])(data={field: "Dr Amara Osei"})
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_creating_an_organisation_refuses_a_spoofed_name(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("organisations:create"), {
        "name": "Harbour\u202e Outreach", "kind": "community", "country": "IE", "billing_email": "money@harbour.example",
    })
    assert response.status_code == 200
    page = response.content.decode()
    assert "U+202E" in page and 'href="#id_name"' in page
    with pytest.raises(organisation_services.OrganisationError) as caught:
        organisation_services.organisation_create(
            user=user, name="Harbour\u200b Outreach", kind="community", country="IE", billing_email="m@h.example"
        )
    assert caught.value.field == "name"
    assert not Organisation.objects.exists()


@pytest.fixture
def org_and_course(db, catalogue, settings):
    """An organisation with places on a course (tests/organisations/support.py)."""
    from tests.organisations.support import build_world

    world = build_world(settings)
    return world.owner, world.org, world.course


def test_a_pasted_list_reports_each_spoofed_name_with_its_line(org_and_course):
    owner, org, course = org_and_course
    text = "\n".join([
        "Ana Silva <ana@example.org>",
        "Ben \u202eOkafor <ben@example.org>",
        "cara@example.org, Cara\u2066 Jones",
        "\u0645\u062d\u0645\u062f\u200c\u0631\u0636\u0627 <mr@example.org>",
    ])
    preview = organisation_selectors.invitation_preview(organisation=org, course=course, text=text)
    assert [(row.line, row.email) for row in preview.good] == [(1, "ana@example.org"), (4, "mr@example.org")]
    problems = {row.line: row.problem for row in preview.bad}
    assert set(problems) == {2, 3}
    assert "U+202E" in problems[2] and "U+2066" in problems[3]
    # The service checks again: a bad row slipped into the good ones is not invited.
    forged = organisation_selectors.Row(line=2, email="ben@example.org", name="Ben \u202eOkafor")
    made = organisation_services.invitations_create(organisation=org, by=owner, rows=[*preview.good, forged], course=course)
    assert sorted(i.email for i in made) == ["ana@example.org", "mr@example.org"]
    assert Invitation.objects.get(email="mr@example.org").name == "\u0645\u062d\u0645\u062f\u200c\u0631\u0636\u0627"
    assert not Invitation.objects.filter(email="ben@example.org").exists()


def test_a_csv_file_and_the_single_address_form_refuse_spoofed_names(client, org_and_course):
    owner, org, course = org_and_course
    client.force_login(owner)
    url = reverse("organisations:invitations_preview", args=[org.pk])
    data = "Email,Name\nana@example.org,Ana Silva\nben@example.org,Ben\u2067 Okafor\u2069\n"
    upload = SimpleUploadedFile("staff.csv", data.encode("utf-8-sig"), content_type="text/csv")
    page = client.post(url, {"role": "member", "course": course.pk, "csv_file": upload}).content.decode()
    bad = page.split('id="bad-caption"')[1].split("</table>")[0]
    assert '<th scope="row">3</th>' in bad and "U+2067" in bad
    page = client.post(url, {"role": "member", "course": course.pk, "email": "dee@example.org", "name": "Dee\u200f"}).content.decode()
    assert "U+200F" in page and 'href="#id_name"' in page
    assert not Invitation.objects.filter(email__in=["ana@example.org", "ben@example.org", "dee@example.org"]).exists()
