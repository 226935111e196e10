"""Building blocks for staff pages in the Wagtail admin, shared by the apps."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.admin.utils import unquote
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.views.generic import FormView
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser


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
        records = self.model.objects.all()
        if self.select_related:  # select_related() with no names would follow every foreign key
            records = records.select_related(*self.select_related)
        return get_object_or_404(records, pk=unquote(str(self.pk)))

    def get_fields(self) -> list[str]:
        return list(self.labels)

    def get_field_label(self, field_name: str, field) -> str:
        return self.labels[field_name]


@dataclass(frozen=True)
class RowAction:
    """An action a listing offers in each row's "More" menu, to the staff who may take it
    on that record (``allowed(user, record)``): a link to the URL named ``url_name`` with
    the record's pk."""

    label: str
    url_name: str
    icon: str
    allowed: Callable[[AbstractUser, Model], bool]


class RecordIndexView(IndexView):
    """A listing of records whose rows' "More" menus also offer ``row_actions``, each where
    the person may take it on that row's record."""

    row_actions: tuple[RowAction, ...] = ()

    def get_list_more_buttons(self, instance: Model) -> list[MenuItem]:
        buttons = super().get_list_more_buttons(instance)
        user = self.request.user
        return buttons + [
            MenuItem(action.label, url=reverse(action.url_name, args=[instance.pk]), icon_name=action.icon, priority=40)
            for action in self.row_actions
            if action.allowed(user, instance)
        ]


class StaffPageMixin(PermissionRequiredMixin, WagtailAdminTemplateMixin):
    """A page in the admin's frame. The permission (``permission_required``, or
    ``has_permission``) is checked in ``dispatch``, before the method handler: a refused
    POST does nothing, and nothing is loaded for people without it (403, which Wagtail's
    admin wrapper turns into its "no permission" redirect)."""

    raise_exception = True


class StaffFormView(StaffPageMixin, FormView):
    """A form page in the admin's frame (see ``StaffPageMixin``)."""


class RecordActionView(StaffFormView):
    """A staff action on one record: a form page under the record's inspect page in its
    viewset (``namespace``: the viewset's ``url_namespace``).

    The record (``model`` by the ``pk`` in the URL, read with ``select_related``) is loaded
    at first use, after the permission check; a record that does not exist is a 404. The
    template has it as ``context_name`` (and the inspect page's address as ``inspect_url``).
    ``record_title()`` names it in the page's subtitle and the breadcrumbs (listing, record,
    then ``action_label``, by default the page's title), as Wagtail's own pages do.
    """

    model: type[Model]
    select_related: tuple[str, ...] = ()
    namespace: str
    context_name: str
    action_label: str = ""

    @cached_property
    def record(self) -> Model:
        records = self.model._default_manager.all()
        if self.select_related:  # select_related() with no names would follow every foreign key
            records = records.select_related(*self.select_related)
        return get_object_or_404(records, pk=self.kwargs["pk"])

    def record_title(self) -> str:
        return str(self.record)

    def get_page_subtitle(self) -> str:
        return self.record_title()

    def inspect_url(self) -> str:
        return reverse(f"{self.namespace}:inspect", args=[self.record.pk])

    def get_breadcrumbs_items(self) -> list[dict]:
        return self.breadcrumbs_items + [
            {"url": reverse(f"{self.namespace}:index"), "label": capfirst(self.model._meta.verbose_name_plural)},
            {"url": self.inspect_url(), "label": self.record_title()},
            {"url": "", "label": self.action_label or self.page_title},
        ]

    def get_context_data(self, **kwargs: object) -> dict:
        return super().get_context_data(**{self.context_name: self.record, "inspect_url": self.inspect_url(), **kwargs})
