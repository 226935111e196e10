"""The report "CE certificates per body and period": counts and total hours per approval
and month of completion, for the provider's renewal report; ``?export=csv``. Months and
days are the staff member's (the admin runs in their time zone)."""
from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView

from kernel.admin_views import StaffPageMixin
from kernel.spreadsheets import csv_stream

from .. import permissions
from ..selectors.certificates import ReportRow, ce_report, ce_report_totals
from .display import hours_text
from .forms import CEReportFilterForm


def report_csv_header() -> list[str]:
    return [
        gettext("Month"), gettext("Accrediting body"), gettext("Provider number"), gettext("Approved from"),
        gettext("Approved until"), gettext("CE certificates"), gettext("CE hours"), gettext("Of which partial credit"),
        gettext("Revoked (not counted)"),
    ]


def report_csv_rows(rows: list[ReportRow]) -> Iterator[list]:
    for r in rows:
        yield [r.month.strftime("%Y-%m"), r.body_name, r.provider_number, r.approved_from.isoformat(),
               r.approved_until.isoformat(), r.certificates, hours_text(r.hours), r.partial, r.revoked]


class CEReportView(StaffPageMixin, TemplateView):
    template_name = "continuing_education/admin/report.html"
    page_title = gettext_lazy("CE certificates per body and period")
    header_icon = "table"

    def has_permission(self) -> bool:
        user = self.request.user
        return user.has_perm(permissions.MANAGE) or user.has_perm(permissions.VIEW_CERTIFICATES)

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return self.breadcrumbs_items + [{"url": "", "label": gettext("CE certificates per body and period")}]

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        self.form = CEReportFilterForm(request.GET or None)
        # Figures for filters that could not be read would be every certificate's, shown
        # under filters that say otherwise: with an error, no figures and no CSV.
        self.filters_valid = not self.form.is_bound or self.form.is_valid()
        filters = {}
        if self.form.is_bound and self.filters_valid:
            data = self.form.cleaned_data
            filters = {
                "date_from": data["date_from"], "date_to": data["date_to"],
                "body_id": data["body"].pk if data["body"] else None,
                "approval_id": data["approval"].pk if data["approval"] else None,
            }
        self.rows = ce_report(**filters) if self.filters_valid else []
        if request.GET.get("export") == "csv" and self.filters_valid:
            response = StreamingHttpResponse(csv_stream(report_csv_header(), report_csv_rows(self.rows)), content_type="text/csv")
            response["Content-Disposition"] = 'attachment; filename="ce-certificates-per-body-and-period.csv"'
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: object) -> dict:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query["export"] = "csv"
        context.update(
            form=self.form, filters_valid=self.filters_valid,
            rows=[{"row": r, "hours": hours_text(r.hours)} for r in self.rows],
            totals=[{"total": t, "hours": hours_text(t.hours)} for t in ce_report_totals(self.rows)],
            export_url=f"{reverse('ce_admin:report')}?{query.urlencode()}",
            certificates_url=reverse("ce_certificates:index"),
        )
        return context
