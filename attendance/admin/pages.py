"""The staff's two pages about slips: the counts (per month, meeting kind and region, with
a CSV of every count) and the slip settings. Nothing else about slips is shown to staff:
no slip, no code, no meeting's participants."""
from __future__ import annotations

from collections.abc import Iterator

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from kernel.admin_views import StaffFormView, StaffPageMixin
from kernel.spreadsheets import csv_stream

from .. import permissions, selectors
from ..models import AttendancePolicy, Meeting

COUNTS_HEADER = [_("Month"), _("Kind of meeting"), _("Country"), _("Slips")]


def _kind(value: str) -> str:
    return str(Meeting.Kind(value).label) if value in Meeting.Kind.values else value


def counts_csv_rows() -> Iterator[list]:
    for count in selectors.slip_count_rows():
        yield [count.month.strftime("%Y-%m"), _kind(count.meeting_kind), count.country.name or "", count.slips]


class SlipCountsView(StaffPageMixin, TemplateView):
    template_name = "attendance/admin/counts.html"
    page_title = _("Attendance slips")
    header_icon = "list-ul"

    def has_permission(self) -> bool:
        return permissions.can_view_counts(self.request.user)

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.GET.get("export") == "csv":
            response = StreamingHttpResponse(csv_stream(COUNTS_HEADER, counts_csv_rows()), content_type="text/csv")
            response["Content-Disposition"] = 'attachment; filename="attendance-slips.csv"'
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: object) -> dict:
        from django_countries import countries

        context = super().get_context_data(**kwargs)
        context.update(
            by_month=selectors.slip_counts_by_month(),
            by_kind=[{"label": _kind(r["meeting_kind"]), "total": r["total"]} for r in selectors.slip_counts_by("meeting_kind")],
            by_country=[
                {"label": countries.name(r["country"]) if r["country"] else _("No country given"), "total": r["total"]}
                for r in selectors.slip_counts_by("country")
            ],
            export_url=reverse("attendance_admin:counts") + "?export=csv",
            policy=AttendancePolicy.current(),
            can_change_policy=permissions.can_change_policy(self.request.user),
            policy_url=reverse("attendance_admin:policy"),
        )
        return context


class PolicyForm(forms.ModelForm):
    class Meta:
        model = AttendancePolicy
        fields = ["retention_months", "request_window_minutes"]


class PolicyView(StaffFormView):
    template_name = "attendance/admin/policy.html"
    page_title = _("Attendance slip settings")
    header_icon = "cog"
    form_class = PolicyForm
    success_url = reverse_lazy("attendance_admin:counts")

    def has_permission(self) -> bool:
        return permissions.can_change_policy(self.request.user)

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "instance": AttendancePolicy.current()}

    def form_valid(self, form: PolicyForm) -> HttpResponse:
        form.save()
        messages.success(self.request, _("The attendance slip settings were saved. They apply to slips issued from now on."))
        return super().form_valid(form)
