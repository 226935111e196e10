"""The manager's invitations page: one address, a pasted list or a CSV file, each shown
first as a preview (bad rows with their line number and what is wrong, free places
against the number invited); "Send" checks the posted rows again on the server, so a
forged or changed row sends nothing. Withdrawing and re-sending; managers invited by
owners only."""
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from organisations import selectors
from organisations.models import Invitation, Membership

from .support import PASTED, invite, messages_of, snapshot

pytestmark = pytest.mark.django_db
Role = Membership.Role


def preview_url(w):
    return reverse("organisations:invitations_preview", args=[w.org.pk])


def send_url(w):
    return reverse("organisations:invitations_send", args=[w.org.pk])


def ticked(page: str) -> list[str]:
    """The values the preview's checkboxes would post back."""
    import html

    return [html.unescape(v) for v in re.findall(r'type="checkbox" name="person" id="person-\d+" value="([^"]*)"', page)]


# --- the page ----------------------------------------------------------------------------------


def test_the_page_lists_pending_and_recently_accepted_invitations(as_owner, world):
    page = as_owner.get(reverse("organisations:invitations", args=[world.org.pk])).content.decode()
    assert "waiting@example.org" in page
    assert reverse("organisations:invitation_withdraw", args=[world.org.pk, world.invitation.pk]) in page
    assert reverse("organisations:invitation_resend", args=[world.org.pk, world.invitation.pk]) in page
    assert "hill@example.org" not in page  # another organisation's
    # The three ways, labelled and grouped.
    for text in ('<legend>Who to invite', 'for="id_email"', 'for="id_people"', 'for="id_csv_file"',
                 'enctype="multipart/form-data"', "<caption"):
        assert text in page, text

    token = selectors.invitation_token(world.invitation)
    from django.test import Client

    joiner = Client()
    joiner.force_login(world.manager)  # already a manager: accepting a staff invitation keeps that role
    joiner.post(reverse("organisations:invitation", args=[token]))
    page = as_owner.get(reverse("organisations:invitations", args=[world.org.pk])).content.decode()
    accepted = page.split('id="accepted-caption"')[1].split("</table>")[0]
    assert "waiting@example.org" in accepted and "manager@riverside.example" in accepted


