"""Payments in the Wagtail admin (the pages themselves are in ``payments.admin``):

- one "Payments" menu of viewsets: Orders (with refunding), Discount codes, Scholarship
  applications (``admin/viewsets.py``); the viewsets of orders and scholarship
  applications register their permission policies (list and inspect, never edit: they
  change only through the services);
- the pages outside the viewsets at /admin/payments/ (``admin/urls.py``): generating
  scholarship codes, and Revenue, which has its own menu item (``view_order``).
"""
from django.http import HttpRequest
from django.urls import include, path, reverse
from django.urls.resolvers import URLResolver
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from . import permissions
from .admin.viewsets import PaymentsGroup

register_snippet(PaymentsGroup)


@hooks.register("register_admin_urls")
def register_payments_admin_urls() -> list[URLResolver]:
    return [path("payments/", include("payments.admin.urls"))]


class RevenueMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return permissions.can_view_orders(request.user)


@hooks.register("register_admin_menu_item")
def register_revenue_menu_item() -> MenuItem:
    return RevenueMenuItem(_("Revenue"), reverse("payments_admin:revenue"), icon_name="form", order=281)
