"""The CE certificate listing and its inspect page (with the certificate's full history).

Thin views: parse, authorise, render. Staff list and inspect with ``view_cecertificate`` or
the right to manage CE certificates (``wagtail_hooks.CECertificateViewSet``); Wagtail's
admin URLs wrap every view in its sign-in and admin-access check, and in the staff
member's language and time zone.
"""
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy, pgettext, pgettext_lazy
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.widgets import HeaderButton

from accounts.models import User
from certification import codes
from kernel.admin_views import LabelledInspectView, RecordIndexView, RowAction

from .. import permissions
from ..models import CECertificate
from ..selectors.certificates import ce_certificates_for_staff
from .display import STATUS_LABELS, day, event_summary, hours_text, moment, person, time_on_task


def may_revoke(user: User, certificate: CECertificate) -> bool:
    return certificate.revoked_at is None and user.has_perm(permissions.MANAGE)


class CECertificateIndexView(RecordIndexView):
    """CE certificates, latest completion first; search by code (typed any way), the
    holder's email or name, or the licence number."""

    row_actions = (RowAction(gettext_lazy("Revoke"), "ce_certificates:revoke", "warning", may_revoke),)

    def get_base_queryset(self) -> QuerySet[CECertificate]:
        return ce_certificates_for_staff()

    def search_queryset(self, queryset: QuerySet[CECertificate]) -> QuerySet[CECertificate]:
        if not self.is_searching:
            return queryset
        query = self.search_query.strip()
        match = Q(holder__email__icontains=query) | Q(holder_name__icontains=query) | Q(licence_number__iexact=query)
        if code := codes.normalise(query):
            match |= Q(code=code)
        elif len(query) >= 4:
            match |= Q(code__icontains="".join(query.split()).replace("-", "").upper())
        return queryset.filter(match)

    @cached_property
    def header_buttons(self) -> list[HeaderButton]:
        buttons = list(super().header_buttons)
        buttons.append(HeaderButton(gettext("CE report per body and period"), url=reverse("ce_admin:report"), icon_name="table"))
        if self.request.user.has_perm(permissions.MANAGE):
            buttons.append(HeaderButton(gettext("Grant partial credit"), url=reverse("ce_admin:partial"), icon_name="plus"))
        return buttons

    @cached_property
    def columns(self) -> list[Column]:
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column(
                "code", label=pgettext("certificate code", "Code"), accessor="display_code", sort_key="code",
                get_url=self.get_inspect_url,
            ),
            Column("holder_name", label=gettext("Holder"), sort_key="holder_name"),
            Column("course_title", label=gettext("Course"), sort_key="course_title"),
            Column("body", label=gettext("Accrediting body"), accessor=lambda c: f"{c.body_name} {c.provider_number}"),
            Column("hours", label=gettext("CE hours"), sort_key="hours", accessor=lambda c: hours_text(c.hours)),
            Column("completed_at", label=gettext("Completed"), sort_key="completed_at", accessor=lambda c: day(c.completed_at)),
            StatusTagColumn(
                "status", label=gettext("Status"), accessor=lambda c: STATUS_LABELS[c.status()],
                primary=lambda c: c.status() == "valid",
            ),
        ]


class CECertificateInspectView(LabelledInspectView):
    """Everything staff need about one CE certificate, as issued, and its history underneath."""

    template_name = "continuing_education/admin/certificate_inspect.html"
    labels = {
        "code": pgettext_lazy("certificate code", "Code"), "status": gettext_lazy("Status"),
        "holder_name": gettext_lazy("Name printed"), "holder": gettext_lazy("Holder's account"),
        "licence": gettext_lazy("Licence printed"), "course_title": gettext_lazy("Course"),
        "hours": gettext_lazy("CE hours"), "body_name": gettext_lazy("Accrediting body"),
        "provider_number": gettext_lazy("Provider number"), "approval": gettext_lazy("Approval"),
        "statement": gettext_lazy("Approval statement printed"), "completed_at": gettext_lazy("Completed"),
        "issued_at": pgettext_lazy("certificate", "Issued"), "retain_until": gettext_lazy("Record kept until"),
        "time_on_task_seconds": gettext_lazy("Time on task when issued"), "partial": gettext_lazy("Partial credit"),
        "granted_by": gettext_lazy("Granted by"), "revision": gettext_lazy("Revision (goes up with each reissue)"),
        "revoked_at": pgettext_lazy("certificate", "Revoked"), "revoked_by": gettext_lazy("Revoked by"),
        "revocation_reason": gettext_lazy("Reason for revoking"), "revocation_note": gettext_lazy("Note"),
    }
    select_related = ("holder", "approval__body", "granted_by", "revoked_by")

    def get_context_data(self, **kwargs: object) -> dict:
        hidden = set()
        if self.object.revoked_at is None:
            hidden |= {"revoked_at", "revoked_by", "revocation_reason", "revocation_note"}
        if not self.object.partial:
            hidden.add("granted_by")
        self.fields = [f for f in self.fields if f not in hidden]
        context = super().get_context_data(**kwargs)
        context["events"] = [
            {"event": event, "summary": event_summary(event), "actor": person(event.actor) if event.actor_id else gettext("System")}
            for event in self.object.events.select_related("actor")
        ]
        return context

    def get_code_display_value(self) -> str:
        return self.object.display_code

    def get_status_display_value(self) -> str:
        return str(STATUS_LABELS[self.object.status()])

    def get_holder_display_value(self) -> str:
        return person(self.object.holder)

    def get_licence_display_value(self) -> str:
        c = self.object
        return gettext("%(profession)s, %(board)s (%(region)s), licence %(number)s") % {
            "profession": c.profession, "board": c.issuing_board, "region": c.licence_region, "number": c.licence_number,
        }

    def get_hours_display_value(self) -> str:
        return hours_text(self.object.hours)

    def get_approval_display_value(self) -> str:
        return str(self.object.approval)

    def get_completed_at_display_value(self) -> str:
        return moment(self.object.completed_at)

    def get_issued_at_display_value(self) -> str:
        return moment(self.object.issued_at)

    def get_retain_until_display_value(self) -> str:
        return day(self.object.retain_until)

    def get_time_on_task_seconds_display_value(self) -> str:
        return time_on_task(self.object.time_on_task_seconds)

    def get_partial_display_value(self) -> str:
        if not self.object.partial:
            return gettext("No: the full hours, every rule met")
        return gettext("Yes. Reason: %(reason)s") % {"reason": self.object.partial_reason}

    def get_granted_by_display_value(self) -> str:
        return person(self.object.granted_by)

    def get_revoked_at_display_value(self) -> str:
        return moment(self.object.revoked_at)

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
        if self.request.user.has_perm(permissions.MANAGE):
            pk = self.object.pk
            if self.object.revoked_at is None:
                buttons.append(HeaderButton(gettext("Reissue"), url=reverse("ce_certificates:reissue", args=[pk]), icon_name="rotate"))
                buttons.append(HeaderButton(gettext("Revoke"), url=reverse("ce_certificates:revoke", args=[pk]), icon_name="warning"))
            else:
                buttons.append(HeaderButton(gettext("Reinstate"), url=reverse("ce_certificates:reinstate", args=[pk]), icon_name="rotate"))
        return buttons
