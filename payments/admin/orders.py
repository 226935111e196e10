"""Payments in the Wagtail admin: a read-only order listing and inspect page (with its
refunds and Stripe events), refunding (``payments.refund_order``), and generating batches
of scholarship codes (``payments.add_discountcode``); filters and CSV export on the order
listing, a Revenue page (``view_order``), and the scholarship application queue
(``view_scholarshipapplication``; approve/decline need ``decide_scholarshipapplication``).

Thin views: parse, authorise in ``dispatch`` (so a refused POST does nothing), call a
service, render. Orders change only through the services, never by editing rows.
"""
import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Sum
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput, HeaderButton

from courses.models import CoursePage

from . import money, reports, scholarships, services
from .forms import GenerateCodesForm, RefundForm, ScholarshipDecisionForm
from .models import ZERO, Order, Refund, ScholarshipApplication

REFUND_PERMISSION = "payments.refund_order"
VIEW_PERMISSION = "payments.view_order"
GENERATE_PERMISSION = "payments.add_discountcode"
DECIDE_PERMISSION = "payments.decide_scholarshipapplication"


def can_view_orders(user) -> bool:
    """The same rule as the Orders listing's policy: ``view_order`` or the right to refund."""
    return user.is_active and (user.has_perm(VIEW_PERMISSION) or user.has_perm(REFUND_PERMISSION))


def _courses_with_orders(request=None):
    return CoursePage.objects.filter(pk__in=Order.objects.values("course_id")).order_by("title")


class OrderFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=Order.Status.choices, label="Status")
    course = django_filters.ModelChoiceFilter(queryset=_courses_with_orders, label="Course")
    created_at = django_filters.DateFromToRangeFilter(label="Ordered between", widget=DateRangePickerWidget)
    paid_at = django_filters.DateFromToRangeFilter(label="Paid between", widget=DateRangePickerWidget)

    class Meta:
        model = Order
        fields = ["status", "course", "created_at", "paid_at"]


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
    """Orders, newest first, filtered by status, course and dates; exported as CSV (the
    current filters apply) with every text cell made safe for spreadsheets."""

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

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        # Learners choose their email and course titles are typed by editors: never a formula.
        return reports.csv_safe(value) if isinstance(value, str) else value

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if can_refund(self.request.user, instance):
            buttons.append(
                MenuItem("Refund", url=reverse("payments_orders:refund", args=[instance.pk]), icon_name="undo", priority=40)
            )
        return buttons


def seat_purchase_of(order: Order):
    """For a seat order: (organisation name, its admin page URL, the "Refund unused seats"
    URL), from organisations' purchase row; None for any other order. payments never
    imports organisations: the row is reached through its reverse relation, and the
    URLs by name."""
    accessor = getattr(Order, "seat_purchase", None)
    if not order.is_seats or accessor is None:
        return None
    purchases = accessor.related.related_model.objects  # organisations' SeatPurchase
    purchase = purchases.select_related("pool__organisation").filter(order=order).first()
    if purchase is None:
        return None
    organisation = purchase.pool.organisation
    try:
        return {
            "organisation": organisation.name,
            "organisation_url": reverse("organisations_admin:inspect", args=[organisation.pk]),
            "refund_url": reverse("organisations_admin:refund_seats", args=[order.pk]),
            "quantity": purchase.quantity, "refunded": purchase.refunded,
        }
    except NoReverseMatch:
        return None


