"""Attendance slips: what the server keeps of one, and for how long.

Never a participant's name, email, phone, address or free text. A slip keeps the
meeting's facts as they were when it was issued, its code, and a keyed hash (HMAC with
the attendance key, not SECRET_KEY; ``key_id`` names the key so keys can be rotated) of
the normalised name with the slip code, so that an officer who types the name printed on
the slip can be told it matches. The row is deleted when the slip expires.
"""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Slip(models.Model):
    class Via(models.TextChoices):
        FACILITATOR = "facilitator", _("Issued by the facilitator")
        REQUEST = "request", _("Requested with the meeting code")

    code = models.CharField(max_length=32, unique=True)
    meeting = models.ForeignKey("attendance.Meeting", null=True, on_delete=models.SET_NULL, related_name="slips")
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The facilitator's certificate that allowed the slip: the check says whether it was
    # current on the meeting's day.
    certificate = models.ForeignKey("certification.Certificate", on_delete=models.PROTECT, related_name="+")
    via = models.CharField(max_length=12, choices=Via.choices)

    # The meeting as it was (a later edit of the meeting changes no slip).
    meeting_kind = models.CharField(max_length=20)
    meeting_mode = models.CharField(max_length=10)
    meeting_date = models.DateField()
    meeting_starts_at = models.DateTimeField()
    meeting_ends_at = models.DateTimeField()
    meeting_time_zone = models.CharField(max_length=64)
    facilitator_display_name = models.CharField(max_length=150)

    name_hash = models.CharField(max_length=64, help_text=_("HMAC-SHA256 (hex) of the normalised name and the slip code."))
    key_id = models.CharField(max_length=16, help_text=_("Which attendance key made the hash."))

    issued_at = models.DateTimeField()
    expires_on = models.DateField(help_text=_("The slip can be checked until this day; the row is deleted after it."))
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(expires_on__gt=models.F("meeting_date")), name="slip_expires_after_meeting"),
        ]
        indexes = [models.Index(fields=["expires_on"], name="slip_expires_on")]


class SlipCount(models.Model):
    """Slips issued per month, meeting kind and region: the only thing staff see, and kept
    after the slips themselves are deleted. Counts, never people."""

    month = models.DateField(help_text=_("The first day of the month."))
    meeting_kind = models.CharField(max_length=20)
    country = CountryField(blank=True)
    slips = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "meeting_kind", "country"], name="slip_count_once"),
        ]


class AttendancePolicy(models.Model):
    """The network's settings for slips, edited by staff (one row)."""

    retention_months = models.PositiveSmallIntegerField(
        _("keep slips checkable for (months)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("After this, a slip's row is deleted and its check answers that no slip matches."),
    )
    request_window_minutes = models.PositiveSmallIntegerField(
        _("participants may request slips for (minutes after the end)"), default=60,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )

    class Meta:
        verbose_name = _("attendance slip settings")
        verbose_name_plural = _("attendance slip settings")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="attendance_policy_single_row")]

    @classmethod
    def current(cls) -> "AttendancePolicy":
        return cls.objects.get_or_create(id=1)[0]
