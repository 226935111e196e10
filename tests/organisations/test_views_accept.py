"""The invited person's page: anyone with the link is told plainly what the organisation
will and will never see; a visitor is led through sign-up or sign-in and back; a signed-in
person accepts (a seat, an enrolment from it, a membership). A changed link is a 400, an
expired, used, withdrawn or replaced one a 410, gone places a 409: each with a clear
message, and nothing changed."""
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrollment
from organisations import selectors, services
from organisations.models import Invitation, Membership, Seat, SeatPool
from tests.factories import UserFactory, build_course

from .support import messages_of, invite, snapshot

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def newcomer():
    return UserFactory(email="waiting@example.org")


def link(invitation) -> str:
    return reverse("organisations:invitation", args=[selectors.invitation_token(invitation)])


def test_a_visitor_sees_what_the_employer_will_and_will_never_see(client, world):
    url = link(world.invitation)
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    for text in ("Riverside Recovery Centre", "Meeting Facilitation", "Olu Owner",  # who, what, invited by
                 "What Riverside Recovery Centre will see", "whether you have started the course",
                 "how far through it you are", "assessments you have passed", "certificate", "last active",
                 "What it will never see", "your reflections", "your written answers",
                 "anything else you keep private", "You can leave Riverside Recovery Centre at any time"):
        assert text in page, text
    # Sign-up and sign-in both come back here.
    assert f'{reverse("account_signup")}?next={quote(url, safe="/")}' in page
    assert f'{reverse("account_login")}?next={quote(url, safe="/")}' in page
    assert "Accept and join" not in page


def test_a_visitor_who_posts_is_sent_to_sign_in_and_nothing_changes(client, world):
    before = snapshot()
    response = client.post(link(world.invitation))
    assert response.status_code == 303 and response["Location"].startswith(reverse("account_login") + "?next=")
    assert snapshot() == before


def test_signing_in_from_the_page_comes_back_to_it(client, world, newcomer):
    url = link(world.invitation)
    response = client.post(f"{reverse('account_login')}?next={quote(url)}",
                           {"login": newcomer.email, "password": "a-long-test-passphrase"})
    assert response.status_code == 302 and response["Location"] == url


def test_accepting_takes_a_seat_and_enrols_through_it(client, world, newcomer):
    client.force_login(newcomer)
    page = client.get(link(world.invitation)).content.decode()
    assert "Accept and join Riverside Recovery Centre" in page
    assert 'id="other-address"' not in page  # signed in with the invited address

    response = client.post(link(world.invitation))
    assert response.status_code == 303
    assert response["Location"] == world.course.url
    assert "your place on Meeting Facilitation is ready" in messages_of(response)[0]
    enrollment = Enrollment.objects.get(user=newcomer, course=world.course)
    assert (enrollment.source, enrollment.status) == (Enrollment.Source.SEAT, Enrollment.Status.ACTIVE)
    seat = Seat.objects.get(user=newcomer)
    assert (seat.pool_id, seat.enrollment, seat.invitation_id) == (world.pool.pk, enrollment, world.invitation.pk)
    assert SeatPool.objects.get(pk=world.pool.pk).used == 2
    assert Membership.objects.get(organisation=world.org, user=newcomer).role == Role.MEMBER
    world.invitation.refresh_from_db()
    assert (world.invitation.status, world.invitation.accepted_by) == (Invitation.Status.ACCEPTED, newcomer)

    # Opening the link again: already accepted, nothing more taken.
    before = snapshot()
    page = client.get(link(world.invitation)).content.decode()
    assert "You have already accepted this invitation" in page
    response = client.post(link(world.invitation))
    assert response.status_code == 303 and "already joined" in messages_of(response)[-1]
    assert snapshot() == before


def test_a_different_signed_in_address_is_pointed_out_and_still_allowed(client, world):
    someone = UserFactory(email="personal@example.net")
    client.force_login(someone)
    page = client.get(link(world.invitation)).content.decode()
    assert 'id="other-address"' in page
    assert "sent to <strong>waiting@example.org</strong>" in page and "signed in as <strong>personal@example.net</strong>" in page
    assert client.post(link(world.invitation)).status_code == 303
    assert Seat.objects.filter(user=someone, released_at__isnull=True).exists()


