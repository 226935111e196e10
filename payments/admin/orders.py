"""Orders for staff: the listing (filters, CSV export), the inspect page with its refunds
and Stripe events, and refunding (``permissions.REFUND``)."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Field, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.widgets import HeaderButton

from accounts.models import User
from kernel.admin_views import RecordActionView, RecordIndexView, RowAction
from kernel.spreadsheets import csv_safe

from .. import extensions, money, permissions, selectors, services
from ..models import ZERO, Order, Refund
from .base import InspectView
from .forms import RefundForm


def can_refund(user: User, order: Order) -> bool:
    return (
        user.has_perm(permissions.REFUND)
        and order.status in (*Order.HOLDS_PLACE, Order.Status.NEEDS_ATTENTION)
        and bool(order.stripe_payment_intent_id)
        and (order.amount_paid or ZERO) > order.amount_refunded
    )


class OrderIndexView(RecordIndexView):
    """Orders, newest first, filtered by status, course and dates; exported as CSV (the
    current filters apply) with every text cell made safe for spreadsheets."""

    row_actions = (RowAction(_("Refund"), "payments_orders:refund", "undo", can_refund),)

    def get_base_queryset(self) -> QuerySet[Order]:
        return super().get_base_queryset().select_related("course")

    @cached_property
    def columns(self) -> list[Column]:
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column("reference", label=_("Order"), sort_key="pk", get_url=self.get_inspect_url),
            Column("email", label=_("Learner"), sort_key="email"),
            Column("course_title", label=_("Course"), sort_key="course_title"),
            Column("total", label=_("Total"), accessor=lambda o: o.display("total_amount"), sort_key="total_amount"),
            StatusTagColumn(
                "status", label=_("Status"), accessor="get_status_display", sort_key="status",
                primary=lambda o: o.status in Order.HOLDS_PLACE,
            ),
            DateColumn("created_at", label=_("Created"), sort_key="created_at"),
        ]

    def preprocess_field_value(self, field: str, value: object, export_format: str) -> object:
        value = super().preprocess_field_value(field, value, export_format)
        # Learners choose their email and course titles are typed by editors: never a formula.
        return csv_safe(value) if isinstance(value, str) else value


class OrderInspectView(InspectView):
    template_name = "payments/admin/order_inspect.html"
    labels = {
        "reference": _("Order"), "status": _("Status"), "flags": _("Needs attention because"), "attention_note": _("Notes"),
        "email": _("Learner"), "course_title": _("Course"), "quantity": _("Seats"), "price_amount": _("Course fee"),
        "discount_code_text": _("Discount code"), "discount_amount": _("Discount"), "donation_amount": _("Donation"),
        "total_amount": _("Total"), "amount_paid": _("Paid (Stripe)"), "amount_refunded": _("Refunded"),
        "created_at": _("Created"), "paid_at": _("Paid"), "closed_at": _("Closed"),
        "stripe_checkout_session_id": _("Stripe Checkout Session"), "stripe_payment_intent_id": _("Stripe PaymentIntent"),
        "last_payment_error": _("Last payment error"), "receipt_sent_at": _("Receipt emailed"),
    }
    select_related = ("user", "course")
    money_fields = ("price_amount", "discount_amount", "donation_amount", "total_amount", "amount_paid", "amount_refunded")

    seat_labels = {"email": _("Bought by"), "price_amount": _("Fee for all seats")}

    def setup(self, request: HttpRequest, *args: object, **kwargs: object) -> None:
        super().setup(request, *args, **kwargs)  # reads the fields, then the order
        if not self.object.is_seats:  # quantity only means something on a seat order
            self.fields = [name for name in self.fields if name != "quantity"]

    def get_field_label(self, field_name: str, field: Field | None) -> str:
        if self.object.is_seats and field_name in self.seat_labels:
            return self.seat_labels[field_name]
        return super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name: str, field: Field | None) -> object:
        if field_name == "quantity":
            each = money.display(self.object.unit_amount, self.object.currency)
            return gettext("%(quantity)s at %(each)s each") % {"quantity": self.object.quantity, "each": each}
        if field_name in self.money_fields:
            return self.object.display(field_name)
        if field_name == "reference":
            return self.object.reference
        if field_name == "flags":
            return "; ".join(self.object.flag_labels()) or "-"
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs: object) -> dict:
        context = super().get_context_data(**kwargs)
        context["refunds"] = self.object.refunds.select_related("by")
        context["events"] = self.object.stripe_events.order_by("received_at")
        context["seats"] = self.seats
        return context

    @cached_property
    def seats(self) -> extensions.SeatOrderDetail | None:
        return extensions.seat_order_detail(self.object)

    @cached_property
    def header_buttons(self) -> list[HeaderButton]:
        if not can_refund(self.request.user, self.object):
            return []
        refund_url = reverse("payments_orders:refund", args=[self.object.pk])
        if self.seats:
            # Seats are refunded by the seat; an amount refund still works (whole seats it
            # covers leave the pool) for the rare case that needs one.
            return [
                HeaderButton(_("Refund unused seats"), url=self.seats.refund_url, icon_name="undo"),
                HeaderButton(_("Refund an amount"), url=refund_url, icon_name="undo"),
            ]
        return [HeaderButton(_("Refund"), url=refund_url, icon_name="undo")]


class RefundView(RecordActionView):
    template_name = "payments/admin/refund.html"
    form_class = RefundForm
    page_title = _("Refund order")
    header_icon = "undo"
    permission_required = permissions.REFUND
    model = Order
    select_related = ("user", "course")
    namespace = "payments_orders"
    context_name = "order"
    action_label = _("Refund")

    def record_title(self) -> str:
        return self.record.reference

    def get_initial(self) -> dict:
        return {"amount": selectors.order_refundable(order=self.record), "reason": Refund.Reason.REQUESTED_BY_CUSTOMER}

    def get_context_data(self, **kwargs: object) -> dict:
        context = super().get_context_data(**kwargs)
        left = selectors.order_refundable(order=self.record)
        context.update(
            refundable=money.display(left, self.record.currency),
            can_refund=can_refund(self.request.user, self.record),
            ends_access=settings.PAYMENTS_FULL_REFUND_ENDS_ACCESS, seats=extensions.seat_order_detail(self.record),
        )
        return context

    def form_valid(self, form: RefundForm) -> HttpResponse:
        try:
            refund = services.order_refund(
                order_id=self.record.pk, amount=form.cleaned_data["amount"], by=self.request.user,
                reason=form.cleaned_data["reason"], note=form.cleaned_data["note"],
            )
        except services.PaymentError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        order = Order.objects.get(pk=self.record.pk)
        text = gettext("Refunded %(amount)s on %(reference)s.") % {
            "amount": money.display(refund.amount, refund.currency), "reference": order.reference,
        }
        if order.status == Order.Status.REFUNDED and settings.PAYMENTS_FULL_REFUND_ENDS_ACCESS:
            text += " " + gettext("The order is refunded in full and the learner's place has ended.")
        messages.success(self.request, text + " " + gettext("The learner is emailed."))
        return redirect("payments_orders:inspect", order.pk)

