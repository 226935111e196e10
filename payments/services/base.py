"""Shared by the payment services: errors safe to show, small helpers and flags for staff
(Stripe's minimum charges are in ``payments.money``)."""
from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy

from courses.models import CoursePage
from kernel.errors import Refusal

from ..models import Order


logger = logging.getLogger("payments.services")
Status = Order.Status
Flag = Order.Flag

NOT_SET_UP = gettext_lazy(
    "Online card payment is not set up on this site yet, so this fee cannot be paid here. "
    "To get a place, write to us (see below): we can take payment another way or arrange a fee "
    "waiver. If you have a scholarship code that covers the whole fee, enter it and you are "
    "enrolled at once."
)
class PaymentError(Refusal):
    """A request we refuse; ``message`` is safe to show, ``field`` names the form field."""

    field: str | None = None


class CodeError(PaymentError):
    field = "discount_code"


class DonationError(PaymentError):
    field = "donation_custom"


class CheckoutUnavailable(PaymentError):
    pass


class NotYet(Exception):
    """The event is about a payment we have not recorded yet (events out of order): it
    stays unprocessed and the sweep in ``orders_reconcile`` tries it again."""


def moment(now: datetime | None) -> datetime:
    """The moment a caller gives (a sweep's one clock, a test's), else now."""
    return now or timezone.now()


def base_url() -> str:
    """The site's root for absolute links (``BASE_URL``), without a trailing slash."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def stripe_id(value: dict | str | None) -> str:
    """A Stripe reference that may be an id or an expanded object."""
    if isinstance(value, dict):
        return value.get("id") or ""
    return value or ""


CLOSED = gettext_lazy("This course is not open for enrolment.")


def live_paid_course(course: CoursePage, *, free: str, closed: str = CLOSED) -> CoursePage:
    """The course as it is live now (one query): refused with ``closed`` if it is not
    live, with ``free`` if it has no fee. Read again because the page the learner started
    from may have been unpublished or made free since."""
    course = CoursePage.objects.live().filter(pk=course.pk).first()
    if course is None:
        raise PaymentError(closed)
    if course.is_free:
        raise PaymentError(free)
    return course
