"""Scholarship applications: a learner asks for help with a fee; staff approve (a
single-use code for that course, emailed) or decline (an optional kind note, emailed).

Safe to repeat: deciding locks the application and does nothing to one already decided,
so a double click on "Approve" makes one code and queues one email; the email itself is
marked sent under the same lock (``scholarship_send_decision``), so a task that runs twice
sends once. One open application per learner and course is backed by a partial
``UniqueConstraint``.

The learner hears at each step: a confirmation when the application arrives, then the
decision. An open application closes by itself when the learner gets a place another
way (a paid or waived order, an organisation's seat, staff): courses announces every
place given (``courses.events.place_given``) and ``scholarship_close_on_place`` answers
inside that transaction. Closing and deciding both lock the application row first, so
they happen one after the other: the second finds it no longer open and does nothing
(no code, no decision email), and a check constraint refuses a closed application with
a code.

What the pages read about applications (the queue, a learner's code, whom to tell) is in
``payments.selectors.scholarships``.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from courses import restrictions
from courses.models import CoursePage
from kernel import emails

from .. import jobs, money
from ..models import DiscountCode, ScholarshipApplication
from ..selectors import (
    scholarship_code_days, scholarship_staff_to_tell, scholarships_waiting_count, usable_scholarship_code,
)
from .base import PaymentError, base_url, live_paid_course
from .codes import has_place, minimum_charge, random_code
from .receipts import organisation

Application = ScholarshipApplication


def scholarship_apply(*, user: User, course: CoursePage, reason: str, can_pay: Decimal) -> Application:
    """Record an application. Raises ``PaymentError`` with a message for the form."""
    nothing_to_help = gettext("This course has no fee to help with.")
    course = live_paid_course(course, free=nothing_to_help, closed=nothing_to_help)
    if has_place(user=user, course_id=course.pk):
        raise PaymentError(gettext("You already have a place on this course."))
    if not restrictions.may_enrol(course, user):
        raise PaymentError(restrictions.COURSE_MESSAGE)
    currency = course.price_currency.upper()
    fee = money.rounded(course.price_amount, currency)
    reason = (reason or "").strip()
    if not Application.REASON_MIN <= len(reason) <= Application.REASON_MAX:
        raise PaymentError(gettext("Please write between %(minimum)s and %(maximum)s characters.") % {
            "minimum": Application.REASON_MIN, "maximum": Application.REASON_MAX,
        })
    can_pay = money.rounded(Decimal(can_pay), currency)
    if not 0 <= can_pay <= fee:
        raise PaymentError(gettext("Enter an amount between 0 and the fee, %(fee)s.") % {"fee": money.display(fee, currency)})
    if usable_scholarship_code(user=user, course_id=course.pk):
        raise PaymentError(gettext("You already have a scholarship code for this course: please check your email."))

    try:
        with transaction.atomic():
            app = Application.objects.create(
                user=user, course=course, course_title=course.title, currency=currency, fee=fee,
                reason=reason, can_pay=can_pay,
            )
    except IntegrityError:
        raise PaymentError(
            gettext("You have already applied for this course. We will email you as soon as we have decided.")
        ) from None
    # The learner waits on staff: tell them now rather than when someone opens the queue,
    # and tell the learner it arrived and what happens next.
    jobs.scholarship_staff_notice.enqueue_on_commit(app.pk)
    jobs.scholarship_received_email.enqueue_on_commit(app.pk)
    return app


def scholarship_send_received(*, application_id: int) -> bool:
    """Tell the learner their application arrived and what happens next; True if this
    call sent it. Once, and only while it waits: after a quick decision (or a place
    found another way) the confirmation would only confuse."""
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",)).select_related("user")
            .filter(pk=application_id).first()
        )
        if app is None or app.status != Application.Status.OPEN or app.received_email_sent_at is not None:
            return False
        emails.send_templated(
            template="payments/email/scholarship_received",
            context={"app": app, "user": app.user, "org": organisation()},
            to=[app.user.email],
        )
        app.received_email_sent_at = timezone.now()
        app.save(update_fields=["received_email_sent_at"])
        return True


def scholarship_close_on_place(
    *, user_id: int, course_id: int, enrollment_id: int, how: str, now: datetime | None = None
) -> Application | None:
    """The learner got a place on the course another way: their open application closes
    (nobody decided it; ``closed_reason`` says how). Runs inside the transaction that gave
    the place. Returns the application it closed, if any.

    ``status=OPEN`` is part of the locking query: if staff are deciding at this moment,
    PostgreSQL waits for them and then reads the row again, so an application approved a
    moment ago is left as approved (its code and email stand) rather than closed."""
    app = (
        Application.objects.select_for_update()
        .filter(user_id=user_id, course_id=course_id, status=Application.Status.OPEN)
        .first()
    )
    if app is None:
        return None
    app.status = Application.Status.CLOSED
    app.decided_at = now or timezone.now()
    app.closed_reason = f"{how} (enrolment {enrollment_id})"[:255]
    app.save(update_fields=["status", "decided_at", "closed_reason"])
    return app


def scholarship_notify_staff(*, application_id: int) -> bool:
    """Tell staff (``selectors.scholarship_staff_to_tell``) that an application waits;
    True if this call sent the email. Once per application, and not for one decided in the
    meantime. The learner's own words stay in the admin: the email says where to read them."""
    recipients = scholarship_staff_to_tell()
    if not recipients:
        return False
    with transaction.atomic():
        app = Application.objects.select_for_update().filter(pk=application_id).first()
        if app is None or app.status != Application.Status.OPEN or app.staff_notified_at is not None:
            return False
        emails.send_templated(
            template="payments/email/scholarship_staff",
            context={
                "app": app, "waiting": scholarships_waiting_count(),
                "admin_url": f"{base_url()}{reverse('payments_scholarships:inspect', args=[app.pk])}",
            },
            to=recipients,
        )
        app.staff_notified_at = timezone.now()
        app.save(update_fields=["staff_notified_at"])
        return True


