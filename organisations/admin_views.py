"""Organisations in the Wagtail admin, for staff:

- the listing (search by name; filters: partner, kind, country) with each organisation's
  active members and its seats used / held, counted in the listing's one query;
- the inspect page: members and roles, seat pools, the seat ledger, seat purchases with
  links to their payment orders, pending invitations, and who changed partner status;
- marking or unmarking a partner organisation (``organisations.change_organisation``);
- granting seats by hand, or taking free ones back (``organisations.grant_seats``);
- refunding unused seats of a seat purchase through Stripe (``payments.refund_order``,
  the right to refund any order).

Thin views: parse, authorise in ``dispatch`` (a refused POST does nothing, and Wagtail's
admin wrapper turns the ``PermissionDenied`` into its "no permission" redirect), call a
service, render. Staff see members' names, emails and roles here, never their learning.
"""
import django_filters
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Case, Count, F, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView
from django_countries import countries
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import registry as log_registry

from courses.models import CoursePage
from payments import money
from payments.models import Order

from . import services
from .admin_forms import GrantSeatsForm, PartnerForm, RefundSeatsForm
from .models import Invitation, Membership, Organisation, SeatChange, SeatPool, SeatPurchase

VIEW_PERMISSION = "organisations.view_organisation"
CHANGE_PERMISSION = "organisations.change_organisation"
GRANT_PERMISSION = "organisations.grant_seats"
REFUND_PERMISSION = "payments.refund_order"

PARTNER_ON, PARTNER_OFF = services.PARTNER_ON, services.PARTNER_OFF
Role = Membership.Role


def can_view(user) -> bool:
    """Listing and inspect: ``view_organisation``, or the right to change one or grant seats."""
    return user.is_active and any(user.has_perm(p) for p in (VIEW_PERMISSION, CHANGE_PERMISSION, GRANT_PERMISSION))


def person(user) -> str:
    """How staff see a person here: the name on their certificates and their email."""
    if user is None:
        return "-"
    name = (user.certificate_name or user.get_full_name() or "").strip()
    return f"{name} <{user.email}>" if name and name != user.email else user.email


# --- reads -----------------------------------------------------------------------------------


def organisations_with_counts() -> QuerySet[Organisation]:
    """Organisations with ``member_count`` (active members), ``seats_used`` and
    ``seats_total`` (over all their pools), as subqueries of one query."""
    members = (
        Membership.objects.filter(organisation=OuterRef("pk"), left_at__isnull=True)
        .order_by().values("organisation").annotate(n=Count("pk")).values("n")
    )
    pools = SeatPool.objects.filter(organisation=OuterRef("pk")).order_by().values("organisation")
    zero = Value(0, output_field=IntegerField())
    return Organisation.objects.annotate(
        member_count=Coalesce(Subquery(members, output_field=IntegerField()), zero),
        seats_total=Coalesce(Subquery(pools.annotate(n=Sum("total")).values("n"), output_field=IntegerField()), zero),
        seats_used=Coalesce(Subquery(pools.annotate(n=Sum("used")).values("n"), output_field=IntegerField()), zero),
    )


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    """Everyone who is or was a member: active first, owners, managers, then staff."""
    rank = Case(When(role=Role.OWNER, then=0), When(role=Role.MANAGER, then=1), default=2, output_field=IntegerField())
    return (
        Membership.objects.filter(organisation=organisation).select_related("user")
        .order_by(F("left_at").asc(nulls_first=True), rank, "user__email")
    )


def seat_purchases(organisation: Organisation) -> QuerySet[SeatPurchase]:
    return (
        SeatPurchase.objects.filter(pool__organisation=organisation)
        .select_related("order", "pool__course").order_by("-order__created_at", "-pk")
    )


def ledger(organisation: Organisation) -> QuerySet[SeatChange]:
    return (
        SeatChange.objects.filter(pool__organisation=organisation)
        .select_related("pool__course", "by", "order").order_by("-created_at", "-pk")
    )


def refundable_seats(purchase: SeatPurchase) -> int:
    """Seats of a purchase that can be refunded now: not refunded yet, and free in the pool."""
    if purchase.order.paid_at is None or not purchase.order.stripe_payment_intent_id:
        return 0
    return max(min(purchase.quantity - purchase.refunded, purchase.pool.free), 0)


def can_refund_seats(user, purchase: SeatPurchase) -> bool:
    order = purchase.order
    return (
        user.has_perm(REFUND_PERMISSION)
        and order.status in (*Order.HOLDS_PLACE, Order.Status.NEEDS_ATTENTION)
        and refundable_seats(purchase) > 0
    )


def _countries_in_use():
    codes = Organisation.objects.order_by().values_list("country", flat=True).distinct()
    return sorted(((code, countries.name(code) or code) for code in codes), key=lambda c: c[1])


# --- listing and inspect -----------------------------------------------------------------------


