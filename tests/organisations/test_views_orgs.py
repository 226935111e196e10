"""A person's organisations: the list (with roles, dashboard links for managers and a
Leave button that says what leaving does), creating one, leaving, and owners changing
who manages."""
import pytest
from django.urls import reverse

from organisations.models import Membership, Organisation
from tests.factories import UserFactory

from .support import messages_of, make_org, snapshot

pytestmark = pytest.mark.django_db
Role = Membership.Role


# --- the list ----------------------------------------------------------------------------------


def test_the_list_shows_each_organisation_with_the_role_and_manager_links(client, world):
    make_org(world.member, name="Member's Own Practice", billing="me@example.org")  # owner there, staff here
    client.force_login(world.member)
    page = client.get(reverse("organisations:mine")).content.decode()
    assert "Riverside Recovery Centre" in page and "a member of staff" in page
    assert "Member&#x27;s Own Practice" in page and "an owner" in page
    own = Organisation.objects.get(name="Member's Own Practice")
    assert reverse("organisations:dashboard", args=[own.pk]) in page
    # Staff see no manager links for the organisation they only belong to.
    assert reverse("organisations:dashboard", args=[world.org.pk]) not in page
    assert reverse("organisations:seats", args=[world.org.pk]) not in page
    # Leaving: a POST form per membership, with what it means said before the button.
    mine = Membership.objects.get(organisation=world.org, user=world.member)
    assert f'action="{reverse("organisations:leave", args=[mine.pk])}"' in page
    assert "stops seeing your progress" in page and "You keep your places on courses" in page
    assert reverse("organisations:create") in page
    # Another organisation's name never appears.
    assert "Hillside Clinic" not in page


def test_the_list_for_someone_with_no_organisation_and_the_navigation_link(client, db, catalogue):
    client.force_login(UserFactory())
    page = client.get(reverse("organisations:mine")).content.decode()
    assert "You do not belong to an organisation" in page
    assert f'<a href="{reverse("organisations:mine")}">Organisations</a>' in page