def _code_for(app: Application, *, by: User | None, now: datetime) -> DiscountCode:
    covered = app.fee - app.can_pay
    # What is left to pay must be a payable card amount; below Stripe's minimum, waive it all.
    if app.can_pay == 0 or app.can_pay < minimum_charge(app.currency):
        kind, value, currency = DiscountCode.Kind.PERCENT, Decimal("100"), ""
    else:
        kind, value, currency = DiscountCode.Kind.FIXED, covered, app.currency
    for _ in range(5):
        try:
            with transaction.atomic():
                code = DiscountCode.objects.create(
                    code=random_code("SCH"), kind=kind, value=value, currency=currency, max_uses=1,
                    expires_at=now + timedelta(days=scholarship_code_days()), batch_label="Scholarship applications",
                    is_scholarship=True, note=f"Scholarship application {app.pk}",
                    created_by=by if getattr(by, "pk", None) else None,
                )
        except IntegrityError:  # a clash with an existing code: draw again
            continue
        code.courses.set([app.course_id])
        return code
    raise PaymentError(gettext("Could not make a unique code; please try again."))


def _decide(
    *, application_id: int, by: User | None, now: datetime | None, approve: bool, note: str = ""
) -> tuple[Application, bool]:
    """Returns the application and whether this call decided it."""
    now = now or timezone.now()
    with transaction.atomic():
        app = Application.objects.select_for_update().filter(pk=application_id).first()
        if app is None:
            raise PaymentError(gettext("No such application."))
        if app.status != Application.Status.OPEN:
            return app, False
        if approve:
            if app.can_pay >= app.fee:
                raise PaymentError(gettext("They can pay the whole fee, so there is nothing to cover: decline with a note instead."))
            app.discount_code = _code_for(app, by=by, now=now)
            app.status = Application.Status.APPROVED
        else:
            app.status = Application.Status.DECLINED
        app.decision_note = (note or "").strip()[:1000]
        app.decided_by = by if getattr(by, "pk", None) else None
        app.decided_at = now
        app.save(update_fields=["status", "discount_code", "decision_note", "decided_by", "decided_at"])
        jobs.scholarship_decision_email.enqueue_on_commit(app.pk)
        return app, True


def scholarship_approve(
    *, application_id: int, by: User | None = None, note: str = "", now: datetime | None = None
) -> tuple[Application, bool]:
    """Approve an open application: a single-use code, emailed. Returns the application
    and whether this call decided it (False: it was decided or closed already)."""
    return _decide(application_id=application_id, by=by, now=now, approve=True, note=note)


def scholarship_decline(
    *, application_id: int, by: User | None = None, note: str = "", now: datetime | None = None
) -> tuple[Application, bool]:
    """Decline an open application, the note emailed. Returns as ``scholarship_approve``."""
    return _decide(application_id=application_id, by=by, now=now, approve=False, note=note)


def scholarship_send_decision(*, application_id: int) -> bool:
    """Email the decision once; True if this call sent it."""
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",)).select_related("user", "discount_code")
            .filter(pk=application_id).first()
        )
        # Only a decision is emailed: an application that closed by itself needs no word.
        decided = (Application.Status.APPROVED, Application.Status.DECLINED)
        if app is None or app.status not in decided or app.email_sent_at is not None:
            return False
        emails.send_templated(
            template=f"payments/email/scholarship_{app.status}",
            context={
                "app": app, "user": app.user, "org": organisation(), "code": app.discount_code,
                "checkout_url": f"{base_url()}{reverse('payments:checkout', args=[app.course_id])}",
            },
            to=[app.user.email],
        )
        app.email_sent_at = timezone.now()
        app.save(update_fields=["email_sent_at"])
        return True
