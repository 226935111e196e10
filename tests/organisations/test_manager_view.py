"""``manager_view``, which starts every manager page: sign-in first, then the method, then
the person's managed membership of the organisation in the URL, which the view receives."""
import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from organisations.models import Membership
from organisations.views.manager import manager_view

from .support import snapshot

pytestmark = pytest.mark.django_db


@manager_view("POST")
def _echo(request, membership, **kwargs):
    return HttpResponse(f"{membership.pk} {membership.role} {sorted(kwargs.items())}")


def _post(user, org_id, **kwargs):
    request = RequestFactory().post("/anywhere/")
    request.user = user
    return _echo(request, org_id=org_id, **kwargs)


def test_the_view_receives_the_managers_own_membership_and_the_other_arguments(world):
    mine = Membership.objects.get(organisation=world.org, user=world.manager)
    response = _post(world.manager, world.org.pk, seat_id=7)
    assert response.content.decode() == f"{mine.pk} manager [('seat_id', 7)]"


@pytest.mark.parametrize("who", ["member", "other_owner"])
def test_someone_who_does_not_manage_the_organisation_gets_404(world, who):
    with pytest.raises(Http404):
        _post(getattr(world, who), world.org.pk)


def test_a_visitor_is_sent_to_sign_in_before_anything_is_read(world, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = _post(AnonymousUser(), world.org.pk)
    assert response.status_code == 302 and response["Location"].startswith("/")


@pytest.mark.parametrize("org", ["mine", "another", "none"])
def test_the_method_is_refused_before_the_organisation_is_looked_up(client, world, org, django_assert_num_queries):
    """A wrong method says 405 whichever organisation the address names (no query about
    it is made), so the answer reveals nothing about other organisations."""
    org_id = {"mine": world.org.pk, "another": world.other_org.pk, "none": 987654}[org]
    client.force_login(world.owner)
    before = snapshot()
    url = reverse("organisations:seats_buy", args=[org_id])
    with django_assert_num_queries(1):  # the signed-in user, nothing about the organisation
        assert client.get(url).status_code == 405
    assert snapshot() == before
