"""Certification in the Wagtail admin, under one "Certification" menu:

- Programmes and Codes of conduct: snippets, edited by staff with the model permissions
  (the "Certification staff" and "Course publishers" groups, migration 0002).
- Certificates: read-only listing and inspect page with the certificate's history, and
  Revoke and Reinstate actions (``certification.revoke_certificate``). Certificates change
  only through the services (issue, reissue, renew, revoke, reinstate), never by editing rows.
- Practical sign-offs: record practical work for a learner
  (``certification.signoff_practical``).
"""
from django.urls import path
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from kernel.admin_policies import ActionsOnlyPermissionPolicy

from . import admin_revocation, admin_views
from .models import Certificate, CodeOfConduct, Programme


class ProgrammeViewSet(SnippetViewSet):
    model = Programme
    icon = "tasks"
    menu_label = "Programmes"
    list_display = ["title", "active", "validity_months"]
    list_filter = ["active"]
    search_fields = ["title"]


class CodeOfConductViewSet(SnippetViewSet):
    model = CodeOfConduct
    icon = "doc-full"
    menu_label = "Codes of conduct"
    list_display = ["title", "version", "published_at"]
    search_fields = ["title", "version"]


class CertificatePermissionPolicy(ActionsOnlyPermissionPolicy):
    """Staff may list and inspect (``view_certificate``, or the right to revoke); nobody
    adds, edits or deletes certificates through the admin."""

    also_view = (admin_views.REVOKE_PERMISSION,)


register_permission_policy(Certificate, CertificatePermissionPolicy(Certificate))


class CertificateViewSet(ModelViewSet):
    model = Certificate
    # A record, not content: kept out of Wagtail's reference index, as payments' orders are.
    add_to_reference_index = False
    name = "certificates"
    url_namespace = "certificate_admin"
    icon = "success"
    menu_label = "Certificates"
    index_view_class = admin_views.CertificateIndexView
    inspect_view_class = admin_views.CertificateInspectView
    filterset_class = admin_views.CertificateFilterSet
    search_fields = ["code", "holder__email"]  # see CertificateIndexView.search_queryset
    ordering = ["-issued_at"]
    inspect_view_enabled = True
    copy_view_enabled = False
    # Never shown (add and edit are refused by the policy) but required by ModelViewSet.
    form_fields = ["holder_name"]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("revoke/<int:pk>/", admin_revocation.RevokeView.as_view(), name="revoke"),
            path("reinstate/<int:pk>/", admin_revocation.ReinstateView.as_view(), name="reinstate"),
        ]


class SignoffMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.SIGNOFF_PERMISSION)


class PracticalSignoffViewSet(ViewSet):
    name = "practical-signoffs"
    url_namespace = "certification_signoffs"
    icon = "tick-inverse"
    menu_label = "Practical sign-offs"
    menu_item_class = SignoffMenuItem

    def get_urlpatterns(self):
        return [path("", admin_views.PracticalSignoffView.as_view(), name="index")]


class CertificationGroup(SnippetViewSetGroup):
    menu_label = "Certification"
    menu_icon = "success"
    menu_order = 270
    items = (ProgrammeViewSet, CodeOfConductViewSet, CertificateViewSet, PracticalSignoffViewSet)


register_snippet(CertificationGroup)
