"""Organisations in the Wagtail admin: one "Organisations" menu item for staff who may
view them (``view_organisation``, or the right to change one or grant seats). Listing and
inspect page; "Mark as partner" (``change_organisation``), "Grant seats"
(``grant_seats``) and "Refund unused seats" of a seat purchase (``payments.refund_order``)
as actions. Organisations are created by their managers on the site, never added,
edited or deleted here (see ``admin/``): defining the viewset, a ``RecordViewSet``,
registers the permission policy that says so.
"""
from django.urls import URLResolver, include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogActionRegistry

from . import services
from .admin.organisations import organisations_viewset


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[URLResolver]:
    # What Wagtail's own ``register_admin_viewset`` does (from its register_admin_urls hook),
    # less the viewset's URLs: ``admin/urls.py`` serves them with the staff actions, in one
    # namespace. The menu item, the admin URL finder and the reference index come from here.
    organisations_viewset.on_register()
    return [path(f"{organisations_viewset.url_prefix}/", include("organisations.admin.urls"))]


@hooks.register("register_log_actions")
def register_partner_log_actions(actions: LogActionRegistry) -> None:
    actions.register_action(services.PARTNER_ON, _("Marked as partner"), _("Marked as a partner organisation"))
    actions.register_action(services.PARTNER_OFF, _("Partner status removed"), _("No longer a partner organisation"))