class OrganisationFilterSet(WagtailFilterSet):
    is_partner = django_filters.BooleanFilter(label="Partner organisation")
    kind = django_filters.ChoiceFilter(choices=Organisation.Kind.choices, label="Kind of organisation")
    country = django_filters.ChoiceFilter(choices=_countries_in_use, label="Country")

    class Meta:
        model = Organisation
        fields = ["is_partner", "kind", "country"]


class OrganisationIndexView(IndexView):
    """Organisations by name, with members and seats; search by name; filters."""

    def get_base_queryset(self):
        return organisations_with_counts()

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column("name", label="Organisation", sort_key="name", get_url=self.get_inspect_url),
            Column("kind", label="Kind", accessor="get_kind_display", sort_key="kind"),
            Column("country", label="Country", accessor=lambda o: o.country.name, sort_key="country"),
            StatusTagColumn(
                "is_partner", label="Partner", accessor=lambda o: "Partner" if o.is_partner else "Not a partner",
                sort_key="is_partner", primary=lambda o: o.is_partner,
            ),
            Column("member_count", label="Members", sort_key="member_count"),
            Column("seats", label="Seats used / held", accessor=lambda o: f"{o.seats_used} / {o.seats_total}",
                   sort_key="seats_total"),
            DateColumn("created_at", label="Created", sort_key="created_at"),
        ]

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm(GRANT_PERMISSION):
            buttons.append(MenuItem(
                "Grant seats", url=reverse("organisations_admin:grant", args=[instance.pk]), icon_name="plus", priority=40,
            ))
        return buttons


class OrganisationInspectView(InspectView):
    template_name = "organisations/admin/organisation_inspect.html"
    labels = {
        "name": "Name", "kind": "Kind of organisation", "country": "Country", "billing_email": "Billing email",
        "is_partner": "Partner organisation", "created_by": "Created by", "created_at": "Created",
    }

    def get_object(self, queryset=None):
        return get_object_or_404(Organisation.objects.select_related("created_by"), pk=self.pk)

    def get_fields(self):
        return list(self.labels)

    def get_field_label(self, field_name, field):
        return self.labels[field_name]

    def get_field_display_value(self, field_name, field):
        org = self.object
        if field_name == "kind":
            return org.get_kind_display()
        if field_name == "country":
            return org.country.name
        if field_name == "is_partner":
            return "Yes: its members may take partners-only courses and modules" if org.is_partner else "No"
        if field_name == "created_by":
            return person(org.created_by)
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        org, user = self.object, self.request.user
        purchases = list(seat_purchases(org))
        pools = {pool.pk: pool for pool in SeatPool.objects.filter(organisation=org).select_related("course")}
        for purchase in purchases:
            purchase.pool = pools[purchase.pool_id]  # the same rows as the pools table: free seats agree
            purchase.refundable = refundable_seats(purchase)
            purchase.refund_url = (
                reverse("organisations_admin:refund_seats", args=[purchase.order_id])
                if can_refund_seats(user, purchase) else ""
            )
            purchase.order_url = reverse("payments_orders:inspect", args=[purchase.order_id])
        members = list(members_of(org))
        context.update(
            members=members, active_members=sum(1 for m in members if m.left_at is None),
            pools=sorted(pools.values(), key=lambda p: p.course.title), purchases=purchases,
            changes=list(ledger(org)),
            invitations=Invitation.objects.filter(organisation=org, status=Invitation.Status.PENDING)
            .select_related("course", "invited_by").order_by("expires_at"),
            partner_history=log_registry.get_logs_for_instance(org).filter(action__in=[PARTNER_ON, PARTNER_OFF])
            .select_related("user").order_by("-timestamp"),
            can_grant=user.has_perm(GRANT_PERMISSION),
        )
        return context

    @cached_property
    def header_buttons(self):
        user, org = self.request.user, self.object
        buttons = []
        if user.has_perm(GRANT_PERMISSION):
            buttons.append(HeaderButton("Grant seats", url=reverse("organisations_admin:grant", args=[org.pk]), icon_name="plus"))
        if user.has_perm(CHANGE_PERMISSION):
            label = "Remove partner status" if org.is_partner else "Mark as partner"
            buttons.append(HeaderButton(label, url=reverse("organisations_admin:partner", args=[org.pk]), icon_name="pick"))
        return buttons


# --- actions --------------------------------------------------------------------------------


