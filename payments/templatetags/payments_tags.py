from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django import template
from django.template.context import Context

from courses.languages import source_page
from courses.models import CoursePage

from .. import currencies, money, selectors
from ..models import Order
from ..selectors import Fee, ScholarshipState

register = template.Library()


@register.filter
def amount(value: Decimal | None, currency: str | None) -> str:
    """``{{ order.total_amount|amount:order.currency }}`` → ``$40.00`` in English,
    ``40,00 US$`` in Spanish (``payments.money.display``)."""
    return money.display(value, currency or "")


@register.filter
def currency_name(code: str | None) -> str:
    """``{{ "EUR"|currency_name }}`` → ``euros`` (in the active language)."""
    return currencies.name(code or "")


@register.simple_tag(takes_context=True)
def course_fee(context: Context, course: CoursePage | None) -> Fee | None:
    """The course's fee in the currency this person sees (one query; None for a free
    course): ``{% course_fee page as fee %}{{ fee.display }}``."""
    if course is None:
        return None
    return selectors.course_fee(course, request=context.get("request"))


@register.simple_tag(takes_context=True)
def course_fees_shown(context: Context, courses: Iterable[CoursePage] | None) -> dict[int, Fee]:
    """Each listed course's fee in the currency this person sees, by course id (one query
    for the whole list; free courses left out), for the cards of a list:
    ``{% course_fees_shown courses as fees %}`` then ``{{ fees|lookup:course.id }}``.
    A queryset is read once: the loop that follows uses the same results."""
    if not courses:
        return {}
    return selectors.course_fees_shown(courses, request=context.get("request"))


@register.simple_tag
def currency_choices() -> list[tuple[str, str]]:
    """Every currency a person may choose for fees: ``[("EUR", "Euros (EUR)"), …]``."""
    return currencies.choices()


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