def test_a_manager_invitation_leads_to_the_dashboard(client, world):
    [invitation] = invite(world.org, world.owner, None, "deputy@example.org", role=Role.MANAGER)
    deputy = UserFactory(email="deputy@example.org")
    client.force_login(deputy)
    page = client.get(link(invitation)).content.decode()
    assert "What managing means" in page
    response = client.post(link(invitation))
    assert response["Location"] == reverse("organisations:dashboard", args=[world.org.pk])
    assert Membership.objects.get(organisation=world.org, user=deputy).role == Role.MANAGER
    assert not Seat.objects.filter(user=deputy).exists()


# --- links that cannot be used ------------------------------------------------------------------


def refused(client, url, status, *texts):
    before = snapshot()
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == status, method
        page = response.content.decode()
        for text in texts:
            assert text in page, text
        assert "Accept and join" not in page
    assert snapshot() == before


def test_a_changed_link_is_a_400(client, world, newcomer):
    token = selectors.invitation_token(world.invitation)
    client.force_login(newcomer)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    refused(client, reverse("organisations:invitation", args=[tampered]), 400, "not complete or has been changed")
    refused(client, reverse("organisations:invitation", args=["nonsense"]), 400, "not complete or has been changed")


def test_an_expired_link_is_a_410(client, world, newcomer):
    Invitation.objects.filter(pk=world.invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(newcomer)
    refused(client, link(world.invitation), 410, "This invitation expired on", "Nothing has changed")


def test_a_withdrawn_link_is_a_410(client, world, newcomer):
    services.invitation_withdraw(organisation_id=world.org.pk, invitation_id=world.invitation.pk, by=world.owner)
    client.force_login(newcomer)
    refused(client, link(world.invitation), 410, "has withdrawn this invitation")


def test_a_replaced_link_is_a_410(client, world, newcomer):
    old = link(world.invitation)
    services.invitation_resend(organisation_id=world.org.pk, invitation_id=world.invitation.pk, by=world.owner)
    client.force_login(newcomer)
    refused(client, old, 410, "replaced by a newer one")


def test_a_link_used_by_someone_else_is_a_410(client, world, newcomer):
    services.invitation_accept(token=selectors.invitation_token(world.invitation), user=newcomer)
    client.force_login(UserFactory())
    refused(client, link(world.invitation), 410, "has already been used")
    client.logout()
    refused(client, link(world.invitation), 410, "has already been used")


def test_when_the_places_are_gone_it_is_a_409_and_nothing_changes(client, world, newcomer):
    # 3 places: 1 held; two more people take the other two first.
    for email in ("first@example.org", "second@example.org"):
        [invitation] = invite(world.org, world.owner, world.course, email)
        services.invitation_accept(token=selectors.invitation_token(invitation), user=UserFactory(email=email))
    client.force_login(newcomer)
    before = snapshot()
    response = client.post(link(world.invitation))
    assert response.status_code == 409
    page = response.content.decode()
    assert "The places are all taken" in page and "Your invitation still works" in page
    assert "you have not joined Riverside Recovery Centre and no place was taken" in page
    assert snapshot() == before
    assert not Membership.objects.filter(user=newcomer).exists()
    assert not Enrollment.objects.filter(user=newcomer).exists()


def test_the_page_says_the_organisation_pays_only_for_a_course_with_a_fee(client, world, catalogue):
    paid = client.get(link(world.invitation)).content.decode()
    assert "Riverside Recovery Centre pays for your place" in paid
    free = build_course(title="Introduction to Mutual Help")
    [invitation] = invite(world.org, world.owner, free, "eli@example.org")
    page = client.get(link(invitation)).content.decode()
    assert "pays for your place" not in page
    assert "If you accept, Riverside Recovery Centre, for the courses it gives places on, sees:" in page
