"""Signing up from an invitation: a visitor who opens a link that can still be accepted is
offered "Create your account" with the invited address filled in, and because the link
came to that address, an account made with exactly it is verified at once (no second
email) and can accept straight away. Attacks: a changed, replaced, expired, withdrawn or
used link vouches for nothing; another address on the form gets the usual confirmation
email; the vouching is spent by one sign-up and never serves another address."""
from datetime import timedelta
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from courses.models import Enrollment
from organisations import selectors, services
from organisations.models import Invitation, Seat

from .support import invite

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase"
INVITED = "waiting@example.org"  # build_world's pending invitation


def link(invitation) -> str:
    return reverse("organisations:invitation", args=[selectors.invitation_token(invitation)])


def sign_up(client, email: str, *, next_url: str = "", name: str = "Wren Waiting"):
    url = reverse("account_signup") + (f"?next={quote(next_url)}" if next_url else "")
    return client.post(url, {"certificate_name": name, "email": email, "password1": PASSWORD, "password2": PASSWORD})


def confirmations() -> list:
    return [m for m in mail.outbox if "/accounts/confirm-email/" in m.body]


def signed_in_as(client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id).email if user_id else None


def test_a_visitor_signs_up_with_the_invited_address_and_accepts_at_once(
    client, world, django_capture_on_commit_callbacks
):
    url = link(world.invitation)
    page = client.get(url).content.decode()
    assert "Create your account to accept" in page and f"<strong>{INVITED}</strong>" in page
    assert f'{reverse("account_signup")}?next={quote(url, safe="/")}' in page
    assert f'{reverse("account_login")}?next={quote(url, safe="/")}' in page  # an existing account signs in

    form = client.get(f"{reverse('account_signup')}?next={quote(url)}")
    assert form.context["form"]["email"].value() == INVITED  # filled in

    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, INVITED, next_url=url)
    assert response.status_code == 302 and response["Location"] == url  # straight back, signed in
    assert signed_in_as(client) == INVITED
    user = User.objects.get(email=INVITED)
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
        (INVITED, True, True)
    ]
    assert confirmations() == []  # no second email to prove the address
    assert [m.to for m in mail.outbox if m.subject.startswith("Welcome")] == [[INVITED]]

    assert "Accept and join Riverside Recovery Centre" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 303 and response["Location"] == world.course.url
    assert Enrollment.objects.filter(user=user, course=world.course, source=Enrollment.Source.SEAT).exists()
    assert Invitation.objects.get(pk=world.invitation.pk).status == Invitation.Status.ACCEPTED


def test_the_address_is_compared_without_regard_to_capitals(client, world):
    client.get(link(world.invitation))
    sign_up(client, INVITED.upper())
    assert EmailAddress.objects.get(email__iexact=INVITED).verified


def test_another_address_on_the_form_gets_the_usual_confirmation(client, world, django_capture_on_commit_callbacks):
    url = link(world.invitation)
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, "personal@example.net", next_url=url)
    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    assert signed_in_as(client) is None
    user = User.objects.get(email="personal@example.net")
    # Only the address typed, unverified; the invited one is not slipped onto the account.
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("personal@example.net", False)
    ]
    assert not EmailAddress.objects.filter(email__iexact=INVITED).exists()
    assert [m.to for m in confirmations()] == [["personal@example.net"]]
    assert not Seat.objects.filter(user=user).exists()


def test_the_vouching_is_spent_by_one_sign_up(client, world, django_capture_on_commit_callbacks):
    """Signed up once (with another address), the same browser cannot then make a second,
    verified account with the invited one without opening a link again."""
    client.get(link(world.invitation))
    sign_up(client, "personal@example.net")
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, INVITED, name="Second Try")
    assert EmailAddress.objects.get(email=INVITED).verified is False
    assert INVITED in [to for m in confirmations() for to in m.to]


def test_signing_up_without_opening_a_link_needs_confirmation(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, INVITED)
    assert EmailAddress.objects.get(email=INVITED).verified is False
    assert [m.to for m in confirmations()] == [[INVITED]]


def _tampered(world):
    token = selectors.invitation_token(world.invitation)
    return reverse("organisations:invitation", args=[token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")])


def _replaced(world):
    old = link(world.invitation)
    services.invitation_resend(organisation_id=world.org.pk, invitation_id=world.invitation.pk, by=world.owner)
    return old


def _expired(world):
    Invitation.objects.filter(pk=world.invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    return link(world.invitation)


def _withdrawn(world):
    services.invitation_withdraw(organisation_id=world.org.pk, invitation_id=world.invitation.pk, by=world.owner)
    return link(world.invitation)


def _used(world):
    from tests.factories import UserFactory

    services.invitation_accept(token=selectors.invitation_token(world.invitation), user=UserFactory())
    return link(world.invitation)


@pytest.mark.parametrize("spoil", [_tampered, _replaced, _expired, _withdrawn, _used],
                         ids=["tampered", "replaced", "expired", "withdrawn", "used"])
def test_a_link_that_cannot_be_used_vouches_for_nothing(client, world, spoil, django_capture_on_commit_callbacks):
    url = spoil(world)
    response = client.get(url)
    assert response.status_code in (400, 410)
    assert "Create your account" not in response.content.decode()
    assert not client.session.get("account_verified_email")
    form = client.get(reverse("account_signup"))
    assert not form.context["form"]["email"].value()  # nothing filled in
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, INVITED)
    assert EmailAddress.objects.get(email=INVITED).verified is False
    assert [m.to for m in confirmations()] == [[INVITED]]
    assert signed_in_as(client) is None


def test_a_second_invitation_in_the_same_browser_vouches_only_for_its_own_address(client, world):
    """Two links opened one after the other: the later one's address is the one vouched for."""
    [second] = invite(world.org, world.owner, world.course, "second@example.org")
    client.get(link(world.invitation))
    client.get(link(second))
    sign_up(client, INVITED)
    assert EmailAddress.objects.get(email=INVITED).verified is False


def test_a_signed_in_person_opening_a_link_vouches_for_nothing(client, world):
    from tests.factories import UserFactory

    client.force_login(UserFactory(email="someone@example.org"))
    client.get(link(world.invitation))
    assert not client.session.get("account_verified_email")

