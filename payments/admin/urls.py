"""Payments' staff pages beside the viewsets' listing and inspect pages.

- ``urlpatterns``: the pages outside the viewsets, mounted at /admin/payments/ by
  ``payments.wagtail_hooks``: ``payments_admin:codes_generate``, ``payments_admin:revenue``.
- ``order_actions``, ``scholarship_actions``: acting on one order or application, served by
  its viewset under the viewset's address and namespace (``payments_orders:refund``,
  ``payments_scholarships:decide``), beside the inspect page they act on.
"""
from django.urls import path

from .codes import GenerateCodesView
from .orders import RefundView
from .revenue import RevenueView
from .scholarships import ScholarshipDecideView

app_name = "payments_admin"

urlpatterns = [
    path("discount-codes/generate/", GenerateCodesView.as_view(), name="codes_generate"),
    path("revenue/", RevenueView.as_view(), name="revenue"),
]

order_actions = [path("refund/<int:pk>/", RefundView.as_view(), name="refund")]
scholarship_actions = [path("decide/<int:pk>/", ScholarshipDecideView.as_view(), name="decide")]
