"""Staff actions on organisations:

- marking or unmarking a partner organisation (``organisations.change_organisation``);
- granting seats by hand, or taking free ones back (``organisations.grant_seats``);
- refunding unused seats of a seat purchase through Stripe (``payments.refund_order``,
  the right to refund any order).

Thin views: parse, authorise in ``dispatch`` (a refused POST does nothing, and Wagtail's
admin wrapper turns the ``PermissionDenied`` into its "no permission" redirect), call a
service, render.
"""
from __future__ import annotations

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy as _, ngettext
from django.views.generic import FormView

from courses.models import CoursePage
from kernel.admin_views import RecordActionView, StaffFormView
from payments import money
from payments.models import Order

from .. import permissions, selectors, services
from ..models import Organisation, SeatPurchase
from .forms import GrantSeatsForm, PartnerForm, RefundSeatsForm
from .organisations import can_refund_seats, can_view


def refused(view: FormView, form: Form, error: services.OrganisationError) -> HttpResponse:
    """A refused service call: its message on the form, at the field it names."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
    return view.form_invalid(form)


class OrganisationActionView(RecordActionView):
    """A staff action on one organisation (its ``page_title`` ends the breadcrumbs)."""

    model = Organisation
    namespace = "organisations_admin"
    context_name = "organisation"

    def record_title(self) -> str:
        return self.record.name


class PartnerView(OrganisationActionView):
    """Confirm, then mark (or unmark) the organisation as a partner."""

    template_name = "organisations/admin/partner.html"
    form_class = PartnerForm
    permission_required = permissions.CHANGE
    page_title = _("Partner status")
    header_icon = "pick"

    def get_context_data(self, **kwargs: object) -> dict:
        context = super().get_context_data(**kwargs)
        context["partner_courses"] = CoursePage.objects.live().filter(partners_only=True).order_by("title")
        return context

    def form_invalid(self, form: Form) -> HttpResponse:
        messages.error(self.request, gettext("Choose whether the organisation is a partner."))
        return redirect(self.inspect_url())

    def form_valid(self, form: Form) -> HttpResponse:
        wanted = form.cleaned_data["is_partner"]
        organisation, changed = services.organisation_set_partner(
            organisation_id=self.record.pk, is_partner=wanted, by=self.request.user
        )
        if not changed:
            already = (
                gettext("%(organisation)s was already a partner: nothing changed.") if wanted
                else gettext("%(organisation)s was already not a partner: nothing changed.")
            )
            messages.info(self.request, already % {"organisation": organisation.name})
        elif wanted:
            messages.success(self.request, gettext("%(organisation)s is now a partner organisation.") % {"organisation": organisation.name})
        else:
            messages.success(
                self.request, gettext("%(organisation)s is no longer a partner organisation.") % {"organisation": organisation.name}
            )
        return redirect(self.inspect_url())


def _seats(n: int) -> str:
    return ngettext("%(count)s seat", "%(count)s seats", n) % {"count": n}


class GrantSeatsView(OrganisationActionView):
    """Seats given by hand (with the invoice number or grant as the reason), or free seats
    taken back, through ``services.seats_grant``."""

    template_name = "organisations/admin/grant_seats.html"
    form_class = GrantSeatsForm
    permission_required = permissions.GRANT_SEATS
    page_title = _("Grant seats")
    header_icon = "plus"

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "organisation": self.record}

    def get_context_data(self, **kwargs: object) -> dict:
        context = super().get_context_data(**kwargs)
        context["pools"] = selectors.all_seat_pools(self.record)
        return context

    def form_valid(self, form: Form) -> HttpResponse:
        data = form.cleaned_data
        try:
            pool = services.seats_grant(
                organisation_id=self.record.pk, course=data["course"], quantity=data["quantity"],
                by=self.request.user, note=data["note"],
            )
        except services.OrganisationError as error:
            return refused(self, form, error)
        seats = _seats(abs(data["quantity"]))
        done = (
            gettext("Granted %(seats)s on %(course)s for %(organisation)s: %(used)s of %(total)s now in use.")
            if data["quantity"] > 0
            else gettext("Took back %(seats)s on %(course)s for %(organisation)s: %(used)s of %(total)s now in use.")
        )
        messages.success(self.request, done % {
            "seats": seats, "course": data["course"].title, "organisation": self.record.name,
            "used": pool.used, "total": pool.total,
        })
        return redirect(self.inspect_url())


class RefundSeatsView(StaffFormView):
    """Refund unused seats of one seat purchase: seat price × seats back through Stripe,
    the seats out of the organisation's pool at once (``services.seats_refund``)."""

    template_name = "organisations/admin/refund_seats.html"
    form_class = RefundSeatsForm
    permission_required = permissions.REFUND_ORDER
    page_title = _("Refund unused seats")
    header_icon = "undo"

    @cached_property
    def purchase(self) -> SeatPurchase:
        return get_object_or_404(
            SeatPurchase.objects.select_related("order", "pool__course", "pool__organisation"),
            order_id=self.kwargs["order_id"], order__purpose=Order.Purpose.SEATS,
        )

    def get_page_subtitle(self) -> str:
        return self.purchase.order.reference

    def _back_url(self) -> str:
        if can_view(self.request.user):
            return reverse("organisations_admin:inspect", args=[self.purchase.pool.organisation_id])
        return reverse("payments_orders:inspect", args=[self.purchase.order_id])

    def get_breadcrumbs_items(self) -> list[dict]:
        organisation = self.purchase.pool.organisation
        return self.breadcrumbs_items + [
            {"url": reverse("organisations_admin:index"), "label": _("Organisations")},
            {"url": reverse("organisations_admin:inspect", args=[organisation.pk]), "label": organisation.name},
            {"url": "", "label": gettext("Refund seats of %(reference)s") % {"reference": self.purchase.order.reference}},
        ]

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "most": selectors.refundable_seats(self.purchase)}

    def get_initial(self) -> dict:
        return {"seats": selectors.refundable_seats(self.purchase) or None}

    def get_context_data(self, **kwargs: object) -> dict:
        context = super().get_context_data(**kwargs)
        purchase, order = self.purchase, self.purchase.order
        context.update(
            purchase=purchase, order=order, organisation=purchase.pool.organisation, pool=purchase.pool,
            most=selectors.refundable_seats(purchase), can_refund=can_refund_seats(self.request.user, purchase),
            seat_price=money.display(order.unit_amount, order.currency), back_url=self._back_url(),
            order_url=reverse("payments_orders:inspect", args=[order.pk]),
        )
        return context

    def form_valid(self, form: Form) -> HttpResponse:
        data = form.cleaned_data
        try:
            refund = services.seats_refund(
                order_id=self.purchase.order_id, seats=data["seats"], by=self.request.user, reason=data["reason"],
                note=data["note"],
            )
        except services.OrganisationError as error:
            return refused(self, form, error)
        messages.success(
            self.request,
            gettext(
                "Refunded %(seats)s (%(amount)s) on %(reference)s: removed from %(organisation)s's seats on %(course)s."
            ) % {
                "seats": _seats(data["seats"]), "amount": money.display(refund.amount, refund.currency),
                "reference": self.purchase.order.reference, "organisation": self.purchase.pool.organisation.name,
                "course": self.purchase.pool.course.title,
            },
        )
        return redirect(self._back_url())
