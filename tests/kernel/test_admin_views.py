"""``kernel/admin_views.py``: what staff pages in the admin share. A listing offers a
record's actions in each row's menu only to those who may take them; an action on one
record loads it only after the permission check (a 404 when it does not exist) and sits
under the record's inspect page in the breadcrumbs. Organisations stand for any record
(their listing and actions are built on these)."""
import pytest
from django import forms
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kernel.admin_views import RecordActionView
from organisations.models import Organisation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class NudgeView(RecordActionView):
    model = Organisation
    namespace = "organisations_admin"
    context_name = "organisation"
    permission_required = "organisations.grant_seats"
    form_class = forms.Form
    template_name = "wagtailadmin/generic/base.html"
    page_title = "Nudge"


def staff(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=("access_admin", *codenames)))
    return type(user).objects.get(pk=user.pk)  # permissions are cached per instance


@pytest.fixture
def organisation():
    return Organisation.objects.create(name="Riverside Recovery Centre", kind="treatment", country="GB",
                                       billing_email="accounts@riverside.example")


def view_for(user, pk) -> NudgeView:
    request = RequestFactory().get("/")
    request.user = user
    view = NudgeView()
    view.setup(request, pk=pk)
    return view


def test_an_action_sits_under_its_records_inspect_page(organisation):
    view = view_for(staff("grant_seats"), organisation.pk)
    crumbs = view.get_breadcrumbs_items()[1:]
    assert crumbs == [
        {"url": reverse("organisations_admin:index"), "label": "Organisations"},
        {"url": reverse("organisations_admin:inspect", args=[organisation.pk]), "label": str(organisation)},
        {"url": "", "label": "Nudge"},
    ]
    assert view.get_page_subtitle() == str(organisation)
    context = view.get_context_data()
    assert context["organisation"] == organisation
    assert context["inspect_url"] == reverse("organisations_admin:inspect", args=[organisation.pk])


def test_a_record_that_does_not_exist_is_a_404(organisation):
    with pytest.raises(Http404):
        view_for(staff("grant_seats"), organisation.pk + 1000).record


def test_without_the_permission_the_record_is_never_read(organisation):
    request = RequestFactory().post("/", {})
    request.user = staff("view_organisation")
    with CaptureQueriesContext(connection) as queries, pytest.raises(PermissionDenied):
        NudgeView.as_view()(request, pk=organisation.pk)
    assert not [q for q in queries.captured_queries if "organisations_organisation" in q["sql"]]


@pytest.mark.parametrize("codenames, offered", [(("view_organisation", "grant_seats"), True), (("view_organisation",), False)])
def test_a_listing_offers_a_rows_action_only_to_those_who_may_take_it(client, organisation, codenames, offered):
    client.force_login(staff(*codenames))
    page = client.get(reverse("organisations_admin:index")).content.decode()
    assert organisation.name in page
    assert (reverse("organisations_admin:grant", args=[organisation.pk]) in page) is offered



def test_an_inspect_page_without_select_related_follows_no_foreign_key(monkeypatch):
    """``select_related()`` with no names would join every foreign key of the record."""
    from django.contrib.auth import get_user_model

    import kernel.admin_views as admin_views

    view = admin_views.LabelledInspectView()
    view.model, view.pk = get_user_model(), "1"
    seen = []
    monkeypatch.setattr(admin_views, "get_object_or_404", lambda records, **lookup: seen.append(records.query))
    view.get_object()
    assert seen[0].select_related is False
