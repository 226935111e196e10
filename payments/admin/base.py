"""What payments' staff pages share (the admin's form pages are ``kernel.admin_views``')."""
from __future__ import annotations

from django.db.models import Field

from kernel.admin_views import LabelledInspectView


class InspectView(LabelledInspectView):
    """An inspect page of labelled fields where a field with no value shows "-"."""

    def get_field_display_value(self, field_name: str, field: Field | None) -> object:
        value = getattr(self.object, field_name, None)
        if value in (None, ""):
            return "-"
        return super().get_field_display_value(field_name, field)