class OrderInspectView(InspectView):
    template_name = "payments/admin/order_inspect.html"
    labels = {
        "reference": "Order", "status": "Status", "flags": "Needs attention because", "attention_note": "Notes",
        "email": "Learner", "course_title": "Course", "quantity": "Seats", "price_amount": "Course fee",
        "discount_code_text": "Discount code", "discount_amount": "Discount", "donation_amount": "Donation",
        "total_amount": "Total", "amount_paid": "Paid (Stripe)", "amount_refunded": "Refunded",
        "created_at": "Created", "paid_at": "Paid", "closed_at": "Closed",
        "stripe_checkout_session_id": "Stripe Checkout Session", "stripe_payment_intent_id": "Stripe PaymentIntent",
        "last_payment_error": "Last payment error", "receipt_sent_at": "Receipt emailed",
    }
    money_fields = ("price_amount", "discount_amount", "donation_amount", "total_amount", "amount_paid", "amount_refunded")

    seat_labels = {"email": "Bought by", "price_amount": "Fee for all seats"}

    def get_object(self, queryset=None):
        return get_object_or_404(Order.objects.select_related("user", "course"), pk=self.pk)

    def get_fields(self):
        return list(self.labels)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)  # reads the fields, then the order
        if not self.object.is_seats:  # quantity only means something on a seat order
            self.fields = [name for name in self.fields if name != "quantity"]

    def get_field_label(self, field_name, field):
        if self.object.is_seats and field_name in self.seat_labels:
            return self.seat_labels[field_name]
        return self.labels[field_name]

    def get_field_display_value(self, field_name, field):
        if field_name == "quantity":
            each = money.display(self.object.unit_amount, self.object.currency)
            return f"{self.object.quantity} at {each} each"
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
        context["seats"] = self.seats
        return context

    @cached_property
    def seats(self):
        return seat_purchase_of(self.object)

    @cached_property
    def header_buttons(self):
        if not can_refund(self.request.user, self.object):
            return []
        refund_url = reverse("payments_orders:refund", args=[self.object.pk])
        if self.seats:
            # Seats are refunded by the seat; an amount refund still works (whole seats it
            # covers leave the pool) for the rare case that needs one.
            return [
                HeaderButton("Refund unused seats", url=self.seats["refund_url"], icon_name="undo"),
                HeaderButton("Refund an amount", url=refund_url, icon_name="undo"),
            ]
        return [HeaderButton("Refund", url=refund_url, icon_name="undo")]


class RefundView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "payments/admin/refund.html"
    form_class = RefundForm
    page_title = "Refund order"
    header_icon = "undo"

    # Checked in dispatch, before the method handler: a refused POST does nothing, and the
    # order is only loaded for permitted users.
    permission_required = REFUND_PERMISSION
    raise_exception = True

    @cached_property
    def order(self) -> Order:
        return get_object_or_404(Order.objects.select_related("user", "course"), pk=self.kwargs["pk"])

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
            ends_access=settings.PAYMENTS_FULL_REFUND_ENDS_ACCESS, seats=seat_purchase_of(self.order),
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


class GenerateCodesView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "payments/admin/generate_codes.html"
    form_class = GenerateCodesForm
    page_title = "Generate scholarship codes"
    header_icon = "tag"

    permission_required = GENERATE_PERMISSION
    raise_exception = True

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
        generated = ngettext(
            "%(count)d single-use code generated in batch “%(batch)s”.",
            "%(count)d single-use codes generated in batch “%(batch)s”.",
            len(codes),
        ) % {"count": len(codes), "batch": data["batch_label"]}
        messages.success(self.request, generated)
        context = self.get_context_data(form=form, codes=codes, batch_label=data["batch_label"])
        return TemplateResponse(self.request, "payments/admin/generated_codes.html", context)


# --- revenue ---------------------------------------------------------------------------------


class RevenueFilterForm(forms.Form):
    date_from = forms.DateField(label="Paid from", required=False, widget=AdminDateInput)
    date_to = forms.DateField(label="Paid until", required=False, widget=AdminDateInput)
    course = forms.ModelChoiceField(queryset=CoursePage.objects.none(), required=False, empty_label="All courses")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = _courses_with_orders()

    def clean(self):
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            # Otherwise "No paid orders", which reads as a fact about the orders.
            self.add_error("date_from", "“Paid from” must be on or before “Paid until”.")
        return data


