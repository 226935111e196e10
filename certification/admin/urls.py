"""Certification's staff pages in the Wagtail admin, beside the listing and inspect pages
that the certificates viewset makes (``wagtail_hooks.py`` registers both).

- ``urlpatterns``: signing off practical work, at ``/admin/practical-signoffs/``
  (``certification_signoffs:index``), through ``register_admin_urls``.
- ``certificate_actions``: revoking and reinstating one certificate, served by the
  certificates viewset under its address and namespace (``certificate_admin:revoke``),
  beside the inspect page they act on.
"""
from django.urls import path

from .practical import PracticalSignoffView
from .revocation import ReinstateView, RevokeView

app_name = "certification_signoffs"
urlpatterns = [path("", PracticalSignoffView.as_view(), name="index")]

certificate_actions = [
    path("revoke/<int:pk>/", RevokeView.as_view(), name="revoke"),
    path("reinstate/<int:pk>/", ReinstateView.as_view(), name="reinstate"),
]
