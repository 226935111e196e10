"""Receipts, refund notices and staff alerts: each email sent once, marked under a row lock."""
from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kernel import emails

from ..models import Order, Refund
from .base import Status, base_url

# --- receipts and messages ------------------------------------------------------------------


def organisation() -> dict:
    return {
        "name": settings.ORGANISATION_NAME,
        "address": settings.ORGANISATION_ADDRESS,
        "charity_number": settings.ORGANISATION_CHARITY_NUMBER,
        "contact_email": settings.PAYMENTS_CONTACT_EMAIL,
    }


def _receipt_to(order: Order) -> list[str]:
    """The learner; for seats, the organisation's billing address and the buying manager."""
    buyer = order.user.email if order.user else order.email
    if order.is_seats and order.email.lower() != buyer.lower():
        return [order.email, buyer]
    return [buyer]


def order_send_receipt(*, order_id: int) -> bool:
    """Email the receipt once; True if this call sent it. Marked in the same transaction
    as the send, under the order lock (a failed send stays unmarked for the retry)."""
    with transaction.atomic():
        order = Order.objects.select_for_update(of=("self",)).select_related("user", "course").filter(pk=order_id).first()
        if order is None or order.receipt_sent_at is not None or order.status not in Order.WITH_RECEIPT:
            return False
        emails.send_templated(
            template="payments/email/receipt",
            context={
                "order": order, "org": organisation(), "user": order.user,
                "receipt_url": f"{base_url()}{reverse('payments:receipt', args=[order.pk])}",
            },
            to=_receipt_to(order),
        )
        order.receipt_sent_at = timezone.now()
        order.save(update_fields=["receipt_sent_at", "updated_at"])
        return True


def refund_notify(*, refund_id: int) -> bool:
    """Tell the learner about a refund, once."""
    with transaction.atomic():
        refund = Refund.objects.select_for_update(of=("self",)).select_related("order__user").filter(pk=refund_id).first()
        if refund is None or refund.notified_at is not None or refund.status not in Refund.COUNTED:
            return False
        order = refund.order
        emails.send_templated(
            template="payments/email/refund",
            context={
                "order": order, "refund": refund, "org": organisation(), "user": order.user,
                "access_ended": order.status == Status.REFUNDED and settings.PAYMENTS_FULL_REFUND_ENDS_ACCESS,
                "receipt_url": f"{base_url()}{reverse('payments:receipt', args=[order.pk])}",
            },
            to=[order.user.email if order.user else order.email],
        )
        refund.notified_at = timezone.now()
        refund.save(update_fields=["notified_at", "updated_at"])
        return True


def staff_alert(*, order_id: int, subject: str) -> None:
    order = Order.objects.filter(pk=order_id).first()
    if order is None or not settings.PAYMENTS_STAFF_EMAILS:
        return
    emails.send_templated(
        template="payments/email/staff_alert",
        context={
            "order": order, "subject": subject,
            "admin_url": f"{base_url()}{reverse('payments_orders:inspect', args=[order.pk])}",
        },
        to=list(settings.PAYMENTS_STAFF_EMAILS),
    )
