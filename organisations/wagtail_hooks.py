"""Organisations in the Wagtail admin: one "Organisations" menu item for staff who may
view them (``view_organisation``, or the right to change one or grant seats). Listing and
inspect page; "Mark as partner" (``change_organisation``), "Grant seats"
(``grant_seats``) and "Refund unused seats" of a seat purchase (``payments.refund_order``)
as actions. Organisations are created by their managers on the site, never added,
edited or deleted here (see ``admin_views``).
"""
from django.urls import path
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from kernel.admin_policies import ActionsOnlyPermissionPolicy

from . import admin_views
from .models import Organisation


class OrganisationPermissionPolicy(ActionsOnlyPermissionPolicy):
    """Listed and inspected by staff with ``view_organisation`` (or the right to change
    one or grant seats); changed only through the actions, never added, edited or
    deleted through the admin's generic forms."""

    also_view = (admin_views.CHANGE_PERMISSION, admin_views.GRANT_PERMISSION)


register_permission_policy(Organisation, OrganisationPermissionPolicy(Organisation))


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    name = "organisations"
    url_namespace = "organisations_admin"
    icon = "group"
    menu_label = "Organisations"
    menu_order = 285
    add_to_admin_menu = True
    index_view_class = admin_views.OrganisationIndexView
    inspect_view_class = admin_views.OrganisationInspectView
    filterset_class = admin_views.OrganisationFilterSet
    search_fields = ["name"]
    ordering = ["name"]
    inspect_view_enabled = True
    copy_view_enabled = False
    # Never shown (add and edit are refused by the policy) but required by ModelViewSet.
    form_fields = ["name"]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("partner/<int:pk>/", admin_views.PartnerView.as_view(), name="partner"),
            path("grant/<int:pk>/", admin_views.GrantSeatsView.as_view(), name="grant"),
            path("refund-seats/<int:order_id>/", admin_views.RefundSeatsView.as_view(), name="refund_seats"),
        ]


@hooks.register("register_admin_viewset")
def register_organisation_viewset():
    return OrganisationViewSet()


@hooks.register("register_log_actions")
def register_partner_log_actions(actions):
    actions.register_action(admin_views.PARTNER_ON, "Marked as partner", "Marked as a partner organisation")
    actions.register_action(admin_views.PARTNER_OFF, "Partner status removed", "No longer a partner organisation")
