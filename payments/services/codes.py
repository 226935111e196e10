"""Quotes (fee, discount, donation) and discount codes, including batches of single-use scholarship codes."""
from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from accounts.models import User
from courses.models import CoursePage, Enrollment
from kernel.when import day_text

from .. import currencies, money
from ..models import ZERO, DiscountCode, normalise_code
from ..money import minimum_charge
from ..selectors import DonationBounds, course_fees, donation_bounds
from .base import CodeError, DonationError, PaymentError, moment

# What a donation may arrive as: the form's Decimal, or a number or text from elsewhere.
Amount = Decimal | int | str | None

# --- quotes and discount codes --------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    course: CoursePage
    currency: str
    price: Decimal
    code: DiscountCode | None
    discount: Decimal
    donation: Decimal

    @property
    def course_amount(self) -> Decimal:
        return self.price - self.discount

    @property
    def total(self) -> Decimal:
        return self.price - self.discount + self.donation

    def display(self, amount: Decimal) -> str:
        return money.display(amount, self.currency)


class CurrencyError(PaymentError):
    field = "currency"


def course_fee_in(course: CoursePage, currency: str = "", *, fees: dict[str, Decimal] | None = None) -> tuple[str, Decimal]:
    """The course's fee in ``currency`` (its main currency if ``""``), read from the
    database (``fees`` when the caller has just read them): ``("EUR", Decimal("38.00"))``.
    Raises ``CurrencyError`` when the course has no fee in that currency (a forged or
    stale choice): nothing is bought in it."""
    fees = course_fees(course) if fees is None else fees
    wanted = currencies.normalise(currency) or next(iter(fees), "")
    if wanted not in fees:
        problem = currencies.problem(wanted) if currency else None
        if problem is None and fees:
            problem = gettext("This course has no fee in %(currency)s: choose one of %(currencies)s.") % {
                "currency": wanted, "currencies": ", ".join(fees),
            }
        raise CurrencyError(problem or gettext("This course is free: enrol from its page."))
    return wanted, fees[wanted]


def discount_code_problem(
    code: DiscountCode, course: CoursePage, now: datetime | None = None, currency: str = ""
) -> str | None:
    """Why ``code`` cannot be used for ``course`` (its fee in ``currency``, the main one
    if ``""``) now, in words for the learner; None if it can."""
    now = moment(now)
    currency = currencies.normalise(currency) or course.price_currency.upper()
    shown = code.code
    if not code.active:
        return gettext("The code “%(code)s” is no longer active.") % {"code": shown}
    limited = list(code.courses.values_list("pk", flat=True))
    if limited and course.pk not in limited:
        return gettext("The code “%(code)s” is not valid for this course.") % {"code": shown}
    if code.kind == DiscountCode.Kind.FIXED and code.currency.upper() != currency:
        return gettext("The code “%(code)s” is for fees in %(currency)s; this course's fee is in %(fee_currency)s.") % {
            "code": shown, "currency": code.currency.upper(), "fee_currency": currency,
        }
    if code.expires_at is not None and code.expires_at <= now:
        return gettext("The code “%(code)s” expired on %(day)s.") % {"code": shown, "day": day_text(code.expires_at)}
    if code.max_uses is not None and code.uses >= code.max_uses:
        if code.max_uses == 1:
            return gettext("The code “%(code)s” has already been used. Each scholarship code works once.") % {"code": shown}
        return gettext("The code “%(code)s” has already been used as many times as it allows.") % {"code": shown}
    return None


def discount_code_find(text: str) -> DiscountCode | None:
    code = normalise_code(text)
    if not code:
        return None
    return DiscountCode.objects.filter(code__iexact=code).first()


def discount_for(code: DiscountCode, price: Decimal, currency: str) -> Decimal:
    if code.kind == DiscountCode.Kind.PERCENT:
        amount = money.rounded(price * code.value / Decimal(100), currency)
    else:
        amount = money.rounded(code.value, currency)
    return min(amount, price)


