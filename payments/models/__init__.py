"""Orders for course fees, the Stripe events that settle them, refunds, discount codes and
scholarship applications.

Amounts are ``Decimal`` in the currency's major unit (see ``payments.money``); every
amount on an order comes from the server (the course's fee, the code's discount, a
donation within bounds), never from the browser. The database backs the rules that
money depends on: one paid order per learner and course, one order per Stripe payment,
one row per Stripe event and per Stripe refund, a code never used more than allowed.

One module per aggregate: ``codes`` (discount codes and the rules of their text),
``orders`` (orders and refunds), ``prices`` (a course's fee in other currencies), ``donations`` (the donation
amounts offered in a currency), ``stripe_events``, ``scholarships`` (applications);
``base`` holds how amounts are stored. Callers import the names from here.
"""
from .base import AMOUNT, ZERO
from .codes import CODE_CHARACTERS, DiscountCode, code_problem, normalise_code
from .donations import DonationAmounts
from .orders import Order, Refund
from .prices import CoursePrice
from .scholarships import ScholarshipApplication
from .stripe_events import StripeEvent

__all__ = [
    "AMOUNT", "CODE_CHARACTERS", "ZERO", "CoursePrice", "DiscountCode", "DonationAmounts", "Order", "Refund", "ScholarshipApplication", "StripeEvent",
    "code_problem", "normalise_code",
]
