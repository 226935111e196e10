"""Payments' staff pages outside its viewsets, mounted at /admin/payments/ by
``payments.wagtail_hooks``: ``payments_admin:codes_generate``, ``payments_admin:revenue``."""
from django.urls import path

from .codes import GenerateCodesView
from .revenue import RevenueView

app_name = "payments_admin"

urlpatterns = [
    path("discount-codes/generate/", GenerateCodesView.as_view(), name="codes_generate"),
    path("revenue/", RevenueView.as_view(), name="revenue"),
]
