"""Reads for payments, one module per topic (``fees``, ``donations``, ``orders``, ``scholarships``, ``revenue``);
callers use this package's names (``selectors.paid_order_for(...)``)."""
from .donations import SCALE, DonationBounds, donation_bounds, round_factor
from .fees import SESSION_KEY, Fee, course_fee, course_fees, course_fees_shown, wanted_currency
from .orders import courses_with_orders, order_refundable, order_refunds_counted, orders_for_learner, paid_order_for
from .revenue import RevenueRow, day_start, revenue, revenue_queryset, revenue_totals
from .scholarships import (
    CODE_DAYS, ScholarshipState, open_scholarship_application, scholarship_code_days,
    scholarship_staff_to_tell, scholarship_state, scholarship_states, scholarships_waiting_count, usable_code_q,
    usable_scholarship_code,
)

__all__ = [
    "SCALE", "DonationBounds", "donation_bounds", "round_factor",
    "SESSION_KEY", "Fee", "course_fee", "course_fees", "course_fees_shown", "wanted_currency",
    "CODE_DAYS", "RevenueRow", "ScholarshipState", "courses_with_orders", "day_start", "open_scholarship_application",
    "order_refundable", "order_refunds_counted", "orders_for_learner", "paid_order_for", "revenue", "revenue_queryset",
    "revenue_totals", "scholarship_code_days", "scholarship_staff_to_tell", "scholarship_state",
    "scholarship_states", "scholarships_waiting_count", "usable_code_q", "usable_scholarship_code",
]
