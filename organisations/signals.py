"""Receivers for payments' seat orders: payments sends, organisations turns them into
seats (payments never imports organisations)."""
from django.dispatch import receiver

from payments import events
from payments.models import Order

from . import services


@receiver(events.seats_paid, dispatch_uid="organisations.seats_paid")
def _seats_paid(sender: object, order: Order, **kwargs: object) -> None:
    services.seats_add_for_order(order=order)


@receiver(events.seats_refunded, dispatch_uid="organisations.seats_refunded")
def _seats_refunded(sender: object, order: Order, **kwargs: object) -> None:
    services.seats_sync_refund(order=order)