class RevenueView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Revenue by course and month, in each currency apart, donations apart; ``?export=csv``."""

    template_name = "payments/admin/revenue.html"
    page_title = "Revenue"
    header_icon = "form"

    raise_exception = True

    def has_permission(self):
        return can_view_orders(self.request.user)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": "Revenue"}]

    def get(self, request, *args, **kwargs):
        self.form = RevenueFilterForm(request.GET or None)
        # Figures for filters that could not be read would be every order's, shown under
        # filters that say otherwise: with an error, staff get the error and no figures
        # (and no CSV), never misleading totals.
        self.filters_valid = not self.form.is_bound or self.form.is_valid()
        filters = {}
        if self.form.is_bound and self.filters_valid:
            data = self.form.cleaned_data
            filters = {"date_from": data["date_from"], "date_to": data["date_to"],
                       "course_id": data["course"].pk if data["course"] else None}
        self.rows = reports.revenue(**filters) if self.filters_valid else []
        if request.GET.get("export") == "csv" and self.filters_valid:
            response = StreamingHttpResponse(
                reports.csv_stream(reports.REVENUE_HEADER, reports.revenue_csv_rows(self.rows)), content_type="text/csv"
            )
            response["Content-Disposition"] = 'attachment; filename="revenue.csv"'
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query["export"] = "csv"
        context.update(form=self.form, filters_valid=self.filters_valid, rows=self.rows,
                       totals=reports.revenue_totals(self.rows),
                       export_url=f"{reverse('payments_revenue')}?{query.urlencode()}",
                       orders_url=reverse("payments_orders:index"))
        return context


# --- scholarship applications ----------------------------------------------------------------


class ScholarshipIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "discount_code")

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column("pk", label="Application", accessor=lambda a: f"#{a.pk}", sort_key="pk", get_url=self.get_inspect_url),
            Column("learner", label="Learner", accessor=lambda a: a.user.email),
            Column("course_title", label="Course", sort_key="course_title"),
            Column("can_pay", label="Can pay", accessor=lambda a: a.display("can_pay")),
            Column("fee", label="Fee", accessor=lambda a: a.display("fee")),
            StatusTagColumn("status", label="Status", accessor="get_status_display", sort_key="status",
                            primary=lambda a: a.status == ScholarshipApplication.Status.OPEN),
            DateColumn("created_at", label="Received", sort_key="created_at"),
        ]


class ScholarshipInspectView(InspectView):
    template_name = "payments/admin/scholarship_inspect.html"
    labels = {
        "status": "Status", "learner": "Learner", "course_title": "Course", "fee": "Fee when applying",
        "can_pay": "Can pay", "covered": "Scholarship would cover", "reason": "Why they applied",
        "created_at": "Received", "received_email_sent_at": "Confirmation emailed",
        "decided_at": "Decided or closed", "decided_by": "Decided by", "closed_reason": "Closed because they got a place",
        "decision_note": "Note to the learner", "discount_code": "Code", "email_sent_at": "Decision emailed",
    }

    def get_object(self, queryset=None):
        return get_object_or_404(scholarships.applications_queue(), pk=self.pk)

    def get_fields(self):
        return list(self.labels)

    def get_field_label(self, field_name, field):
        return self.labels[field_name]

    def get_field_display_value(self, field_name, field):
        app = self.object
        if field_name in ("fee", "can_pay", "covered"):
            return money.display(getattr(app, field_name), app.currency)
        if field_name == "learner":
            return app.user.email
        if field_name == "discount_code":
            return f"{app.discount_code.code} ({app.discount_code.describe()}, single use)" if app.discount_code else "-"
        if field_name == "decided_by":
            return app.decided_by.email if app.decided_by else "-"
        value = getattr(app, field_name, None)
        if value in (None, ""):
            return "-"
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_decide"] = (
            self.request.user.has_perm(DECIDE_PERMISSION) and self.object.status == ScholarshipApplication.Status.OPEN
        )
        context["decide_url"] = reverse("payments_scholarships:decide", args=[self.object.pk])
        context["form"] = ScholarshipDecisionForm()
        context["code_days"] = scholarships._days()
        return context


class ScholarshipDecideView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """POST only: approve (code + email) or decline (email). Repeating does nothing more."""

    form_class = ScholarshipDecisionForm
    http_method_names = ["post"]

    permission_required = DECIDE_PERMISSION
    raise_exception = True

    @cached_property
    def app(self) -> ScholarshipApplication:
        return get_object_or_404(ScholarshipApplication, pk=self.kwargs["pk"])

    def _back(self):
        return redirect("payments_scholarships:inspect", self.app.pk)

    def form_invalid(self, form):
        messages.error(self.request, "Choose approve or decline (and keep the note under 1000 characters).")
        return self._back()

    def form_valid(self, form):
        data = form.cleaned_data
        decide = scholarships.scholarship_approve if data["decision"] == "approve" else scholarships.scholarship_decline
        try:
            app, decided = decide(application_id=self.app.pk, by=self.request.user, note=data["note"])
        except services.PaymentError as error:
            messages.error(self.request, error.message)
            return self._back()
        if not decided:
            messages.warning(self.request, f"Application #{app.pk} was already {app.get_status_display().lower()}: nothing changed.")
        elif app.status == ScholarshipApplication.Status.APPROVED:
            messages.success(self.request, f"Approved: code {app.discount_code.code} is emailed to {app.user.email}.")
        else:
            messages.success(self.request, f"Declined: {app.user.email} is emailed.")
        return self._back()
