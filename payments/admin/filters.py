"""Filters of the Orders listing (the same courses as the Revenue page's filter)."""
from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from courses.models import CoursePage

from .. import selectors
from ..models import Order


def _courses(request: HttpRequest | None) -> QuerySet[CoursePage]:
    return selectors.courses_with_orders()


class OrderFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=Order.Status.choices, label=_("Status"))
    course = django_filters.ModelChoiceFilter(queryset=_courses, label=_("Course"))
    created_at = django_filters.DateFromToRangeFilter(label=_("Ordered between"), widget=DateRangePickerWidget)
    paid_at = django_filters.DateFromToRangeFilter(label=_("Paid between"), widget=DateRangePickerWidget)

    class Meta:
        model = Order
        fields = ["status", "course", "created_at", "paid_at"]
