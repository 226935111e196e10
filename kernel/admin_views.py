"""Building blocks for staff pages in the Wagtail admin, shared by the apps."""
from __future__ import annotations

from django.db.models import Model, QuerySet
from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404
from wagtail.admin.views.generic import InspectView


class LabelledInspectView(InspectView):
    """An inspect page that shows exactly the fields named in ``labels``, in that order,
    with those labels (plain words for staff, not the model's verbose names), reading the
    record with ``select_related`` so that its related names cost no further query.

    Subclasses set ``labels`` and ``select_related``; they may override
    ``get_field_label`` or ``get_field_display_value`` for fields shown differently.
    """

    labels: dict[str, str] = {}
    select_related: tuple[str, ...] = ()

    def get_object(self, queryset: QuerySet | None = None) -> Model:
        return get_object_or_404(self.model.objects.select_related(*self.select_related), pk=unquote(str(self.pk)))

    def get_fields(self) -> list[str]:
        return list(self.labels)

    def get_field_label(self, field_name: str, field) -> str:
        return self.labels[field_name]
