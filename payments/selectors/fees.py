"""Reads about course fees: a course's fee in each currency it has one in, and which of
them a learner sees.

The currency a learner sees, in order: the one they chose (on their account page for a
signed-in learner, in the session for a visitor, or on the checkout page), else their
country's (the region of their browser's first language tag with one: ``es-MX`` → MXN,
``en-GB`` → GBP), when the course has a fee in it; otherwise the course's main currency.
A currency Stripe does not take is never chosen. A list of courses (the catalogue, the
home page, an organisation's seat form) shows each course's fee by the same rule, read for
all of them at once (``course_fees_shown``).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext

from courses.models import CoursePage

from .. import currencies, money
from ..models import CoursePrice

SESSION_KEY = "payments_currency"


@dataclass(frozen=True)
class Fee:
    """A course's fee in the currency a learner sees, and why that currency."""

    currency: str
    amount: Decimal
    main_currency: str
    # Every currency the course has a fee in, main first (read for a list of courses: only
    # the main one when the reader wants no other currency, nothing else being needed).
    fees: dict[str, Decimal] = field(repr=False)
    wanted: str = ""  # the currency the learner chose or their country uses; "" if none
    source: str = "main"  # "chosen", "country" or "main": where ``wanted`` came from

    @property
    def currencies(self) -> list[str]:
        return list(self.fees)

    @property
    def display(self) -> str:
        return money.display(self.amount, self.currency)

    @property
    def currency_name(self) -> str:
        return currencies.name(self.currency)

    @property
    def is_fallback(self) -> bool:
        """The learner wanted another currency, and the course has no fee in it."""
        return bool(self.wanted) and self.wanted != self.currency

    @property
    def in_currency(self) -> str:
        """``This course's fee is in US dollars.``"""
        return gettext("This course's fee is in %(currency)s.") % {"currency": self.currency_name}


def _fees_of(course: CoursePage, rows: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """The main fee first, then ``rows`` (currency, amount) in order; a row in the main
    currency or in one Stripe does not take is ignored: the main fee is the page's own."""
    main = currencies.normalise(course.price_currency)
    fees = {main: money.rounded(course.price_amount, main)}
    for currency, amount in rows:
        if currency not in fees and currencies.is_supported(currency):
            fees[currency] = money.rounded(amount, currency)
    return fees


def course_fees(course: CoursePage) -> dict[str, Decimal]:
    """The course's fee in each currency, the main currency first (one query); ``{}`` for
    a free course."""
    if course.is_free:
        return {}
    rows = CoursePrice.objects.filter(course_id=course.pk).order_by("sort_order", "pk").values_list("currency", "amount")
    return _fees_of(course, rows)


def wanted_currency(request: HttpRequest | None) -> tuple[str, str]:
    """The currency the person wants and why: ``("EUR", "chosen")``, ``("MXN", "country")``,
    or ``("", "main")`` when nothing says."""
    if request is None:
        return "", "main"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and currencies.is_supported(user.preferred_currency):
        return currencies.normalise(user.preferred_currency), "chosen"
    session = getattr(request, "session", None)
    if session is not None and currencies.is_supported(session.get(SESSION_KEY)):
        return currencies.normalise(session[SESSION_KEY]), "chosen"
    country = currencies.from_accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    return (country, "country") if country else ("", "main")


def _shown(fees: dict[str, Decimal], wanted: str, source: str) -> Fee:
    main = next(iter(fees))
    shown = wanted if wanted in fees else main
    return Fee(currency=shown, amount=fees[shown], main_currency=main, fees=fees, wanted=wanted, source=source)


def course_fee(course: CoursePage, *, request: HttpRequest | None = None, currency: str = "") -> Fee | None:
    """The fee the learner sees (one query); None for a free course. ``currency`` (from
    the checkout page) wins over what ``request`` says."""
    fees = course_fees(course)
    if not fees:
        return None
    if currency:
        wanted, source = currencies.normalise(currency), "chosen"
    else:
        wanted, source = wanted_currency(request)
    return _shown(fees, wanted, source)


def course_fees_shown(courses: Iterable[CoursePage], *, request: HttpRequest | None = None) -> dict[int, Fee]:
    """The fee each course of a list shows this reader, by course id (free courses are
    left out): what ``course_fee`` gives course by course, with the same fallback to the
    main currency. One query for all the courses' fees, and none when the reader wants
    no currency (or only each paid course's main one): a list costs the same whatever
    its length."""
    paid = [course for course in courses if not course.is_free]
    wanted, source = wanted_currency(request)
    rows: dict[int, list[tuple[str, Decimal]]] = {}
    if wanted and any(currencies.normalise(course.price_currency) != wanted for course in paid):
        found = (
            CoursePrice.objects.filter(course_id__in=[course.pk for course in paid])
            .order_by("course_id", "sort_order", "pk")
            .values_list("course_id", "currency", "amount")
        )
        for course_id, currency, amount in found:
            rows.setdefault(course_id, []).append((currency, amount))
    return {course.pk: _shown(_fees_of(course, rows.get(course.pk, ())), wanted, source) for course in paid}
