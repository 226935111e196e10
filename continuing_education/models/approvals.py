"""Accrediting bodies, the network's approvals from them, and the CE hours of each course.

An approval holds the rules as the body writes them (hours per hour of instruction, the
online cap per 24 hours, the time on task required, the passing score, the evaluation,
how long records are kept). Rules live on the approval, not in code, because each body
writes its own and renews them. A CE certificate copies the figures it was issued with
(``CECertificate``): editing an approval or a course's hours never changes one issued.
"""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

QUARTER_HOUR = Decimal("0.25")


def validate_quarter_hours(value: Decimal) -> None:
    # Boards award CE in quarter hours; 1.3 hours cannot be printed on a board's form.
    if value is not None and (value / QUARTER_HOUR) % 1:
        raise ValidationError(_("Use quarter hours: for example 1.25, 1.5 or 6."))


class AccreditingBody(models.Model):
    """A body that approves continuing-education providers, e.g. NAADAC."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True, help_text=_("For example NAADAC."))
    website = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("logo")
    )

    panels = [FieldPanel("name"), FieldRowPanel([FieldPanel("short_name"), FieldPanel("website")]), FieldPanel("logo")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("accrediting body")
        verbose_name_plural = _("accrediting bodies")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Approval(ClusterableModel):
    """The network's approval as a provider by one body, for a period, with its rules."""

    body = models.ForeignKey(AccreditingBody, on_delete=models.PROTECT, related_name="approvals", verbose_name=_("accrediting body"))
    provider_number = models.CharField(
        _("provider number"), max_length=60,
        validators=[RegexValidator(r"^[\w .#/-]+$", _("Letters, digits, spaces and . # / - only."))],
    )
    statement = models.TextField(
        _("approval statement"),
        help_text=_("Printed on every CE certificate, exactly as the body asks it worded."),
    )
    approved_from = models.DateField(_("approved from"))
    approved_until = models.DateField(_("approved until"))
    warn_days = models.CharField(
        _("warn staff days before it lapses"), max_length=50, default="90,30,7",
        validators=[RegexValidator(r"^(\d{1,3})(,\s*\d{1,3})*$", _("Days before the end, separated by commas."))],
    )

    # The body's rules.
    ce_hours_per_hour = models.DecimalField(
        _("CE hours per hour of instruction"), max_digits=4, decimal_places=2, default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("2"))],
    )
    daily_cap_hours = models.DecimalField(
        _("online hours credited per 24 hours at most"), max_digits=4, decimal_places=2, default=Decimal("8"),
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24")), validate_quarter_hours],
    )
    time_on_task_percent = models.PositiveSmallIntegerField(
        _("time on task required (% of the course's CE hours)"), default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Measured time spent on the course's lessons and quizzes."),
    )
    passing_score_percent = models.PositiveSmallIntegerField(
        _("passing score required (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Every required quiz of the course passed with at least this score."),
    )
    requires_evaluation = models.BooleanField(_("course evaluation required"), default=True)
    retention_years = models.PositiveSmallIntegerField(
        _("keep records for (years)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )

    panels = [
        FieldPanel("body"),
        FieldRowPanel([FieldPanel("provider_number"), FieldPanel("approved_from"), FieldPanel("approved_until")]),
        FieldPanel("statement"),
        FieldPanel("warn_days"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("ce_hours_per_hour"), FieldPanel("daily_cap_hours")]),
                FieldRowPanel([FieldPanel("time_on_task_percent"), FieldPanel("passing_score_percent")]),
                FieldRowPanel([FieldPanel("requires_evaluation"), FieldPanel("retention_years")]),
            ],
            heading=_("The body's rules"),
        ),
        InlinePanel("courses", label=_("Courses and their CE hours")),
    ]

    class Meta:
        ordering = ["body__name", "-approved_until"]
        verbose_name = _("CE approval")
        verbose_name_plural = _("CE approvals")
        permissions = [("manage_ce_certificates", "Can revoke, reissue and grant partial CE credit")]
        constraints = [
            models.CheckConstraint(condition=Q(approved_until__gte=F("approved_from")), name="approval_period_ordered"),
            models.UniqueConstraint(fields=["body", "provider_number", "approved_from"], name="approval_once_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.body.display_name} {self.provider_number} ({self.approved_from:%Y-%m-%d} – {self.approved_until:%Y-%m-%d})"

    def clean(self) -> None:
        super().clean()
        if self.approved_from and self.approved_until and self.approved_until < self.approved_from:
            raise ValidationError({"approved_until": _("The approval cannot end before it starts.")})

    @property
    def warn_thresholds(self) -> list[int]:
        return sorted({int(d) for d in self.warn_days.replace(" ", "").split(",") if d}, reverse=True)

    def is_current_on(self, day) -> bool:
        return self.approved_from <= day <= self.approved_until


class CourseApproval(Orderable):
    """A course's CE hours under one approval (a course may be approved by several bodies).

    The hours are those of the course's source page: translations of a course share its
    approvals (courses/languages.py maps a translated page to its source).
    """

    approval = ParentalKey(Approval, on_delete=models.CASCADE, related_name="courses")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="ce_approvals", verbose_name=_("course"))
    hours = models.DecimalField(
        _("CE hours"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(QUARTER_HOUR), validate_quarter_hours],
    )

    panels = [FieldRowPanel([FieldPanel("course"), FieldPanel("hours")])]

    class Meta(Orderable.Meta):
        verbose_name = _("course's CE hours")
        verbose_name_plural = _("courses' CE hours")
        constraints = [
            models.UniqueConstraint(fields=["approval", "course"], name="course_approved_once_per_approval"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="course_approval_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.course} – {self.hours}"


class ApprovalReminder(models.Model):
    """A warning to staff sent (or being sent) for one threshold before an approval lapses."""

    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["approval", "days_before"], name="approval_reminder_once_per_threshold")
        ]
