"""Payments in the Wagtail admin: a read-only order listing and inspect page (with its
refunds and Stripe events), refunding (``payments.refund_order``), and generating batches
of scholarship codes (``payments.add_discountcode``).

Thin views: parse, authorise in ``dispatch`` (so a refused POST does nothing), call a
service, render. Orders change only through the services, never by editing rows.
"""
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton

from . import money, services
from .forms import GenerateCodesForm, RefundForm
from .models import ZERO, Order, Refund

REFUND_PERMISSION = "payments.refund_order"
VIEW_PERMISSION = "payments.view_order"
GENERATE_PERMISSION = "payments.add_discountcode"


def refundable(order: Order):
    """What staff may still refund: paid, less refunds done or on their way."""
    reserved = order.refunds.filter(status__in=Refund.RESERVED).aggregate(s=Sum("amount"))["s"] or ZERO
    return max((order.amount_paid or ZERO) - reserved, ZERO)


def can_refund(user, order: Order) -> bool:
    return (
        user.has_perm(REFUND_PERMISSION)
        and order.status in (*Order.HOLDS_PLACE, Order.Status.NEEDS_ATTENTION)
        and bool(order.stripe_payment_intent_id)
        and (order.amount_paid or ZERO) > order.amount_refunded
    )


class OrderIndexView(IndexView):
    """Orders, newest first. (Reports, more filters and CSV come with the reporting pages.)"""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("course")

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column("reference", label="Order", sort_key="pk", get_url=self.get_inspect_url),
            Column("email", label="Learner", sort_key="email"),
            Column("course_title", label="Course", sort_key="course_title"),
            Column("total", label="Total", accessor=lambda o: o.display("total_amount"), sort_key="total_amount"),
            StatusTagColumn(
                "status", label="Status", accessor="get_status_display", sort_key="status",
                primary=lambda o: o.status in Order.HOLDS_PLACE,
            ),
            DateColumn("created_at", label="Created", sort_key="created_at"),
        ]

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if can_refund(self.request.user, instance):
            buttons.append(
                MenuItem("Refund", url=reverse("payments_orders:refund", args=[instance.pk]), icon_name="undo", priority=40)
            )
        return buttons


class OrderInspectView(InspectView):
    template_name = "payments/admin/order_inspect.html"
    labels = {
        "reference": "Order", "status": "Status", "flags": "Needs attention because", "attention_note": "Notes",
        "email": "Learner", "course_title": "Course", "price_amount": "Course fee",
        "discount_code_text": "Discount code", "discount_amount": "Discount", "donation_amount": "Donation",
        "total_amount": "Total", "amount_paid": "Paid (Stripe)", "amount_refunded": "Refunded",
        "created_at": "Created", "paid_at": "Paid", "closed_at": "Closed",
        "stripe_checkout_session_id": "Stripe Checkout Session", "stripe_payment_intent_id": "Stripe PaymentIntent",
        "last_payment_error": "Last payment error", "receipt_sent_at": "Receipt emailed",
    }
    money_fields = ("price_amount", "discount_amount", "donation_amount", "total_amount", "amount_paid", "amount_refunded")

    def get_object(self, queryset=None):
        return get_object_or_404(Order.objects.select_related("user", "course"), pk=self.pk)

    def get_fields(self):
        return list(self.labels)

    def get_field_label(self, field_name, field):
        return self.labels[field_name]

    def get_field_display_value(self, field_name, field):
        if field_name in self.money_fields:
            return self.object.display(field_name)
        if field_name == "reference":
            return self.object.reference
        if field_name == "flags":
            return "; ".join(self.object.flag_labels()) or "-"
        value = getattr(self.object, field_name, None)
        if value in (None, ""):
            return "-"
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["refunds"] = self.object.refunds.select_related("by")
        context["events"] = self.object.stripe_events.order_by("received_at")
        return context

    @cached_property
    def header_buttons(self):
        if can_refund(self.request.user, self.object):
            return [HeaderButton("Refund", url=reverse("payments_orders:refund", args=[self.object.pk]), icon_name="undo")]
        return []


class RefundView(WagtailAdminTemplateMixin, FormView):
    template_name = "payments/admin/refund.html"
    form_class = RefundForm
    page_title = "Refund order"
    header_icon = "undo"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(REFUND_PERMISSION):
            raise PermissionDenied
        self.order = get_object_or_404(Order.objects.select_related("user", "course"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.order.reference

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("payments_orders:index"), "label": "Orders"},
            {"url": reverse("payments_orders:inspect", args=[self.order.pk]), "label": self.order.reference},
            {"url": "", "label": "Refund"},
        ]

    def get_initial(self):
        return {"amount": refundable(self.order), "reason": Refund.Reason.REQUESTED_BY_CUSTOMER}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        left = refundable(self.order)
        context.update(
            order=self.order, refundable=money.display(left, self.order.currency), can_refund=can_refund(self.request.user, self.order),
            ends_access=settings.PAYMENTS_FULL_REFUND_ENDS_ACCESS,
        )
        return context

    def form_valid(self, form):
        try:
            refund = services.order_refund(
                order_id=self.order.pk, amount=form.cleaned_data["amount"], by=self.request.user,
                reason=form.cleaned_data["reason"], note=form.cleaned_data["note"],
            )
        except services.PaymentError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        order = Order.objects.get(pk=self.order.pk)
        text = f"Refunded {money.display(refund.amount, refund.currency)} on {order.reference}."
        if order.status == Order.Status.REFUNDED and settings.PAYMENTS_FULL_REFUND_ENDS_ACCESS:
            text += " The order is refunded in full and the learner's place has ended."
        messages.success(self.request, text + " The learner is emailed.")
        return redirect("payments_orders:inspect", order.pk)


class GenerateCodesView(WagtailAdminTemplateMixin, FormView):
    template_name = "payments/admin/generate_codes.html"
    form_class = GenerateCodesForm
    page_title = "Generate scholarship codes"
    header_icon = "tag"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(GENERATE_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtailsnippets_payments_discountcode:list"), "label": "Discount codes"},
            {"url": "", "label": "Generate scholarship codes"},
        ]

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            codes = services.discount_codes_generate(
                count=data["count"], batch_label=data["batch_label"], value=data["percent"],
                courses=data["courses"], expires_at=data["expires_at"], by=self.request.user,
                prefix=data["prefix"], note=data["note"],
            )
        except services.PaymentError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, f"{len(codes)} single-use codes generated in batch “{data['batch_label']}”.")
        context = self.get_context_data(form=form, codes=codes, batch_label=data["batch_label"])
        return TemplateResponse(self.request, "payments/admin/generated_codes.html", context)
