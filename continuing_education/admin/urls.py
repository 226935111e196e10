"""Continuing education's staff pages beside the viewsets' listing and inspect pages.

- ``urlpatterns``: the pages outside the viewsets, at /admin/continuing-education/ through
  ``register_admin_urls`` (``ce_admin:report``, ``ce_admin:partial``).
- ``certificate_actions``: revoking, reinstating and reissuing one CE certificate, served by
  the CE certificates viewset under its address and namespace (``ce_certificates:revoke``),
  beside the inspect page they act on.
"""
from django.urls import path

from .actions import CEReinstateView, CEReissueView, CERevokeView
from .partial import PartialCreditView
from .report import CEReportView

app_name = "ce_admin"
urlpatterns = [
    path("report/", CEReportView.as_view(), name="report"),
    path("partial-credit/", PartialCreditView.as_view(), name="partial"),
]

certificate_actions = [
    path("revoke/<int:pk>/", CERevokeView.as_view(), name="revoke"),
    path("reinstate/<int:pk>/", CEReinstateView.as_view(), name="reinstate"),
    path("reissue/<int:pk>/", CEReissueView.as_view(), name="reissue"),
]
