"""Reads for payments."""
from django.db.models import QuerySet

from .models import Order, Refund


def orders_for_learner(*, user) -> QuerySet[Order]:
    """A learner's own orders, newest first (abandoned checkouts left out)."""
    return (
        Order.objects.filter(user=user)
        .exclude(status__in=[Order.Status.EXPIRED])
        .select_related("course")
        .order_by("-created_at")
    )


def order_refunds_counted(*, order: Order) -> list[Refund]:
    return list(order.refunds.filter(status__in=Refund.COUNTED).order_by("created_at"))


def paid_order_for(*, user, course_id: int) -> Order | None:
    """The order that holds the learner's place on a course (for a receipt link); seats the
    person bought for their organisation are not their own place."""
    if not user.is_authenticated:
        return None
    return (
        Order.objects.filter(user=user, course_id=course_id, status__in=Order.WITH_RECEIPT, purpose=Order.Purpose.PLACE)
        .order_by("-created_at")
        .first()
    )
