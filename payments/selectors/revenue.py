"""Revenue by course and month, for staff (the admin's Revenue page and its CSV).

Revenue counts orders that took money (or a zero-amount place): paid, partly refunded,
refunded and disputed, by the month they were paid. Each row is one course, one month and
one currency: amounts in different currencies are never added together. One query,
aggregated in the database, whatever the number of orders.

- fees: course fees before discounts; discounts: what codes took off;
- refunds: money given back on those orders (whole payment, counted against fees);
- net: fees − discounts − refunds; donations: apart, never in the figures above.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from .. import money
from ..models import ZERO, Order


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class RevenueRow:
    month: date
    course_id: int
    course_title: str
    currency: str
    orders: int
    zero_amount_orders: int
    fees: Decimal
    discounts: Decimal
    refunds: Decimal
    donations: Decimal

    @property
    def net(self) -> Decimal:
        return self.fees - self.discounts - self.refunds

    def shown(self, amount: Decimal) -> str:
        return money.display(amount, self.currency)


def revenue_queryset(
    *, date_from: date | None = None, date_to: date | None = None, course_id: int | None = None
) -> QuerySet:
    """Orders that took money, grouped by month, course and currency (one query)."""
    orders = Order.objects.filter(status__in=Order.WITH_RECEIPT, paid_at__isnull=False)
    if date_from:
        orders = orders.filter(paid_at__gte=day_start(date_from))
    if date_to:
        orders = orders.filter(paid_at__lt=day_start(date_to + timedelta(days=1)))
    if course_id:
        orders = orders.filter(course_id=course_id)
    zero = Value(ZERO, output_field=Order._meta.get_field("price_amount"))
    return (
        orders.annotate(month=TruncMonth("paid_at", tzinfo=timezone.get_current_timezone()))
        .values("month", "course_id", "currency")
        .annotate(
            course_title=Max("course_title"),
            orders=Count("pk"),
            zero_amount_orders=Count("pk", filter=Q(total_amount=0)),
            fees=Coalesce(Sum("price_amount"), zero),
            discounts=Coalesce(Sum("discount_amount"), zero),
            refunds=Coalesce(Sum("amount_refunded"), zero),
            donations=Coalesce(Sum("donation_amount"), zero),
        )
        .order_by("-month", "course_title", "currency")
    )


def revenue(
    *, date_from: date | None = None, date_to: date | None = None, course_id: int | None = None
) -> list[RevenueRow]:
    return [
        RevenueRow(
            month=row["month"].date() if isinstance(row["month"], datetime) else row["month"],
            course_id=row["course_id"], course_title=row["course_title"], currency=row["currency"],
            orders=row["orders"], zero_amount_orders=row["zero_amount_orders"], fees=row["fees"],
            discounts=row["discounts"], refunds=row["refunds"], donations=row["donations"],
        )
        for row in revenue_queryset(date_from=date_from, date_to=date_to, course_id=course_id)
    ]


def revenue_totals(rows: list[RevenueRow]) -> list[dict]:
    """Totals per currency (never across currencies)."""
    totals: dict[str, dict] = {}
    for row in rows:
        t = totals.setdefault(row.currency, {"currency": row.currency, "orders": 0, "fees": ZERO, "discounts": ZERO,
                                             "refunds": ZERO, "net": ZERO, "donations": ZERO})
        t["orders"] += row.orders
        for key in ("fees", "discounts", "refunds", "net", "donations"):
            t[key] += getattr(row, key)
    return [totals[c] for c in sorted(totals)]

