"""The admin dashboard's panel of CE approvals lapsing soon (within their first warning),
for staff who may see approvals or manage CE certificates; nothing when none lapses."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from wagtail.admin.ui.components import Component

from .. import permissions
from ..selectors.approvals import LAPSING, approvals_lapsing_soon
from .display import day, state_text


class LapsingApprovalsPanel(Component):
    name = "ce_approvals_lapsing"
    template_name = "continuing_education/admin/home_lapsing_panel.html"
    order = 120  # near the top: an approval that lapses stops CE certificates

    def __init__(self, rows: list[dict]) -> None:
        self.rows = rows

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
        return {"rows": self.rows, "listing_url": reverse("wagtailsnippets_continuing_education_approval:list") + f"?state={LAPSING}"}


def may_see(user) -> bool:
    return user.has_perm(permissions.MANAGE) or user.has_perm(permissions.VIEW_APPROVALS)


def lapsing_panel(request) -> LapsingApprovalsPanel | None:
    if not may_see(request.user):
        return None
    rows = [
        {
            "approval": approval, "state": state_text(state), "until": day(approval.approved_until),
            "url": reverse("wagtailsnippets_continuing_education_approval:edit", args=[approval.pk]),
        }
        for approval, state in approvals_lapsing_soon()
    ]
    return LapsingApprovalsPanel(rows) if rows else None
