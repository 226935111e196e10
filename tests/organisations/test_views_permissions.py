"""Every manager page and action, attacked: a manager of another organisation and a
staff member get a 404 (exactly like an organisation that does not exist), a visitor is
sent to sign in, actions answer GET with 405, and none of them changes anything. Ids of
another organisation's invitations, seats, members and orders are never acted on, even
by a manager using their own organisation's address."""
import pytest
from django.test import Client
from django.urls import reverse

from organisations.models import Membership

from .support import snapshot

pytestmark = pytest.mark.django_db


def owner_membership(w):
    return Membership.objects.get(organisation=w.org, user=w.owner)


# name -> (method, url builder, POST data builder)
def nothing(w):
    return {}


ACTIONS = {
    "seats page": ("get", lambda w: reverse("organisations:seats", args=[w.org.pk]), None),
    "buy seats": ("post", lambda w: reverse("organisations:seats_buy", args=[w.org.pk]),
                  lambda w: {"course": w.course.pk, "quantity": "2"}),
    "give a seat back": ("post", lambda w: reverse("organisations:seat_release", args=[w.org.pk, w.seat.pk]), nothing),
    "seat order page": ("get", lambda w: reverse("organisations:seat_order", args=[w.org.pk, w.order.pk]), None),
    "seat order landing": ("get", lambda w: reverse("organisations:seat_order_landing", args=[w.order.pk]), None),
    "invitations page": ("get", lambda w: reverse("organisations:invitations", args=[w.org.pk]), None),
    "preview invitations": ("post", lambda w: reverse("organisations:invitations_preview", args=[w.org.pk]),
                            lambda w: {"role": "member", "course": w.course.pk, "email": "new@example.org"}),
    "send invitations": ("post", lambda w: reverse("organisations:invitations_send", args=[w.org.pk]),
                         lambda w: {"role": "member", "course": w.course.pk, "person": ["new@example.org"]}),
    "withdraw an invitation": (
        "post", lambda w: reverse("organisations:invitation_withdraw", args=[w.org.pk, w.invitation.pk]), nothing),
    "re-send an invitation": (
        "post", lambda w: reverse("organisations:invitation_resend", args=[w.org.pk, w.invitation.pk]), nothing),
    "change a role": ("post", lambda w: reverse("organisations:manager_role", args=[w.org.pk, owner_membership(w).pk]),
                      lambda w: {"role": "member"}),
}
POSTS = [name for name, (method, _, _) in ACTIONS.items() if method == "post"]


def attempt(client, w, name):
    method, url, data = ACTIONS[name]
    if method == "get":
        return client.get(url(w))
    return client.post(url(w), data(w))


def refused_as_not_found(client, w, name, user):
    """``user`` asks for the page or action ``name``: a 404, and nothing changed."""
    before = snapshot()
    client.force_login(user)
    assert attempt(client, w, name).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("name", ACTIONS)
def test_a_manager_of_another_organisation_gets_404_and_changes_nothing(client, world, name):
    refused_as_not_found(client, world, name, world.other_owner)


@pytest.mark.parametrize("name", ACTIONS)
def test_a_staff_member_gets_404_and_changes_nothing(client, world, name):
    refused_as_not_found(client, world, name, world.member)


@pytest.mark.parametrize("name", ACTIONS)
def test_a_manager_who_left_gets_404(client, world, name):
    Membership.objects.filter(organisation=world.org, user=world.manager).update(left_at="2026-01-01T00:00Z")
    refused_as_not_found(client, world, name, world.manager)


@pytest.mark.parametrize("name", ACTIONS)
def test_a_visitor_is_asked_to_sign_in_and_nothing_changes(client, world, name):
    before = snapshot()
    response = attempt(client, world, name)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert snapshot() == before


@pytest.mark.parametrize("name", POSTS)
def test_actions_refuse_get(client, world, name):
    _, url, _ = ACTIONS[name]
    client.force_login(world.owner)
    before = snapshot()
    assert client.get(url(world)).status_code == 405
    assert snapshot() == before


@pytest.mark.parametrize("name", ["buy seats", "give a seat back", "withdraw an invitation", "change a role"])
def test_actions_need_the_form_token(world, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.owner)
    before = snapshot()
    assert attempt(client, world, name).status_code == 403
    assert snapshot() == before


def test_the_owner_and_a_manager_see_the_pages(client, world):
    for user in (world.owner, world.manager):
        client.force_login(user)
        for name in ("seats page", "invitations page"):
            assert attempt(client, world, name).status_code == 200, (user, name)


# --- another organisation's objects through one's own organisation's addresses -------------


def test_another_organisations_invitation_is_not_withdrawn_or_resent(client, world):
    client.force_login(world.owner)
    before = snapshot()
    for action in ("organisations:invitation_withdraw", "organisations:invitation_resend"):
        response = client.post(reverse(action, args=[world.org.pk, world.other_invitation.pk]))
        assert response.status_code == 404
    assert snapshot() == before


def test_another_organisations_seat_is_not_given_back(client, world):
    client.force_login(world.owner)
    before = snapshot()
    response = client.post(reverse("organisations:seat_release", args=[world.org.pk, world.other_seat.pk]))
    assert response.status_code == 404
    assert snapshot() == before


def test_another_organisations_member_role_is_not_changed(client, world):
    client.force_login(world.owner)
    theirs = Membership.objects.get(organisation=world.other_org, user=world.other_owner)
    before = snapshot()
    response = client.post(reverse("organisations:manager_role", args=[world.org.pk, theirs.pk]), {"role": "member"})
    assert response.status_code == 404
    assert snapshot() == before


def test_another_organisations_order_is_not_shown(client, world):
    client.force_login(world.owner)
    response = client.get(reverse("organisations:seat_order", args=[world.org.pk, world.other_order.pk]))
    assert response.status_code == 404
    # Nor its receipt: the receipt page is the buyer's alone.
    assert client.get(reverse("payments:receipt", args=[world.other_order.pk])).status_code == 404


def test_a_learners_own_order_is_not_a_seat_order(client, world):
    from payments.models import Order

    own = Order.objects.create(
        user=world.owner, email=world.owner.email, course=world.course, course_title=world.course.title,
        currency="USD", price_amount=40, total_amount=40,
    )
    client.force_login(world.owner)
    assert client.get(reverse("organisations:seat_order", args=[world.org.pk, own.pk])).status_code == 404
    assert client.get(reverse("organisations:seat_order_landing", args=[own.pk])).status_code == 404


def test_inviting_to_a_course_the_organisation_has_no_seats_on_is_refused(client, world):
    from tests.factories import build_course

    elsewhere = build_course(title="Family and Friends", price=40)
    client.force_login(world.owner)
    before = snapshot()
    response = client.post(reverse("organisations:invitations_send", args=[world.org.pk]),
                           {"role": "member", "course": elsewhere.pk, "person": ["new@example.org"]})
    assert response.status_code == 303
    assert snapshot() == before