def donation_clean(amount: Amount, currency: str, bounds: DonationBounds | None = None) -> Decimal:
    """A donation within the currency's bounds (``selectors.donation_bounds``: what
    staff set, else the defaults for it), or 0. An amount finer than the currency's
    smallest unit (a fraction of a yen) is refused, never rounded into something else."""
    try:
        amount = Decimal(amount or 0)
    except (InvalidOperation, TypeError, ValueError):
        raise DonationError(gettext("Enter the donation as a number, for example 10.")) from None
    if not amount.is_finite():
        raise DonationError(gettext("Enter the donation as a number, for example 10."))
    if amount < 0:
        raise DonationError(gettext("A donation cannot be negative."))
    if amount == 0:
        return ZERO
    if money.rounded(amount, currency) != amount:
        raise DonationError(
            gettext("%(currency)s has no smaller unit than %(step)s: enter the donation as a whole number of it.")
            % {"currency": currency, "step": money.display(money.quantum(currency), currency)}
        )
    amount = money.rounded(amount, currency)
    bounds = bounds or donation_bounds(currency)
    if amount < bounds.minimum:
        raise DonationError(
            gettext("The smallest donation we can take is %(minimum)s.") % {"minimum": money.display(bounds.minimum, currency)}
        )
    if amount > bounds.maximum:
        raise DonationError(
            gettext("Thank you! Online we can take up to %(maximum)s; for a larger gift please write to us.")
            % {"maximum": money.display(bounds.maximum, currency)}
        )
    return amount


def checkout_quote(
    *, course: CoursePage, code_text: str = "", donation: Amount = ZERO, now: datetime | None = None,
    currency: str = "",
) -> Quote:
    """What the learner would pay: the fee in ``currency`` (the course's main one if
    ``""``; read from the database), the code's discount (checked), the donation.

    Raises ``CurrencyError`` / ``CodeError`` / ``DonationError`` with a message for the form."""
    fees = course_fees(course)
    if course.is_free:
        currency, price = course.price_currency.upper(), ZERO
    else:
        currency, price = course_fee_in(course, currency, fees=fees)
    # The bounds are read only for a donation (none: no query).
    bounds = donation_bounds(currency, course=course, fees=fees) if donation else None
    donation = donation_clean(donation, currency, bounds)
    code = None
    discount = ZERO
    if normalise_code(code_text):
        code = discount_code_find(code_text)
        if code is None:
            raise CodeError(
                gettext("We do not recognise the code “%(code)s”. Please check it; codes are not case-sensitive.")
                % {"code": normalise_code(code_text)}
            )
        problem = discount_code_problem(code, course, now, currency)
        if problem:
            raise CodeError(problem)
        discount = discount_for(code, price, currency)
    return Quote(course=course, currency=currency, price=price, code=code, discount=discount, donation=donation)


def has_place(*, user: User, course_id: int) -> bool:
    """Whether the learner holds a place on the course (active or completed)."""
    return Enrollment.objects.filter(
        user=user, course_id=course_id, status__in=[Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED]
    ).exists()


# --- scholarship codes ----------------------------------------------------------------------

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read out


def random_code(prefix: str) -> str:
    """``SCH-7KQ2-M9XD``: two groups of four drawn from ``CODE_ALPHABET``, after the prefix if any."""
    groups = ["".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(2)]
    return "-".join([prefix, *groups] if prefix else groups)


def discount_codes_generate(
    *, count: int, batch_label: str, value: Decimal = Decimal("100"), kind: str = DiscountCode.Kind.PERCENT,
    currency: str = "", courses: Iterable[CoursePage] = (), expires_at: datetime | None = None, by: User | None = None,
    prefix: str = "SCH", note: str = "",
) -> list[DiscountCode]:
    """A batch of single-use scholarship codes (100% off unless told otherwise)."""
    if not 1 <= count <= 1000:
        raise PaymentError(gettext("Generate between 1 and 1000 codes at a time."))
    if not batch_label.strip():
        raise PaymentError(gettext("Give the batch a label, so that staff can find its codes."))
    prefix = normalise_code(prefix)
    courses = list(courses)
    for _ in range(5):
        codes = [
            DiscountCode(
                code=random_code(prefix), kind=kind, value=value, currency=currency.upper() if kind == "fixed" else "",
                max_uses=1, expires_at=expires_at, batch_label=batch_label.strip(), is_scholarship=True,
                note=note, created_by=by if getattr(by, "pk", None) else None,
            )
            for _ in range(count)
        ]
        if len({c.code for c in codes}) != count:
            continue
        try:
            with transaction.atomic():
                created = DiscountCode.objects.bulk_create(codes)
                if courses:
                    through = DiscountCode.courses.through
                    through.objects.bulk_create(
                        [through(discountcode_id=code.pk, coursepage_id=course.pk) for code in created for course in courses]
                    )
                return created
        except IntegrityError:  # a clash with an existing code: draw again
            continue
    raise PaymentError(gettext("Could not generate unique codes; please try again."))
