"""Payments in the Wagtail admin, under one "Payments" menu:

- Orders: read-only listing and inspect page (refunds, Stripe events), and a Refund
  action (``payments.refund_order``). Orders change only through the services.
- Discount codes: a snippet staff create and edit (model permissions), with CSV export
  of the listing and a "Generate scholarship codes" view for batches of single-use codes.
"""
from django import forms
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import DiscountCode, Order


class OrderPermissionPolicy(ModelPermissionPolicy):
    """Staff with ``view_order`` (or the right to refund) list and inspect orders;
    nobody adds, edits or deletes them through the admin."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        if action == "view" and user.is_active and user.has_perm(admin_views.REFUND_PERMISSION):
            return True
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Order, OrderPermissionPolicy(Order))


class OrderViewSet(ModelViewSet):
    model = Order
    name = "orders"
    url_namespace = "payments_orders"
    icon = "list-ul"
    menu_label = "Orders"
    index_view_class = admin_views.OrderIndexView
    inspect_view_class = admin_views.OrderInspectView
    list_filter = ["status"]
    search_fields = ["email", "course_title", "stripe_payment_intent_id", "discount_code_text"]
    ordering = ["-created_at"]
    inspect_view_enabled = True
    copy_view_enabled = False
    # Never shown (add and edit are refused by the policy) but required by ModelViewSet.
    form_fields = ["attention_note"]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("refund/<int:pk>/", admin_views.RefundView.as_view(), name="refund"),
        ]


class DiscountCodeIndexView(SnippetIndexView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm(admin_views.GENERATE_PERMISSION):
            buttons.append(
                HeaderButton("Generate scholarship codes", url=reverse("payments_codes_generate"), icon_name="plus")
            )
        return buttons


class DiscountCodeViewSet(SnippetViewSet):
    model = DiscountCode
    icon = "tag"
    menu_label = "Discount codes"
    index_view_class = DiscountCodeIndexView
    list_display = [
        "code",
        Column("describe", label="Discount", accessor="describe"),
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
        MultiFieldPanel([FieldPanel("batch_label"), FieldPanel("note")], heading="For staff"),
    ]


class PaymentsGroup(SnippetViewSetGroup):
    menu_label = "Payments"
    menu_icon = "form"
    menu_order = 280
    items = (OrderViewSet, DiscountCodeViewSet)


register_snippet(PaymentsGroup)


@hooks.register("register_admin_urls")
def register_generate_codes_url():
    return [
        path(
            "payments/discount-codes/generate/", admin_views.GenerateCodesView.as_view(), name="payments_codes_generate"
        ),
    ]
