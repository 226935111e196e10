"""Where people land after signing in: an active owner or manager of one organisation on
its dashboard, of several on the list of their organisations; staff members, people who
left and everyone else on My learning; a ``next`` asked for always wins."""
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import landing
from organisations import services
from organisations.landing import manager_landing
from organisations.models import Membership
from tests.factories import UserFactory

from .support import make_org

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase"
Role = Membership.Role


def sign_in(client, user, next_url: str = ""):
    url = reverse("account_login") + (f"?next={quote(next_url)}" if next_url else "")
    response = client.post(url, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[-1500:]
    return response["Location"]


def test_an_owner_of_one_organisation_lands_on_its_dashboard(client, world):
    assert sign_in(client, world.owner) == reverse("organisations:dashboard", args=[world.org.pk])
    assert client.get(reverse("organisations:dashboard", args=[world.org.pk])).status_code == 200


def test_a_manager_lands_on_the_dashboard_too(client, world):
    assert sign_in(client, world.manager) == reverse("organisations:dashboard", args=[world.org.pk])


def test_someone_managing_several_organisations_lands_on_the_list(client, world):
    make_org(world.manager, name="Manager's Own Practice", billing="me@example.org")
    assert sign_in(client, world.manager) == reverse("organisations:mine")


def test_staff_members_and_learners_land_on_my_learning(client, world):
    assert sign_in(client, world.member) == reverse("courses:dashboard")  # a member of staff, not a manager
    client.logout()
    assert sign_in(client, UserFactory()) == reverse("courses:dashboard")


def test_a_manager_who_left_lands_on_my_learning(client, world):
    membership = Membership.objects.get(organisation=world.org, user=world.manager)
    services.membership_leave(membership_id=membership.pk, user=world.manager)
    assert sign_in(client, world.manager) == reverse("courses:dashboard")


def test_a_next_that_was_asked_for_wins(client, world):
    assert sign_in(client, world.owner, next_url="/courses/") == "/courses/"
    client.logout()
    assert sign_in(client, world.owner, next_url="/admin/") == "/admin/"


def test_an_unsafe_next_is_ignored_and_the_manager_still_lands_home(client, world):
    assert sign_in(client, world.owner, next_url="https://evil.example/") == reverse(
        "organisations:dashboard", args=[world.org.pk]
    )


def test_the_question_costs_one_query_however_many_organisations(world):
    for n in range(4):
        make_org(world.owner, name=f"Practice {n}", billing=f"p{n}@example.org")
    with CaptureQueriesContext(connection) as queries:
        assert manager_landing(world.owner) == reverse("organisations:mine")
    assert len(queries) == 1


def test_accounts_knows_only_what_was_registered(world):
    """accounts asks registered lookups; without organisations' one, nobody has a landing."""
    assert landing.landing_for(world.owner) == reverse("organisations:dashboard", args=[world.org.pk])
    landing.unregister_landing(manager_landing)
    try:
        assert landing.landing_for(world.owner) is None
    finally:
        landing.register_landing(manager_landing)
