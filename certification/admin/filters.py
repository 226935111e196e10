"""Filters of the certificate listing: by programme and by status now."""
import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from ..models import Certificate, Programme
from .display import STATUS_LABELS


class CertificateFilterSet(WagtailFilterSet):
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=Programme.objects.order_by("title"), empty_label=_("All programmes")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=list(STATUS_LABELS.items()), empty_label=_("Any status"), method="filter_status"
    )

    class Meta:
        model = Certificate
        fields = ["programme", "status"]

    def filter_status(self, queryset: QuerySet[Certificate], name: str, value: str) -> QuerySet[Certificate]:
        now = timezone.now()
        if value == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if value == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if value == "valid":
            return queryset.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now), revoked_at__isnull=True)
        return queryset