class _OrganisationAction(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """A staff action on one organisation: permission checked in ``dispatch``, before the
    organisation is loaded or the form read."""

    raise_exception = True
    action_label = ""

    @cached_property
    def organisation(self) -> Organisation:
        return get_object_or_404(Organisation, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return self.organisation.name

    def inspect_url(self):
        return reverse("organisations_admin:inspect", args=[self.organisation.pk])

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("organisations_admin:index"), "label": "Organisations"},
            {"url": self.inspect_url(), "label": self.organisation.name},
            {"url": "", "label": self.action_label},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(organisation=self.organisation, inspect_url=self.inspect_url())
        return context


class PartnerView(_OrganisationAction):
    """Confirm, then mark (or unmark) the organisation as a partner."""

    template_name = "organisations/admin/partner.html"
    form_class = PartnerForm
    permission_required = CHANGE_PERMISSION
    page_title = "Partner status"
    header_icon = "pick"
    action_label = "Partner status"

    def get_initial(self):
        return {"is_partner": "0" if self.organisation.is_partner else "1"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["partner_courses"] = CoursePage.objects.live().filter(partners_only=True).order_by("title")
        return context

    def form_invalid(self, form):
        messages.error(self.request, "Choose whether the organisation is a partner.")
        return redirect(self.inspect_url())

    def form_valid(self, form):
        wanted = form.cleaned_data["is_partner"]
        organisation, changed = services.organisation_set_partner(
            organisation_id=self.organisation.pk, is_partner=wanted, by=self.request.user
        )
        if not changed:
            messages.info(self.request, f"{organisation.name} was already {'a' if wanted else 'not a'} partner: nothing changed.")
        elif wanted:
            messages.success(self.request, f"{organisation.name} is now a partner organisation.")
        else:
            messages.success(self.request, f"{organisation.name} is no longer a partner organisation.")
        return redirect(self.inspect_url())


class GrantSeatsView(_OrganisationAction):
    """Seats given by hand (with the invoice number or grant as the reason), or free seats
    taken back, through ``services.seats_grant``."""

    template_name = "organisations/admin/grant_seats.html"
    form_class = GrantSeatsForm
    permission_required = GRANT_PERMISSION
    page_title = "Grant seats"
    header_icon = "plus"
    action_label = "Grant seats"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisation": self.organisation}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pools"] = SeatPool.objects.filter(organisation=self.organisation).select_related("course").order_by("course__title")
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            pool = services.seats_grant(
                organisation_id=self.organisation.pk, course=data["course"], quantity=data["quantity"],
                by=self.request.user, note=data["note"],
            )
        except services.OrganisationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        n = abs(data["quantity"])
        seats = f"{n} seat{'s' if n != 1 else ''}"
        done = f"Granted {seats} on" if data["quantity"] > 0 else f"Took back {seats} on"
        messages.success(
            self.request,
            f"{done} {data['course'].title} for {self.organisation.name}: {pool.used} of {pool.total} now in use.",
        )
        return redirect(self.inspect_url())


class RefundSeatsView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """Refund unused seats of one seat purchase: seat price × seats back through Stripe,
    the seats out of the organisation's pool at once (``services.seats_refund``)."""

    template_name = "organisations/admin/refund_seats.html"
    form_class = RefundSeatsForm
    permission_required = REFUND_PERMISSION
    raise_exception = True
    page_title = "Refund unused seats"
    header_icon = "undo"

    @cached_property
    def purchase(self) -> SeatPurchase:
        return get_object_or_404(
            SeatPurchase.objects.select_related("order", "pool__course", "pool__organisation"),
            order_id=self.kwargs["order_id"], order__purpose=Order.Purpose.SEATS,
        )

    def get_page_subtitle(self):
        return self.purchase.order.reference

    def _back_url(self):
        if can_view(self.request.user):
            return reverse("organisations_admin:inspect", args=[self.purchase.pool.organisation_id])
        return reverse("payments_orders:inspect", args=[self.purchase.order_id])

    def get_breadcrumbs_items(self):
        organisation = self.purchase.pool.organisation
        return self.breadcrumbs_items + [
            {"url": reverse("organisations_admin:index"), "label": "Organisations"},
            {"url": reverse("organisations_admin:inspect", args=[organisation.pk]), "label": organisation.name},
            {"url": "", "label": f"Refund seats of {self.purchase.order.reference}"},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "most": refundable_seats(self.purchase)}

    def get_initial(self):
        return {"seats": refundable_seats(self.purchase) or None}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        purchase, order = self.purchase, self.purchase.order
        context.update(
            purchase=purchase, order=order, organisation=purchase.pool.organisation, pool=purchase.pool,
            most=refundable_seats(purchase), can_refund=can_refund_seats(self.request.user, purchase),
            seat_price=money.display(order.unit_amount, order.currency), back_url=self._back_url(),
            order_url=reverse("payments_orders:inspect", args=[order.pk]),
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            refund = services.seats_refund(
                order_id=self.purchase.order_id, seats=data["seats"], by=self.request.user, reason=data["reason"],
                note=data["note"],
            )
        except services.OrganisationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        n = data["seats"]
        messages.success(
            self.request,
            f"Refunded {n} seat{'s' if n != 1 else ''} ({money.display(refund.amount, refund.currency)}) on "
            f"{self.purchase.order.reference}: removed from {self.purchase.pool.organisation.name}'s seats on "
            f"{self.purchase.pool.course.title}.",
        )
        return redirect(self._back_url())
