"""Filters of the CE certificate listing: by accrediting body or approval, by the period in
which learners completed (days in the staff member's time zone), by course, and whether
revoked or granted as partial credit."""
import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from ..models import AccreditingBody, Approval, CECertificate
from ..selectors.credit import approved_courses

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class CECertificateFilterSet(WagtailFilterSet):
    body = django_filters.ModelChoiceFilter(
        label=_("Accrediting body"), field_name="approval__body", queryset=AccreditingBody.objects.order_by("name"),
        empty_label=_("All bodies"),
    )
    approval = django_filters.ModelChoiceFilter(
        label=_("Approval"), queryset=Approval.objects.select_related("body").order_by("body__name", "-approved_until"),
        empty_label=_("All approvals"),
    )
    completed_at = django_filters.DateFromToRangeFilter(label=_("Completed between"), widget=DateRangePickerWidget)
    course = django_filters.ModelChoiceFilter(
        label=_("Course"), queryset=lambda request: approved_courses(), empty_label=_("All courses")
    )
    revoked = django_filters.ChoiceFilter(label=_("Revoked"), choices=YES_NO, empty_label=_("Either"), method="filter_revoked")
    partial = django_filters.ChoiceFilter(
        label=_("Partial credit"), choices=YES_NO, empty_label=_("Either"), method="filter_partial"
    )

    class Meta:
        model = CECertificate
        fields = ["body", "approval", "completed_at", "course", "revoked", "partial"]

    def filter_revoked(self, queryset: QuerySet[CECertificate], name: str, value: str) -> QuerySet[CECertificate]:
        return queryset.filter(revoked_at__isnull=value != "yes") if value else queryset

    def filter_partial(self, queryset: QuerySet[CECertificate], name: str, value: str) -> QuerySet[CECertificate]:
        return queryset.filter(partial=value == "yes") if value else queryset
