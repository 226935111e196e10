"""What payments' staff pages share."""
from __future__ import annotations

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Field
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from kernel.admin_views import LabelledInspectView


class StaffPageMixin(PermissionRequiredMixin, WagtailAdminTemplateMixin):
    """A page in the admin's frame. The permission (``permission_required``, or
    ``has_permission``) is checked in ``dispatch``, before the method handler: a refused
    POST does nothing, and nothing is loaded for people without it (403, not a redirect to
    sign in)."""

    raise_exception = True


class StaffFormView(StaffPageMixin, FormView):
    """A form page in the admin's frame (see ``StaffPageMixin``)."""


class InspectView(LabelledInspectView):
    """An inspect page of labelled fields where a field with no value shows "-"."""

    def get_field_display_value(self, field_name: str, field: Field | None) -> object:
        value = getattr(self.object, field_name, None)
        if value in (None, ""):
            return "-"
        return super().get_field_display_value(field_name, field)
