"""Every staff page for organisations, under ``/admin/organisations/`` (registered by
``wagtail_hooks``): the viewset's listing and inspect page, then the staff actions, all in
the viewset's namespace (``organisations_admin:index``, ``organisations_admin:grant``...)."""
from django.urls import path

from . import actions
from .organisations import organisations_viewset

app_name = "organisations_admin"  # the viewset's url_namespace: its pages and the actions share it

urlpatterns = organisations_viewset.get_urlpatterns() + [
    path("partner/<int:pk>/", actions.PartnerView.as_view(), name="partner"),
    path("grant/<int:pk>/", actions.GrantSeatsView.as_view(), name="grant"),
    path("refund-seats/<int:order_id>/", actions.RefundSeatsView.as_view(), name="refund_seats"),
]
