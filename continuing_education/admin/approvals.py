"""Accrediting bodies and the network's approvals as snippets, in the "Continuing education"
menu. Staff with the model permissions (the "CE staff" group) add and edit them; the
approval's form keeps the rules of its courses' CE hours (``approval_form``).

The approvals listing shows each one's body, provider number, period and state (current,
lapses in N days, lapsed), and filters by state, so the ones lapsing soon are found at once.
"""
from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from ..models import AccreditingBody, Approval
from ..selectors.approvals import CURRENT, LAPSED, LAPSING, NOT_YET, approval_state, ids_in_state
from .approval_form import ApprovalAdminForm
from .display import approval_state_label, day

STATE_CHOICES = [
    (CURRENT, _("Current")), (LAPSING, _("Lapsing soon")), (LAPSED, _("Lapsed")), (NOT_YET, _("Not yet in force")),
]


class AccreditingBodyViewSet(SnippetViewSet):
    model = AccreditingBody
    icon = "group"
    menu_label = _("Accrediting bodies")
    list_display = ["name", "short_name", "website"]
    search_fields = ["name", "short_name"]


class ApprovalFilterSet(WagtailFilterSet):
    body = django_filters.ModelChoiceFilter(
        label=_("Accrediting body"), queryset=AccreditingBody.objects.order_by("name"), empty_label=_("All bodies")
    )
    state = django_filters.ChoiceFilter(label=_("State"), choices=STATE_CHOICES, empty_label=_("Any state"), method="filter_state")

    class Meta:
        model = Approval
        fields = ["body", "state"]

    def filter_state(self, queryset: QuerySet[Approval], name: str, value: str) -> QuerySet[Approval]:
        return queryset.filter(pk__in=ids_in_state(value)) if value else queryset


def _period(approval: Approval) -> str:
    return f"{day(approval.approved_from)} – {day(approval.approved_until)}"


class ApprovalViewSet(SnippetViewSet):
    model = Approval
    icon = "doc-full-inverse"
    menu_label = _("CE approvals")
    filterset_class = ApprovalFilterSet
    search_fields = ["provider_number", "body__name"]
    edit_handler = ObjectList(Approval.panels, base_form_class=ApprovalAdminForm)
    list_display = [
        "body",  # the first column links to the approval's edit page
        Column("provider_number", label=_("Provider number"), sort_key="provider_number"),
        Column("period", label=_("Approval period"), accessor=_period, sort_key="approved_until"),
        StatusTagColumn(
            "state", label=_("State"), accessor=approval_state_label,
            primary=lambda approval: approval_state(approval).kind == CURRENT,
        ),
    ]

    def get_queryset(self, request) -> QuerySet[Approval]:
        return Approval.objects.select_related("body")
