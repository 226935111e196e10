"""What payments shows, and where it sends the buyer, for an order of seats: payments never
imports organisations, so this app answers through ``payments.extensions``, registered
when the app is ready (``apps.py``)."""
from __future__ import annotations

from django.urls import reverse

from payments.extensions import SeatOrderDetail
from payments.models import Order

from .models import SeatPurchase


def seat_order_page(order: Order) -> str:
    """The order's page on the seats side, where the buyer returns from Stripe."""
    return reverse("organisations:seat_order_landing", args=[order.pk])


def seat_order_detail(order: Order) -> SeatOrderDetail | None:
    """Whose seats, how many refunded, and the staff's links (one query); None if no
    organisation is linked to the order."""
    purchase = SeatPurchase.objects.select_related("pool__organisation").filter(order=order).first()
    if purchase is None:
        return None
    organisation = purchase.pool.organisation
    return SeatOrderDetail(
        organisation=organisation.name,
        organisation_url=reverse("organisations_admin:inspect", args=[organisation.pk]),
        refund_url=reverse("organisations_admin:refund_seats", args=[order.pk]),
        quantity=purchase.quantity,
        refunded=purchase.refunded,
    )
