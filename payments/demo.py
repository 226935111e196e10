"""Demo fees for ``manage.py seed_demo``: what the payments side looks like without a
Stripe account.

The facilitator course has a fee (``courses/demo/facilitator``: 40.00 USD, its main
currency) and the same fee in pounds, euros, Canadian and Australian dollars
(``DEMO_FEES``): a visitor whose browser asks for Spanish from Spain sees euros, one in
Britain pounds. Staff have made:

- ``FEE-WAIVER``, a code that waives the whole fee, for the volunteers the network will
  not turn away: without Stripe keys it is how the demo learner takes the paid course
  (a zero-amount order, no card);
- ``SUPPORTED-RATE``, half the fee, for up to 200 learners;
- a batch of five single-use scholarship codes (Discount codes, filtered by batch);
- and a volunteer's scholarship application waits for a decision (Scholarship
  applications), so staff can approve it and see the code it emails.

Codes are found by their text and the batch by its label, the applicant by email: running
the seed again creates nothing new. No order is made here: a receipt would be emailed
(printed in the middle of the seed's output) for a payment no one made.
"""
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from courses.demo.people import ensure_person
from courses.models import CoursePage

from .models import CoursePrice, DiscountCode, ScholarshipApplication
from .services import discount_codes_generate, scholarship_apply

WAIVER = "FEE-WAIVER"
SUPPORTED = "SUPPORTED-RATE"
BATCH = "Scholarships: demo batch"
BATCH_SIZE = 5
APPLICANT = ("jordan.mensah@example.org", "Jordan Mensah")
APPLICATION_REASON = (
    "I have co-led our Tuesday evening meeting for a year and the group would like me to take "
    "over as facilitator when our current one moves away. I work part-time and support my "
    "mother, so the full fee is more than I can manage this month."
)
APPLICATION_CAN_PAY = Decimal("10.00")
# The demo course's fee in other currencies than its main one (USD), rounded as people price.
DEMO_FEES = {"GBP": Decimal("32.00"), "EUR": Decimal("37.00"), "CAD": Decimal("55.00"), "AUD": Decimal("60.00")}


def ensure_demo_fees(course: CoursePage) -> int:
    """The paid demo course's fee in ``DEMO_FEES``'s currencies; how many were added.
    Fees staff have since changed are left as they are."""
    if course.is_free:
        return 0
    added = 0
    for position, (currency, amount) in enumerate(DEMO_FEES.items()):
        _price, created = CoursePrice.objects.get_or_create(
            course=course, currency=currency, defaults={"amount": amount, "sort_order": position}
        )
        added += created
    return added


@dataclass(frozen=True)
class DemoPayments:
    waiver_code: str
    codes_created: int


def ensure_demo_payments(*, course: CoursePage, by: User | None) -> DemoPayments:
    """Codes, a scholarship batch and an open application for the paid demo ``course``.
    Call inside a transaction, after the course exists."""
    ensure_demo_fees(course)
    created = 0
    specs = [
        (WAIVER, Decimal("100"), None,
         "Waives the whole fee: given to volunteers who tell us they cannot pay. Demo: the way to "
         "take this course without a card payment."),
        (SUPPORTED, Decimal("50"), 200,
         "Half the fee, for volunteers on a low income. Shared with local groups' coordinators."),
    ]
    for text, value, max_uses, note in specs:
        code = DiscountCode.objects.filter(code__iexact=text).first()
        if code is None:
            code = DiscountCode.objects.create(
                code=text, kind=DiscountCode.Kind.PERCENT, value=value, max_uses=max_uses, note=note, created_by=by,
            )
            created += 1
        code.courses.add(course)
    if not DiscountCode.objects.filter(batch_label=BATCH).exists():
        created += len(discount_codes_generate(
            count=BATCH_SIZE, batch_label=BATCH, courses=[course], by=by, prefix="SCH",
            expires_at=timezone.now() + timedelta(days=180),
            note="For applicants approved by the training team; one place each.",
        ))
    email, name = APPLICANT
    applicant = ensure_person(email, name)
    if not ScholarshipApplication.objects.filter(user=applicant, course=course).exists() and not course.is_free:
        scholarship_apply(user=applicant, course=course, reason=APPLICATION_REASON, can_pay=APPLICATION_CAN_PAY)
    return DemoPayments(waiver_code=WAIVER, codes_created=created)
