"""Scholarship applications for staff: the queue (``permissions.VIEW_SCHOLARSHIPS``), one
application, and approve / decline (``permissions.DECIDE_SCHOLARSHIPS``)."""
from __future__ import annotations

from django.contrib import messages
from django.db.models import Field, QuerySet
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView

from kernel.admin_views import StaffFormView

from .. import money, permissions, selectors, services
from ..models import ScholarshipApplication
from .base import InspectView
from .forms import ScholarshipDecisionForm


class ScholarshipIndexView(IndexView):
    def get_base_queryset(self) -> QuerySet[ScholarshipApplication]:
        return super().get_base_queryset().select_related("user", "discount_code")

    @cached_property
    def columns(self) -> list[Column]:
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column("pk", label=_("Application"), accessor=lambda a: f"#{a.pk}", sort_key="pk", get_url=self.get_inspect_url),
            Column("learner", label=_("Learner"), accessor=lambda a: a.user.email),
            Column("course_title", label=_("Course"), sort_key="course_title"),
            Column("can_pay", label=_("Can pay"), accessor=lambda a: a.display("can_pay")),
            Column("fee", label=_("Fee"), accessor=lambda a: a.display("fee")),
            StatusTagColumn("status", label=_("Status"), accessor="get_status_display", sort_key="status",
                            primary=lambda a: a.status == ScholarshipApplication.Status.OPEN),
            DateColumn("created_at", label=_("Received"), sort_key="created_at"),
        ]


class ScholarshipInspectView(InspectView):
    template_name = "payments/admin/scholarship_inspect.html"
    labels = {
        "status": _("Status"), "learner": _("Learner"), "course_title": _("Course"), "fee": _("Fee when applying"),
        "can_pay": _("Can pay"), "covered": _("Scholarship would cover"), "reason": _("Why they applied"),
        "created_at": _("Received"), "received_email_sent_at": _("Confirmation emailed"),
        "decided_at": _("Decided or closed"), "decided_by": _("Decided by"), "closed_reason": _("Closed because they got a place"),
        "decision_note": _("Note to the learner"), "discount_code": _("Code"), "email_sent_at": _("Decision emailed"),
    }
    select_related = ("user", "course", "discount_code", "decided_by")

    def get_field_display_value(self, field_name: str, field: Field | None) -> object:
        app = self.object
        if field_name in ("fee", "can_pay", "covered"):
            return money.display(getattr(app, field_name), app.currency)
        if field_name == "learner":
            return app.user.email
        if field_name == "discount_code":
            if not app.discount_code:
                return "-"
            return gettext("%(code)s (%(description)s, single use)") % {
                "code": app.discount_code.code, "description": app.discount_code.describe(),
            }
        if field_name == "decided_by":
            return app.decided_by.email if app.decided_by else "-"
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs: object) -> dict:
        context = super().get_context_data(**kwargs)
        context["can_decide"] = (
            self.request.user.has_perm(permissions.DECIDE_SCHOLARSHIPS)
            and self.object.status == ScholarshipApplication.Status.OPEN
        )
        context["decide_url"] = reverse("payments_scholarships:decide", args=[self.object.pk])
        context["form"] = ScholarshipDecisionForm()
        context["code_days"] = selectors.scholarship_code_days()
        return context


class ScholarshipDecideView(StaffFormView):
    """POST only: approve (code + email) or decline (email). Repeating does nothing more."""

    form_class = ScholarshipDecisionForm
    http_method_names = ["post"]
    permission_required = permissions.DECIDE_SCHOLARSHIPS

    @cached_property
    def app(self) -> ScholarshipApplication:
        return get_object_or_404(ScholarshipApplication, pk=self.kwargs["pk"])

    def _back(self) -> HttpResponseRedirect:
        return redirect("payments_scholarships:inspect", self.app.pk)

    def form_invalid(self, form: ScholarshipDecisionForm) -> HttpResponseRedirect:
        messages.error(self.request, gettext("Choose approve or decline (and keep the note under 1000 characters)."))
        return self._back()

    def form_valid(self, form: ScholarshipDecisionForm) -> HttpResponseRedirect:
        data = form.cleaned_data
        decide = services.scholarship_approve if data["decision"] == "approve" else services.scholarship_decline
        try:
            app, decided = decide(application_id=self.app.pk, by=self.request.user, note=data["note"])
        except services.PaymentError as error:
            messages.error(self.request, error.message)
            return self._back()
        if not decided:
            messages.warning(self.request, gettext("Application #%(number)s was already %(status)s: nothing changed.") % {
                "number": app.pk, "status": app.get_status_display().lower(),
            })
        elif app.status == ScholarshipApplication.Status.APPROVED:
            messages.success(self.request, gettext("Approved: code %(code)s is emailed to %(email)s.") % {
                "code": app.discount_code.code, "email": app.user.email,
            })
        else:
            messages.success(self.request, gettext("Declined: %(email)s is emailed.") % {"email": app.user.email})
        return self._back()
