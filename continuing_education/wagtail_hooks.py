"""Continuing education in the Wagtail admin, under one "Continuing education" menu:

- Accrediting bodies and CE approvals: snippets, edited by staff with the model
  permissions (the "CE staff" group, migration 0002_ce_staff_group); the approval's form
  keeps the rules of its courses' CE hours.
- CE certificates: read-only listing and inspect page with the certificate's history, and
  Revoke, Reinstate and Reissue actions (``continuing_education.manage_ce_certificates``).
  CE certificates change only through the services, never by editing rows.
- The report of CE certificates per body and period (with its CSV), and granting partial
  credit: pages of their own (``admin/urls.py``), each with its menu entry.
- The dashboard's panel of approvals lapsing soon.

The pages themselves are in ``admin/``.
"""
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from kernel.admin_viewsets import RecordViewSet

from . import permissions
from .admin import certificates, dashboard, filters
from .admin import urls as admin_urls
from .admin.approvals import AccreditingBodyViewSet, ApprovalViewSet
from .models import CECertificate


class CECertificateViewSet(RecordViewSet):
    """Staff may list and inspect (``view_cecertificate``, or the right to manage CE
    certificates); nobody adds, edits or deletes CE certificates through the admin."""

    model = CECertificate
    also_view = (permissions.MANAGE,)
    action_urlpatterns = admin_urls.certificate_actions
    name = "ce-certificates"
    url_namespace = "ce_certificates"
    icon = "success"
    menu_label = _("CE certificates")
    index_view_class = certificates.CECertificateIndexView
    inspect_view_class = certificates.CECertificateInspectView
    filterset_class = filters.CECertificateFilterSet
    search_fields = ["code", "holder__email"]  # see CECertificateIndexView.search_queryset
    ordering = ["-completed_at"]


class ReportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(permissions.MANAGE) or request.user.has_perm(permissions.VIEW_CERTIFICATES)


class ManageMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(permissions.MANAGE)


class ReportMenu(ViewSet):
    """The report's entry in the menu (the page is served through ``register_admin_urls``)."""

    name = "ce-report"
    icon = "table"
    menu_label = _("CE report per body and period")
    menu_item_class = ReportMenuItem

    @cached_property
    def menu_url(self) -> str:
        return reverse("ce_admin:report")


class PartialCreditMenu(ViewSet):
    name = "ce-partial-credit"
    icon = "plus"
    menu_label = _("Grant partial CE credit")
    menu_item_class = ManageMenuItem

    @cached_property
    def menu_url(self) -> str:
        return reverse("ce_admin:partial")


class ContinuingEducationGroup(SnippetViewSetGroup):
    menu_label = _("Continuing education")
    menu_icon = "doc-full-inverse"
    menu_order = 275
    items = (AccreditingBodyViewSet, ApprovalViewSet, CECertificateViewSet, ReportMenu, PartialCreditMenu)


register_snippet(ContinuingEducationGroup)


@hooks.register("register_admin_urls")
def register_continuing_education_admin_urls() -> list[URLPattern | URLResolver]:
    return [path("continuing-education/", include(admin_urls))]


@hooks.register("construct_homepage_panels")
def add_lapsing_approvals_panel(request: HttpRequest, panels: list) -> None:
    panel = dashboard.lapsing_panel(request)
    if panel is not None:
        panels.append(panel)
