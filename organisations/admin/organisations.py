"""The organisations listing and inspect page for staff, and the viewset that ties them.

- the listing (search by name; filters: partner, kind, country) with each organisation's
  active members and its seats used / held, counted in the listing's one query;
- the inspect page: members and roles, seat pools, the seat ledger, seat purchases with
  links to their payment orders, pending invitations, and who changed partner status.

Organisations are created by their managers on the site, never added, edited or deleted
here (the viewset is a ``kernel.admin_viewsets.RecordViewSet``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import registry as log_registry

from kernel.admin_views import LabelledInspectView, RecordIndexView, RowAction
from kernel.admin_viewsets import RecordViewSet
from payments.models import Order

from .. import permissions, selectors, services
from ..models import Organisation
from .filters import OrganisationFilterSet

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User

    from ..models import SeatPurchase


def can_view(user: User) -> bool:
    """Listing and inspect: ``view_organisation``, or the right to change one or grant seats."""
    return user.is_active and any(user.has_perm(p) for p in permissions.SEE)


def can_refund_seats(user: User, purchase: SeatPurchase) -> bool:
    """Whether staff may refund some of the purchase's seats now (the refund page's button)."""
    order = purchase.order
    return (
        user.has_perm(permissions.REFUND_ORDER)
        and order.status in (*Order.HOLDS_PLACE, Order.Status.NEEDS_ATTENTION)
        and selectors.refundable_seats(purchase) > 0
    )


def person(user: User | None) -> str:
    """How staff see a person here: the name on their certificates and their email."""
    if user is None:
        return "-"
    name = (user.certificate_name or user.get_full_name() or "").strip()
    return f"{name} <{user.email}>" if name and name != user.email else user.email


def may_grant_seats(user: User, organisation: Organisation) -> bool:
    return user.has_perm(permissions.GRANT_SEATS)


class OrganisationIndexView(RecordIndexView):
    """Organisations by name, with members and seats; search by name; filters."""

    row_actions = (RowAction(_("Grant seats"), "organisations_admin:grant", "plus", may_grant_seats),)

    def get_base_queryset(self) -> QuerySet[Organisation]:
        return selectors.organisations_with_counts()

    @cached_property
    def columns(self) -> list[Column]:
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column("name", label=_("Organisation"), sort_key="name", get_url=self.get_inspect_url),
            Column("kind", label=_("Kind"), accessor="get_kind_display", sort_key="kind"),
            Column("country", label=_("Country"), accessor=lambda o: o.country.name, sort_key="country"),
            StatusTagColumn(
                "is_partner", label=_("Partner"), accessor=lambda o: gettext("Partner") if o.is_partner else gettext("Not a partner"),
                sort_key="is_partner", primary=lambda o: o.is_partner,
            ),
            Column("member_count", label=_("Members"), sort_key="member_count"),
            Column("seats", label=_("Seats used / held"), accessor=lambda o: f"{o.seats_used} / {o.seats_total}",
                   sort_key="seats_total"),
            DateColumn("created_at", label=_("Created"), sort_key="created_at"),
        ]


class OrganisationInspectView(LabelledInspectView):
    template_name = "organisations/admin/organisation_inspect.html"
    labels = {
        "name": _("Name"), "kind": _("Kind of organisation"), "country": _("Country"), "billing_email": _("Billing email"),
        "is_partner": _("Partner organisation"), "created_by": _("Created by"), "created_at": _("Created"),
    }
    select_related = ("created_by",)

    def get_field_display_value(self, field_name: str, field: object) -> object:
        org = self.object
        if field_name == "kind":
            return org.get_kind_display()
        if field_name == "country":
            return org.country.name
        if field_name == "is_partner":
            if org.is_partner:
                return gettext("Yes: its members may take partners-only courses and modules")
            return gettext("No")
        if field_name == "created_by":
            return person(org.created_by)
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs: object) -> dict:
        context = super().get_context_data(**kwargs)
        org, user = self.object, self.request.user
        purchases = list(selectors.seat_purchases(org))
        pools = {pool.pk: pool for pool in selectors.all_seat_pools(org)}
        for purchase in purchases:
            purchase.pool = pools[purchase.pool_id]  # the same rows as the pools table: free seats agree
            purchase.refundable = selectors.refundable_seats(purchase)
            purchase.refund_url = (
                reverse("organisations_admin:refund_seats", args=[purchase.order_id])
                if can_refund_seats(user, purchase) else ""
            )
            purchase.order_url = reverse("payments_orders:inspect", args=[purchase.order_id])
        members = list(selectors.members_of(org))
        context.update(
            members=members, active_members=sum(1 for m in members if m.left_at is None),
            pools=sorted(pools.values(), key=lambda p: p.course.title), purchases=purchases,
            changes=list(selectors.seat_changes(org)),
            invitations=selectors.pending_invitations(org).order_by("expires_at"),
            partner_history=log_registry.get_logs_for_instance(org)
            .filter(action__in=[services.PARTNER_ON, services.PARTNER_OFF])
            .select_related("user").order_by("-timestamp"),
            can_grant=user.has_perm(permissions.GRANT_SEATS),
        )
        return context

    @cached_property
    def header_buttons(self) -> list[HeaderButton]:
        user, org = self.request.user, self.object
        buttons = []
        if user.has_perm(permissions.GRANT_SEATS):
            buttons.append(HeaderButton(_("Grant seats"), url=reverse("organisations_admin:grant", args=[org.pk]), icon_name="plus"))
        if user.has_perm(permissions.CHANGE):
            label = _("Remove partner status") if org.is_partner else _("Mark as partner")
            buttons.append(HeaderButton(label, url=reverse("organisations_admin:partner", args=[org.pk]), icon_name="pick"))
        return buttons


class OrganisationViewSet(RecordViewSet):
    """One "Organisations" menu item for staff who may view them (``view_organisation``, or
    the right to change one or grant seats); the listing and inspect page. Organisations
    change only through the actions, never through the admin's generic forms. Its URLs are
    served by ``admin/urls.py`` together with the staff actions."""

    model = Organisation
    also_view = (permissions.CHANGE, permissions.GRANT_SEATS)
    name = "organisations"
    url_namespace = "organisations_admin"
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 285
    add_to_admin_menu = True
    index_view_class = OrganisationIndexView
    inspect_view_class = OrganisationInspectView
    filterset_class = OrganisationFilterSet
    search_fields = ["name"]
    ordering = ["name"]


organisations_viewset = OrganisationViewSet()
