"""``kernel/admin_viewsets.py``: a record's viewset lists and inspects it, registers a
policy that refuses the admin's generic add, edit and delete to everyone (superusers too)
and lets ``also_view`` permissions look, and serves the record's actions in its own
namespace. A throwaway viewset over a model no admin page shows (``ExpiryReminder``)
stands for any record; the permission registry is put back after each test."""
import pytest
from django.contrib.auth.models import Permission
from django.urls import path
from django.views.generic import View
from wagtail.permissions import policy_registry

from certification.models import Certificate, ExpiryReminder
from kernel.admin_policies import ActionsOnlyPermissionPolicy
from kernel.admin_viewsets import RecordViewSet
from tests.factories import UserFactory

ACT = "certification.revoke_certificate"


@pytest.fixture(autouse=True)
def registry_restored():
    saved = dict(policy_registry.values_by_class), dict(policy_registry.values_by_exact_class)
    yield
    policy_registry.values_by_class, policy_registry.values_by_exact_class = saved


def reminder_viewset(**attrs) -> type[RecordViewSet]:
    return type(
        "ReminderViewSet", (RecordViewSet,), {"model": ExpiryReminder, "name": "reminders", "url_namespace": "reminders", **attrs}
    )


def test_defining_a_record_viewset_registers_an_actions_only_policy_for_its_model():
    assert not isinstance(policy_registry.get_by_type(ExpiryReminder, fallback=False), ActionsOnlyPermissionPolicy)
    reminder_viewset(also_view=(ACT,))
    policy = policy_registry.get_by_type(ExpiryReminder)
    assert isinstance(policy, ActionsOnlyPermissionPolicy) and policy.also_view == (ACT,)
    assert policy.model is ExpiryReminder


@pytest.mark.django_db
def test_also_view_lets_people_look_and_nobody_adds_changes_or_deletes():
    reminder_viewset(also_view=(ACT,))
    policy = policy_registry.get_by_type(ExpiryReminder)
    actor = UserFactory()
    actor.user_permissions.add(Permission.objects.get(codename="revoke_certificate"))
    actor = type(actor).objects.get(pk=actor.pk)  # permissions are cached per instance
    superuser = UserFactory(is_superuser=True)
    nobody = UserFactory()
    assert policy.user_has_permission(actor, "view") and policy.user_has_permission(superuser, "view")
    assert not policy.user_has_permission(nobody, "view")
    for action in ("add", "change", "delete"):
        assert not policy.user_has_permission(superuser, action)
        assert not policy.user_has_permission(actor, action)


def test_actions_are_served_in_the_viewsets_namespace_beside_list_and_inspect():
    action = path("nudge/<int:pk>/", View.as_view(), name="nudge")
    viewset = reminder_viewset(action_urlpatterns=[action])()
    names = {pattern.name for pattern in viewset.get_urlpatterns()}
    assert {"index", "inspect", "nudge"} <= names
    assert "copy" not in names
    assert viewset.get_url_name("nudge") == "reminders:nudge"
    assert viewset.add_to_reference_index is False


def test_the_certificates_listing_is_such_a_viewset():
    from certification.wagtail_hooks import CertificateViewSet

    assert issubclass(CertificateViewSet, RecordViewSet)
    policy = policy_registry.get_by_type(Certificate)
    assert isinstance(policy, ActionsOnlyPermissionPolicy) and policy.also_view == (ACT,)


@pytest.mark.parametrize("viewset_path, model_path, also_view", [
    ("payments.admin.viewsets.OrderViewSet", "payments.models.Order", ("payments.refund_order",)),
    ("payments.admin.viewsets.ScholarshipViewSet", "payments.models.ScholarshipApplication",
     ("payments.decide_scholarshipapplication",)),
    ("organisations.admin.organisations.OrganisationViewSet", "organisations.models.Organisation",
     ("organisations.change_organisation", "organisations.grant_seats")),
])
def test_orders_applications_and_organisations_are_such_viewsets(viewset_path, model_path, also_view):
    from django.utils.module_loading import import_string

    assert issubclass(import_string(viewset_path), RecordViewSet)
    policy = policy_registry.get_by_type(import_string(model_path))
    assert isinstance(policy, ActionsOnlyPermissionPolicy) and policy.also_view == also_view