def test_only_owners_are_offered_manager_invitations(client, world):
    client.force_login(world.owner)
    assert 'value="manager"' in client.get(reverse("organisations:invitations", args=[world.org.pk])).content.decode()
    client.force_login(world.manager)
    page = client.get(reverse("organisations:invitations", args=[world.org.pk])).content.decode()
    assert 'value="manager"' not in page
    # A forged "manager" from a manager is refused at both steps.
    before = snapshot()
    response = client.post(preview_url(world), {"role": "manager", "email": "boss@example.org"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    response = client.post(send_url(world), {"role": "manager", "person": ["boss@example.org"]})
    assert response.status_code == 303
    assert snapshot() == before


# --- preview ------------------------------------------------------------------------------------


def test_one_address_is_previewed_then_sent(as_owner, world, mailoutbox, django_capture_on_commit_callbacks):
    response = as_owner.post(preview_url(world), {
        "role": "member", "course": world.course.pk, "email": "ana@example.org", "name": "Ana <Silva>",
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert "Check who will be invited" in page and "Send 1 invitation" in page
    assert not Invitation.objects.filter(email="ana@example.org").exists()  # nothing saved by a preview
    assert ticked(page) == ["Ana Silva <ana@example.org>"]

    with django_capture_on_commit_callbacks(execute=True):
        response = as_owner.post(send_url(world), {"role": "member", "course": world.course.pk, "person": ticked(page)})
    assert response.status_code == 303
    assert "1 invitation sent" in messages_of(response)[0]
    invitation = Invitation.objects.get(email="ana@example.org")
    assert (invitation.name, invitation.course_id, invitation.role, invitation.invited_by) == (
        "Ana Silva", world.course.pk, Role.MEMBER, world.owner
    )
    [message] = mailoutbox
    assert message.to == ["ana@example.org"]
    assert selectors.invitation_url(invitation) in message.body


def test_a_pasted_list_reports_bad_lines_with_their_number_and_reason(as_owner, world):
    text = "\n".join([*PASTED, "waiting@example.org", "staff@riverside.example"])
    page = as_owner.post(preview_url(world), {"role": "member", "course": world.course.pk, "people": text}).content.decode()
    assert ticked(page) == ["Ana Silva <ana@example.org>", "Ben Okafor <ben@example.org>"]
    bad = page.split('id="bad-caption"')[1].split("</table>")[0]
    rows = re.findall(r'<th scope="row">(\d+)</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>', bad, re.S)
    problems = {int(line): reason for line, _, reason in rows}
    assert set(problems) == {2, 5, 6, 7}
    assert "is not an email address" in problems[2]
    assert "already on the list" in problems[5]
    assert "Already invited" in problems[6]
    assert "Already has a place" in problems[7]
    assert "4 rows cannot be invited" in page and "Send 2 invitations" in page


def test_a_csv_file_is_previewed_with_the_files_line_numbers(as_owner, world):
    data = "Email,Name\nana@example.org,Ana Silva\n=HYPERLINK(\"x\"),Mallory\n\nben@example.org,Ben\n"
    upload = SimpleUploadedFile("staff.csv", data.encode("utf-8-sig"), content_type="text/csv")
    page = as_owner.post(preview_url(world), {"role": "member", "course": world.course.pk, "csv_file": upload}).content.decode()
    assert ticked(page) == ["Ana Silva <ana@example.org>", "Ben <ben@example.org>"]
    assert "Line in the file" in page
    bad = page.split('id="bad-caption"')[1].split("</table>")[0]
    assert '<th scope="row">3</th>' in bad and "is not an email address" in bad
    assert not Invitation.objects.filter(email__in=["ana@example.org", "ben@example.org"]).exists()


@pytest.mark.parametrize("content, message", [
    (b"PK\x03\x04\x00\x00binary", "looks like a spreadsheet file"),
    ("email\nzoë@example.org\n".encode("latin-1"), "could not read this file"),
    (b"   \n", "This file is empty"),
])
def test_a_file_that_is_not_a_csv_is_a_clear_field_error(as_owner, world, content, message):
    upload = SimpleUploadedFile("staff.csv", content)
    response = as_owner.post(preview_url(world), {"role": "member", "course": world.course.pk, "csv_file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page and 'href="#id_csv_file"' in page


def test_the_form_asks_for_one_way_and_a_course(as_owner, world):
    page = as_owner.post(preview_url(world), {"role": "member", "course": ""}).content.decode()
    assert "Enter an email address, paste a list, or choose a CSV file." in page
    assert "Choose the course the invitation gives a place on." in page
    page = as_owner.post(preview_url(world), {
        "role": "member", "course": world.course.pk, "email": "a@example.org", "people": "b@example.org",
    }).content.decode()
    assert "one way at a time" in page


def test_the_preview_compares_free_places_with_the_number_invited(as_owner, world):
    # 3 places: 1 held, so 2 free; 1 invitation already waiting; 3 more invited now.
    page = as_owner.post(preview_url(world), {
        "role": "member", "course": world.course.pk, "people": "a@example.org\nb@example.org\nc@example.org",
    }).content.decode()
    note = page.split('id="places-note"')[1].split("</p>")[0]
    assert "2 free places" in note and "1 earlier invitation" in note and "inviting 3 more" in note
    assert "Places go to the first 2 people to accept" in note


# --- sending checks everything again ------------------------------------------------------------


def test_forged_rows_are_checked_again_and_nothing_is_sent(as_owner, world, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    before = snapshot()
    forged = ["new@example.org", "not-an-address", "waiting@example.org", "staff@riverside.example",
              "NEW@example.org", "line@example.org\nsecond line"]
    with django_capture_on_commit_callbacks(execute=True):
        response = as_owner.post(send_url(world), {"role": "member", "course": world.course.pk, "person": forged})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was sent" in page
    for reason in ("is not an email address", "Already invited", "Already has a place", "already on the list"):
        assert reason in page, reason
    assert snapshot() == before
    assert mailoutbox == []


def test_a_row_invited_meanwhile_by_someone_else_stops_the_send(as_owner, world):
    page = as_owner.post(preview_url(world), {"role": "member", "course": world.course.pk,
                                              "people": "a@example.org\nb@example.org"}).content.decode()
    invite(world.org, world.manager, world.course, "b@example.org")  # another manager, a moment later
    response = as_owner.post(send_url(world), {"role": "member", "course": world.course.pk, "person": ticked(page)})
    assert "Nothing was sent" in response.content.decode()
    assert not Invitation.objects.filter(email="a@example.org").exists()
    assert Invitation.objects.filter(email="b@example.org").count() == 1


def test_unticked_people_are_not_invited(as_owner, world):
    page = as_owner.post(preview_url(world), {"role": "member", "course": world.course.pk,
                                              "people": "a@example.org\nb@example.org"}).content.decode()
    response = as_owner.post(send_url(world), {"role": "member", "course": world.course.pk, "person": ticked(page)[:1]})
    assert response.status_code == 303
    assert list(Invitation.objects.filter(email__in=["a@example.org", "b@example.org"]).values_list("email", flat=True)) == [
        "a@example.org"
    ]
    response = as_owner.post(send_url(world), {"role": "member", "course": world.course.pk})
    assert "Nobody was ticked" in messages_of(response)[-1]


def test_an_owner_invites_a_manager(as_owner, world, mailoutbox, django_capture_on_commit_callbacks):
    page = as_owner.post(preview_url(world), {"role": "manager", "course": world.course.pk,
                                              "email": "deputy@example.org"}).content.decode()
    assert "Invitations to help manage" in page and 'name="course"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        as_owner.post(send_url(world), {"role": "manager", "person": ticked(page)})
    invitation = Invitation.objects.get(email="deputy@example.org")
    assert (invitation.role, invitation.course) == (Role.MANAGER, None)
    assert "Help manage Riverside Recovery Centre" in mailoutbox[0].subject


# --- withdraw and re-send -----------------------------------------------------------------------


def test_withdrawing_stops_the_link(as_owner, world):
    token = selectors.invitation_token(world.invitation)
    response = as_owner.post(reverse("organisations:invitation_withdraw", args=[world.org.pk, world.invitation.pk]))
    assert response.status_code == 303
    world.invitation.refresh_from_db()
    assert world.invitation.status == Invitation.Status.WITHDRAWN
    assert "withdrawn" in messages_of(response)[0]
    assert as_owner.get(reverse("organisations:invitation", args=[token])).status_code == 410
    # Twice: a plain message, nothing else changes.
    before = snapshot()
    response = as_owner.post(reverse("organisations:invitation_withdraw", args=[world.org.pk, world.invitation.pk]))
    assert "withdrawn already" in messages_of(response)[-1]
    assert snapshot() == before


def test_resending_sends_a_new_link_and_retires_the_old_one(as_owner, world, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    old = selectors.invitation_token(world.invitation)
    Invitation.objects.filter(pk=world.invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    page = as_owner.get(reverse("organisations:invitations", args=[world.org.pk])).content.decode()
    assert "<strong>Expired</strong>" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = as_owner.post(reverse("organisations:invitation_resend", args=[world.org.pk, world.invitation.pk]))
    assert response.status_code == 303
    world.invitation.refresh_from_db()
    assert world.invitation.expires_at > timezone.now()
    [message] = mailoutbox
    assert selectors.invitation_url(world.invitation) in message.body
    assert as_owner.get(reverse("organisations:invitation", args=[old])).status_code == 410
    assert as_owner.get(reverse("organisations:invitation", args=[selectors.invitation_token(world.invitation)])).status_code == 200
