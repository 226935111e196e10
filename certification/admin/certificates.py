"""The certificate listing and its inspect page (with the certificate's history).

Thin views: parse, authorise, render. Staff list and inspect with ``view_certificate`` or
the right to revoke (``wagtail_hooks.CertificateViewSet``); Wagtail's admin URLs wrap
every view in its sign-in and admin-access check.
"""
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy, pgettext, pgettext_lazy
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.widgets import HeaderButton

from accounts.models import User
from kernel.admin_views import LabelledInspectView, RecordIndexView, RowAction

from .. import codes, permissions
from ..models import Certificate
from .display import STATUS_LABELS, day, event_summary, moment, person


def may_revoke(user: User, certificate: Certificate) -> bool:
    return certificate.revoked_at is None and user.has_perm(permissions.REVOKE)


class CertificateIndexView(RecordIndexView):
    """Certificates, newest first; search by code (typed any way) or the holder's email."""

    row_actions = (RowAction(gettext_lazy("Revoke"), "certificate_admin:revoke", "warning", may_revoke),)

    def get_base_queryset(self) -> QuerySet[Certificate]:
        return super().get_base_queryset().select_related("programme", "holder")

    def search_queryset(self, queryset: QuerySet[Certificate]) -> QuerySet[Certificate]:
        if not self.is_searching:
            return queryset
        query = self.search_query.strip()
        match = Q(holder__email__icontains=query) | Q(holder_name__icontains=query)
        if code := codes.normalise(query):
            match |= Q(code=code)
        elif len(query) >= 4:
            fragment = "".join(query.split()).replace("-", "").upper()
            match |= Q(code__icontains=fragment)
        return queryset.filter(match)

    @cached_property
    def columns(self) -> list[Column]:
        title_column = self._get_title_column_class(TitleColumn)
        now = timezone.now()
        return [
            title_column(
                "code", label=pgettext("certificate code", "Code"), accessor="display_code", sort_key="code",
                get_url=self.get_inspect_url,
            ),
            Column("holder_name", label=gettext("Holder"), sort_key="holder_name"),
            Column("programme", label=gettext("Programme"), accessor="programme.title", sort_key="programme__title"),
            StatusTagColumn(
                "status", label=gettext("Status"), accessor=lambda c: STATUS_LABELS[c.status(now)],
                primary=lambda c: c.status(now) == "valid",
            ),
            Column("issued_at", label=pgettext("certificate", "Issued"), sort_key="issued_at", accessor=lambda c: day(c.issued_at)),
            Column(
                "expires_at", label=gettext("Expires"), sort_key="expires_at",
                accessor=lambda c: day(c.expires_at) or gettext("No expiry"),
            ),
        ]


class CertificateInspectView(LabelledInspectView):
    """Everything staff need about one certificate, and its history underneath."""

    template_name = "certification/admin/certificate_inspect.html"
    labels = {
        "code": pgettext_lazy("certificate code", "Code"), "holder_name": gettext_lazy("Name printed"),
        "holder": gettext_lazy("Holder's account"), "programme": gettext_lazy("Programme"),
        "period": gettext_lazy("Certification period"), "status": gettext_lazy("Status"),
        "issued_at": pgettext_lazy("certificate", "Issued"), "expires_at": gettext_lazy("Expires"),
        "revision": gettext_lazy("Revision (goes up with each reissue)"), "renews": gettext_lazy("Renews"),
        "renewed_by": gettext_lazy("Renewed by"), "revoked_at": pgettext_lazy("certificate", "Revoked"),
        "revoked_by": gettext_lazy("Revoked by"), "revocation_reason": gettext_lazy("Reason for revoking"),
        "revocation_note": gettext_lazy("Note"),
    }
    select_related = ("holder", "programme", "renewed_by", "revoked_by")

    def get_context_data(self, **kwargs: object) -> dict:
        # Revocation fields only once revoked.
        if self.object.revoked_at is None:
            self.fields = [f for f in self.fields if not f.startswith("revo")]
        context = super().get_context_data(**kwargs)
        context["events"] = [
            {"event": event, "summary": event_summary(event), "actor": person(event.actor) if event.actor_id else gettext("System")}
            for event in self.object.events.select_related("actor")
        ]
        context["verify_url"] = reverse("certification:verify", args=[self.object.code])
        return context

    def get_code_display_value(self) -> str:
        return self.object.display_code

    def get_holder_display_value(self) -> str:
        return person(self.object.holder)

    def get_status_display_value(self) -> str:
        return STATUS_LABELS[self.object.status()]

    def get_issued_at_display_value(self) -> str:
        return moment(self.object.issued_at)

    def get_expires_at_display_value(self) -> str:
        return moment(self.object.expires_at) or gettext("No expiry")

    def get_revoked_at_display_value(self) -> str:
        return moment(self.object.revoked_at)

    def get_renews_display_value(self) -> str:
        previous = Certificate.objects.filter(renewed_by=self.object).first()
        return previous.display_code if previous else "-"

    def get_renewed_by_display_value(self) -> str:
        return self.object.renewed_by.display_code if self.object.renewed_by else "-"

    def get_revoked_by_display_value(self) -> str:
        return person(self.object.revoked_by)

    def get_revocation_note_display_value(self) -> str:
        return self.object.revocation_note or "-"

    @cached_property
    def header_buttons(self) -> list[HeaderButton]:
        buttons = [
            HeaderButton(
                gettext("Public verification page"), url=reverse("certification:verify", args=[self.object.code]),
                icon_name="link-external",
            )
        ]
        if self.request.user.has_perm(permissions.REVOKE):
            if self.object.revoked_at is None:
                buttons.append(HeaderButton(gettext("Revoke"), url=reverse("certificate_admin:revoke", args=[self.object.pk]), icon_name="warning"))
            else:
                buttons.append(
                    HeaderButton(
                        gettext("Reinstate"), url=reverse("certificate_admin:reinstate", args=[self.object.pk]), icon_name="rotate"
                    )
                )
        return buttons
