"""Scholarship applications: a learner asking for help with a course fee."""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from .. import money
from .base import AMOUNT
from .codes import DiscountCode


class ScholarshipApplication(models.Model):
    """A learner asking for help with a course fee: why, and what they can pay.

    Staff approve (a single-use code for the course covering the fee less what the learner
    can pay, emailed to them) or decline (with an optional kind note, emailed). An open
    application closes by itself when the learner gets a place another way (``CLOSED``:
    nobody decided it, ``closed_reason`` says how, ``decided_at`` when, and no decision
    email goes). One open application per learner and course. Only what the decision needs
    is kept: the learner's own words (the form asks them not to include health details)
    and an amount.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        CLOSED = "closed", _("Closed: got a place another way")

    REASON_MIN = 20
    REASON_MAX = 1500

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scholarship_applications")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    course_title = models.CharField(max_length=255)
    currency = models.CharField(max_length=3)
    fee = models.DecimalField(_("course fee when applying"), **AMOUNT)
    reason = models.TextField(_("why they are applying"), max_length=REASON_MAX)
    can_pay = models.DecimalField(_("what they can pay"), **AMOUNT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decision_note = models.TextField(_("note to the learner"), blank=True, max_length=1000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    discount_code = models.OneToOneField(
        DiscountCode, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="scholarship_application"
    )
    # How the learner got a place when the application closed by itself, e.g. "Organisation
    # seat (enrolment 12)"; empty for applications staff decided.
    closed_reason = models.CharField(_("closed because"), max_length=255, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    email_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the learner was told their application arrived: set once, like the others.
    received_email_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When staff (PAYMENTS_STAFF_EMAILS) were told it is waiting: set once, so a retried
    # task does not tell them twice.
    staff_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("scholarship application")
        permissions = [("decide_scholarshipapplication", "Can approve or decline scholarship applications")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], condition=Q(status="open"), name="payments_scholarship_one_open_per_course"
            ),
            models.CheckConstraint(
                condition=Q(can_pay__gte=0, can_pay__lte=F("fee")), name="payments_scholarship_can_pay_within_fee"
            ),
            # Closing and approving meet under the application's row lock, one after the
            # other; whichever comes second finds nothing to do. Should that ever fail, the
            # database still refuses an application both closed and holding a code.
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(discount_code__isnull=True, decided_by__isnull=True),
                name="payments_scholarship_closed_has_no_code",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return gettext("Scholarship application %(number)s · %(course)s") % {"number": self.pk, "course": self.course_title}

    @property
    def covered(self) -> Decimal:
        """What the scholarship would take off the fee."""
        return self.fee - self.can_pay

    def display(self, field: str) -> str:
        return money.display(getattr(self, field), self.currency)