def test_visitors_are_asked_to_sign_in(client, db):
    for name in ("organisations:mine", "organisations:create"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


# --- creating ----------------------------------------------------------------------------------


def test_the_form_offers_the_persons_email_for_billing(client, db):
    user = UserFactory(email="clinic.lead@example.org")
    client.force_login(user)
    page = client.get(reverse("organisations:create")).content.decode()
    assert 'value="clinic.lead@example.org"' in page
    for label in ("Name of the organisation", "Kind of organisation", "Country", "Billing email"):
        assert label in page


def test_creating_an_organisation_makes_you_its_owner_and_opens_its_dashboard(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("organisations:create"), {
        "name": "  Harbour   Outreach ", "kind": "community", "country": "IE", "billing_email": "money@harbour.example",
    })
    organisation = Organisation.objects.get()
    assert response.status_code == 303
    assert response["Location"] == reverse("organisations:dashboard", args=[organisation.pk])
    assert (organisation.name, organisation.kind, organisation.country.code, organisation.billing_email) == (
        "Harbour Outreach", "community", "IE", "money@harbour.example"
    )
    assert Membership.objects.get(organisation=organisation).role == Role.OWNER
    assert "you are its owner" in messages_of(response)[0]


def test_bad_input_is_listed_and_linked_to_its_fields_and_nothing_is_created(client, db):
    client.force_login(UserFactory())
    response = client.post(reverse("organisations:create"), {
        "name": "   ", "kind": "casino", "country": "XX", "billing_email": "not-an-address",
    })
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    for field in ("name", "kind", "country", "billing_email"):
        assert f'href="#id_{field}"' in page, field
        assert f'id="id_{field}_errors"' in page, field
    assert 'aria-describedby="id_billing_email_helptext id_billing_email_errors"' in page
    assert not Organisation.objects.exists()


# --- leaving -----------------------------------------------------------------------------------


def test_leaving_stops_sharing_and_keeps_the_place(client, world):
    mine = Membership.objects.get(organisation=world.org, user=world.member)
    client.force_login(world.member)
    response = client.post(reverse("organisations:leave", args=[mine.pk]))
    assert response.status_code == 303 and response["Location"] == reverse("organisations:mine")
    mine.refresh_from_db()
    assert mine.left_at is not None
    world.seat.refresh_from_db()
    assert world.seat.released_at is None  # the place stays theirs
    assert "no longer sees your progress" in messages_of(response)[0]
    page = client.get(reverse("organisations:mine")).content.decode()
    assert "You do not belong to an organisation" in page
    assert reverse("organisations:leave", args=[mine.pk]) not in page


def test_leave_is_a_post_and_only_for_ones_own_membership(client, world):
    mine = Membership.objects.get(organisation=world.org, user=world.member)
    client.force_login(world.member)
    assert client.get(reverse("organisations:leave", args=[mine.pk])).status_code == 405
    someone_elses = Membership.objects.get(organisation=world.org, user=world.manager)
    before = snapshot()
    response = client.post(reverse("organisations:leave", args=[someone_elses.pk]))
    assert response.status_code == 303
    assert "not a member" in messages_of(response)[0]
    assert snapshot() == before
    client.logout()
    response = client.post(reverse("organisations:leave", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert snapshot() == before


def test_the_only_owner_is_told_to_name_another_first(client, world):
    mine = Membership.objects.get(organisation=world.org, user=world.owner)
    client.force_login(world.owner)
    before = snapshot()
    response = client.post(reverse("organisations:leave", args=[mine.pk]))
    assert "only owner" in messages_of(response)[0]
    assert snapshot() == before


# --- owners change who manages -----------------------------------------------------------------


def test_the_owner_sees_the_managers_and_can_change_a_role(client, world):
    client.force_login(world.owner)
    page = client.get(reverse("organisations:invitations", args=[world.org.pk])).content.decode()
    theirs = Membership.objects.get(organisation=world.org, user=world.manager)
    assert 'id="managers"' in page and "manager@riverside.example" in page
    assert reverse("organisations:manager_role", args=[world.org.pk, theirs.pk]) in page
    # Staff are not listed as managers.
    assert "staff@riverside.example" not in page

    response = client.post(reverse("organisations:manager_role", args=[world.org.pk, theirs.pk]), {"role": "owner"})
    assert response.status_code == 303
    theirs.refresh_from_db()
    assert theirs.role == Role.OWNER
    assert "manager@riverside.example is now an owner" in messages_of(response)[0]


def test_a_manager_sees_the_managers_but_cannot_change_roles(client, world):
    client.force_login(world.manager)
    page = client.get(reverse("organisations:invitations", args=[world.org.pk])).content.decode()
    assert "Only an owner can change who manages" in page
    assert 'name="role" id="role-' not in page
    mine = Membership.objects.get(organisation=world.org, user=world.owner)
    before = snapshot()
    response = client.post(reverse("organisations:manager_role", args=[world.org.pk, mine.pk]), {"role": "member"})
    assert "Only an owner" in messages_of(response)[0]
    assert snapshot() == before


def test_the_last_owner_cannot_step_down_and_a_bad_role_is_refused(client, world):
    client.force_login(world.owner)
    mine = Membership.objects.get(organisation=world.org, user=world.owner)
    before = snapshot()
    url = reverse("organisations:manager_role", args=[world.org.pk, mine.pk])
    assert "at least one owner" in messages_of(client.post(url, {"role": "manager"}))[0]
    assert "Choose a role" in messages_of(client.post(url, {"role": "emperor"}))[-1]
    assert snapshot() == before


def test_an_owner_who_steps_down_to_staff_goes_to_their_list(client, world):
    theirs = Membership.objects.get(organisation=world.org, user=world.manager)
    theirs.role = Role.OWNER
    theirs.save()
    client.force_login(world.owner)
    mine = Membership.objects.get(organisation=world.org, user=world.owner)
    response = client.post(reverse("organisations:manager_role", args=[world.org.pk, mine.pk]), {"role": "member"})
    assert response["Location"] == reverse("organisations:mine")
    assert "You are now a staff member" in messages_of(response)[0]
    assert client.get(reverse("organisations:seats", args=[world.org.pk])).status_code == 404
