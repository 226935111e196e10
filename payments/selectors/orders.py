"""Reads for payments."""
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from courses.models import Enrollment

from .models import DiscountCode, Order, Refund, ScholarshipApplication


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


@dataclass(frozen=True)
class ScholarshipState:
    """Where a learner's scholarship request for a course stands, for the pages they see:
    waiting for staff (no ``code``), or approved with a ``code`` still unused."""

    application: ScholarshipApplication
    code: DiscountCode | None = None


def usable_code_q(now: datetime) -> Q:
    """Applications approved with a code that still works: active, unused, not expired."""
    return Q(status=ScholarshipApplication.Status.APPROVED, discount_code__active=True, discount_code__uses=0) & (
        Q(discount_code__expires_at__isnull=True) | Q(discount_code__expires_at__gt=now)
    )


def scholarship_states(*, user, course_id: int | None = None, now: datetime | None = None) -> list[ScholarshipState]:
    """One query: the learner's applications still waiting, and approved ones whose code
    still works, for courses they have no place on yet (oldest first; one course's only)."""
    if not getattr(user, "is_authenticated", False):
        return []
    placed = Enrollment.objects.filter(
        user=user, course=OuterRef("course"), status__in=[Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED]
    )
    apps = (
        ScholarshipApplication.objects.filter(user=user)
        .filter(Q(status=ScholarshipApplication.Status.OPEN) | usable_code_q(now or timezone.now()))
        .exclude(Exists(placed))
        .select_related("discount_code", "course")
        .order_by("created_at")
    )
    if course_id is not None:
        apps = apps.filter(course_id=course_id)
    return [ScholarshipState(application=app, code=None if app.status == app.Status.OPEN else app.discount_code)
            for app in apps]


def scholarship_state(*, user, course_id: int, now: datetime | None = None) -> ScholarshipState | None:
    """The course page's and checkout's line: the newest of ``scholarship_states`` for the
    course (a declined application, or a used or expired code, shows nothing)."""
    states = scholarship_states(user=user, course_id=course_id, now=now)
    return states[-1] if states else None
