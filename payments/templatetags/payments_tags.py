from __future__ import annotations

from decimal import Decimal

from django import template
from django.template.context import Context

from courses.languages import source_page
from courses.models import CoursePage

from .. import money, selectors
from ..models import Order
from ..selectors import ScholarshipState

register = template.Library()


@register.filter
def amount(value: Decimal | None, currency: str | None) -> str:
    """``{{ order.total_amount|amount:order.currency }}`` → ``40.00 USD``."""
    return money.display(value, currency or "")


@register.simple_tag(takes_context=True)
def paid_order_for(context: Context, course: CoursePage | None) -> Order | None:
    """The learner's order with a receipt for ``course`` (None for visitors or free places)."""
    request = context.get("request")
    if request is None or course is None:
        return None
    course = source_page(course) or course  # a translation's orders are its source course's
    return selectors.paid_order_for(user=request.user, course_id=course.pk)


@register.simple_tag(takes_context=True)
def scholarship_for(context: Context, course: CoursePage | None) -> ScholarshipState | None:
    """The learner's scholarship application for ``course`` while it waits or its code is
    unused (None for visitors and otherwise): ``{% scholarship_for page as scholarship %}``."""
    request = context.get("request")
    if request is None or course is None:
        return None
    course = source_page(course) or course  # a translation's scholarships are its source course's
    return selectors.scholarship_state(user=request.user, course_id=course.pk)


@register.simple_tag(takes_context=True)
def scholarships_pending(context: Context) -> list[ScholarshipState]:
    """The signed-in learner's applications waiting for staff, or approved with a code to use."""
    request = context.get("request")
    return selectors.scholarship_states(user=request.user) if request is not None else []
