"""The Revenue page: by course and month, each currency apart, donations apart; ``?export=csv``
(``permissions.can_view_orders``)."""
from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from kernel.admin_views import StaffPageMixin
from kernel.spreadsheets import csv_stream

from .. import permissions, selectors
from ..selectors import RevenueRow
from .forms import RevenueFilterForm

# Headers in the reader's language: the file is opened by people, in a spreadsheet.
REVENUE_HEADER = [
    _("Month"), _("Course"), _("Currency"), _("Orders"), _("Zero-amount orders"), _("Fees"), _("Discounts"),
    _("Refunds"), _("Net fees"), _("Donations"),
]


def revenue_csv_rows(rows: list[RevenueRow]) -> Iterator[list]:
    for r in rows:
        yield [r.month.strftime("%Y-%m"), r.course_title, r.currency, r.orders, r.zero_amount_orders,
               r.fees, r.discounts, r.refunds, r.net, r.donations]


class RevenueView(StaffPageMixin, TemplateView):
    """Revenue by course and month, in each currency apart, donations apart; ``?export=csv``."""

    template_name = "payments/admin/revenue.html"
    page_title = _("Revenue")
    header_icon = "form"

    def has_permission(self) -> bool:
        return permissions.can_view_orders(self.request.user)

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return self.breadcrumbs_items + [{"url": "", "label": _("Revenue")}]

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        self.form = RevenueFilterForm(request.GET or None)
        # Figures for filters that could not be read would be every order's, shown under
        # filters that say otherwise: with an error, staff get the error and no figures
        # (and no CSV), never misleading totals.
        self.filters_valid = not self.form.is_bound or self.form.is_valid()
        filters = {}
        if self.form.is_bound and self.filters_valid:
            data = self.form.cleaned_data
            filters = {"date_from": data["date_from"], "date_to": data["date_to"],
                       "course_id": data["course"].pk if data["course"] else None}
        self.rows = selectors.revenue(**filters) if self.filters_valid else []
        if request.GET.get("export") == "csv" and self.filters_valid:
            response = StreamingHttpResponse(
                csv_stream(REVENUE_HEADER, revenue_csv_rows(self.rows)), content_type="text/csv"
            )
            response["Content-Disposition"] = 'attachment; filename="revenue.csv"'
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: object) -> dict:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query["export"] = "csv"
        context.update(form=self.form, filters_valid=self.filters_valid, rows=self.rows,
                       totals=selectors.revenue_totals(self.rows),
                       export_url=f"{reverse('payments_admin:revenue')}?{query.urlencode()}",
                       orders_url=reverse("payments_orders:index"))
        return context
