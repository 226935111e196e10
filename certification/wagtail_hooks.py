"""Certification in the Wagtail admin, under one "Certification" menu:

- Programmes and Codes of conduct: snippets, edited by staff with the model permissions
  (the "Certification staff" and "Course publishers" groups, migration 0002).
- Certificates: read-only listing and inspect page with the certificate's history, and
  Revoke and Reinstate actions (``certification.revoke_certificate``). Certificates change
  only through the services (issue, reissue, renew, revoke, reinstate), never by editing rows.
- Practical sign-offs: record practical work for a learner
  (``certification.signoff_practical``).

The pages themselves are in ``admin/``; their URLs in ``admin/urls.py``.
"""
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from kernel.admin_viewsets import RecordViewSet

from . import permissions
from .admin import certificates, filters
from .admin.translations import TranslatedRecordForm
from .admin import urls as admin_urls
from .models import Certificate, CodeOfConduct, Programme


class ProgrammeViewSet(SnippetViewSet):
    model = Programme
    icon = "tasks"
    menu_label = _("Programmes")
    list_display = ["title", "active", "validity_months"]
    list_filter = ["active"]
    search_fields = ["title"]
    edit_handler = ObjectList(Programme.panels, base_form_class=TranslatedRecordForm)


class CodeOfConductViewSet(SnippetViewSet):
    model = CodeOfConduct
    icon = "doc-full"
    menu_label = _("Codes of conduct")
    list_display = ["title", "version", "published_at"]
    search_fields = ["title", "version"]
    edit_handler = ObjectList(CodeOfConduct.panels, base_form_class=TranslatedRecordForm)


class CertificateViewSet(RecordViewSet):
    """Staff may list and inspect (``view_certificate``, or the right to revoke); nobody
    adds, edits or deletes certificates through the admin."""

    model = Certificate
    also_view = (permissions.REVOKE,)
    action_urlpatterns = admin_urls.certificate_actions
    name = "certificates"
    url_namespace = "certificate_admin"
    icon = "success"
    menu_label = _("Certificates")
    index_view_class = certificates.CertificateIndexView
    inspect_view_class = certificates.CertificateInspectView
    filterset_class = filters.CertificateFilterSet
    search_fields = ["code", "holder__email"]  # see CertificateIndexView.search_queryset
    ordering = ["-issued_at"]


class SignoffMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(permissions.SIGNOFF)


class PracticalSignoffMenu(ViewSet):
    """The sign-off page's entry in the Certification menu (the page is served through
    ``register_admin_urls`` below, so this viewset has no URLs of its own)."""

    name = "practical-signoffs"
    icon = "tick-inverse"
    menu_label = _("Practical sign-offs")
    menu_item_class = SignoffMenuItem

    @cached_property
    def menu_url(self) -> str:
        return reverse("certification_signoffs:index")


class CertificationGroup(SnippetViewSetGroup):
    menu_label = _("Certification")
    menu_icon = "success"
    menu_order = 270
    items = (ProgrammeViewSet, CodeOfConductViewSet, CertificateViewSet, PracticalSignoffMenu)


register_snippet(CertificationGroup)


@hooks.register("register_admin_urls")
def register_certification_admin_urls() -> list[URLPattern | URLResolver]:
    return [path("practical-signoffs/", include(admin_urls))]
