"""The viewsets that list and inspect payments' records in the admin (each, a
``RecordViewSet``, says who may look and registers the policy that lets nobody add, edit or
delete them), under one "Payments" menu (registered by ``payments.wagtail_hooks``):

- Orders: read-only listing and inspect page (refunds, Stripe events), and a Refund
  action. Filters by status, course and order/paid dates; CSV export of the filtered
  listing (text cells made safe for spreadsheets).
- Scholarship applications: the queue, inspect, approve/decline.
- Discount codes: a snippet staff create and edit (model permissions), with CSV export
  of the listing and a "Generate scholarship codes" button for batches of single-use codes.
- Donation amounts: per currency, what checkout suggests and the smallest and largest
  donation (a snippet; currencies without a row use the site's defaults).
"""
from __future__ import annotations

from django import forms
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from kernel.admin_menu import CountedMenuItem
from kernel.admin_viewsets import RecordViewSet

from .. import permissions, selectors
from ..models import DiscountCode, DonationAmounts, Order, ScholarshipApplication
from . import urls
from .codes import DiscountCodeIndexView
from .filters import OrderFilterSet
from .orders import OrderIndexView, OrderInspectView
from .scholarships import ScholarshipIndexView, ScholarshipInspectView


class OrderViewSet(RecordViewSet):
    """Staff with ``view_order`` (or the right to refund) list and inspect orders; they
    change only by refunding. Kept out of Wagtail's reference index (``RecordViewSet``):
    re-indexing every save was a third of fulfilment's CPU."""

    model = Order
    also_view = (permissions.REFUND,)
    action_urlpatterns = urls.order_actions
    name = "orders"
    url_namespace = "payments_orders"
    icon = "list-ul"
    menu_label = _("Orders")
    index_view_class = OrderIndexView
    inspect_view_class = OrderInspectView
    filterset_class = OrderFilterSet
    list_export = [
        "reference", "created_at", "paid_at", "status", "email", "course_title", "currency", "price_amount",
        "discount_code_text", "discount_amount", "donation_amount", "total_amount", "amount_paid", "amount_refunded",
    ]
    export_headings = {"reference": _("Order"), "email": _("Learner"), "course_title": _("Course")}
    export_filename = "orders"
    search_fields = ["email", "course_title", "stripe_payment_intent_id", "discount_code_text"]
    ordering = ["-created_at"]


class ScholarshipViewSet(RecordViewSet):
    """Listed and inspected with ``view_scholarshipapplication`` (or the right to decide);
    changed only through approve/decline."""

    model = ScholarshipApplication
    also_view = (permissions.DECIDE_SCHOLARSHIPS,)
    action_urlpatterns = urls.scholarship_actions
    name = "scholarships"
    url_namespace = "payments_scholarships"
    icon = "help"
    menu_label = _("Scholarship applications")
    index_view_class = ScholarshipIndexView
    inspect_view_class = ScholarshipInspectView
    list_filter = ["status"]
    search_fields = ["course_title", "user__email"]
    ordering = ["created_at"]

    @cached_property
    def menu_item_class(self) -> type:
        """Wagtail's item (shown to those who may list applications), its label counting
        the applications that wait for a decision."""
        def waiting(_self: CountedMenuItem, request: HttpRequest) -> int:
            return selectors.scholarships_waiting_count()

        return type("ScholarshipMenuItem", (CountedMenuItem, super().menu_item_class), {"waiting": waiting})


class DiscountCodeViewSet(SnippetViewSet):
    model = DiscountCode
    icon = "tag"
    menu_label = _("Discount codes")
    index_view_class = DiscountCodeIndexView
    list_display = [
        "code",
        Column("describe", label=_("Discount"), accessor="describe"),
        "uses", "max_uses", "expires_at", "active", "batch_label",
    ]
    list_filter = ["active", "kind", "is_scholarship"]
    list_export = ["code", "kind", "value", "currency", "max_uses", "uses", "expires_at", "active", "batch_label", "note"]
    export_filename = "discount-codes"
    search_fields = ["code", "batch_label", "note"]
    ordering = ["-created_at"]
    copy_view_enabled = False
    panels = [
        FieldPanel("code"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("value"), FieldPanel("currency")]),
        FieldPanel("courses", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("max_uses"), FieldPanel("expires_at"), FieldPanel("active")]),
        MultiFieldPanel([FieldPanel("batch_label"), FieldPanel("note")], heading=_("For staff")),
    ]


class DonationAmountsViewSet(SnippetViewSet):
    """The donations checkout offers per currency, set by staff (model permissions); a
    currency without a row uses the site's defaults (``selectors.donation_bounds``)."""

    model = DonationAmounts
    icon = "pick"
    menu_label = _("Donation amounts")
    list_display = ["currency", Column("describe", label=_("Suggested amounts"), accessor="describe"), "minimum", "maximum"]
    search_fields = ["currency"]
    ordering = ["currency"]
    copy_view_enabled = False
    panels = [
        FieldPanel("currency"),
        FieldRowPanel([FieldPanel("suggested_1"), FieldPanel("suggested_2"), FieldPanel("suggested_3")],
                      heading=_("Suggested amounts")),
        FieldRowPanel([FieldPanel("minimum"), FieldPanel("maximum")]),
    ]


class PaymentsGroup(SnippetViewSetGroup):
    menu_label = _("Payments")
    menu_icon = "form"
    menu_order = 280
    items = (OrderViewSet, DiscountCodeViewSet, ScholarshipViewSet, DonationAmountsViewSet)
