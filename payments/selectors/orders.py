"""Reads about orders: a learner's own, the one holding their place, what staff may still refund."""
from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet, Sum

from accounts.models import User
from courses.models import CoursePage

from ..models import ZERO, Order, Refund


def orders_for_learner(*, user: User) -> QuerySet[Order]:
    """A learner's own orders, newest first (abandoned checkouts left out)."""
    return (
        Order.objects.filter(user=user)
        .exclude(status__in=[Order.Status.EXPIRED])
        .select_related("course")
        .order_by("-created_at")
    )


def order_refunds_counted(*, order: Order) -> list[Refund]:
    return list(order.refunds.filter(status__in=Refund.COUNTED).order_by("created_at"))


def order_refundable(*, order: Order) -> Decimal:
    """What may still be refunded: paid, less refunds done or on their way (one query)."""
    reserved = order.refunds.filter(status__in=Refund.RESERVED).aggregate(s=Sum("amount"))["s"] or ZERO
    return max((order.amount_paid or ZERO) - reserved, ZERO)


def paid_order_for(*, user: User | AnonymousUser, course_id: int) -> Order | None:
    """The order that holds the learner's place on a course (for a receipt link); seats the
    person bought for their organisation are not their own place."""
    if not user.is_authenticated:
        return None
    return (
        Order.objects.filter(user=user, course_id=course_id, status__in=Order.WITH_RECEIPT, purpose=Order.Purpose.PLACE)
        .order_by("-created_at")
        .first()
    )


def courses_with_orders() -> QuerySet[CoursePage]:
    """Courses anyone ever ordered, by title: the course filter of the staff pages."""
    return CoursePage.objects.filter(pk__in=Order.objects.values("course_id")).order_by("title")
