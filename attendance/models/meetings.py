"""The meetings a facilitator runs, and the short codes participants type to request a slip.

A meeting is about the facilitator, never about its participants: nothing here names or
counts a person who attends.
"""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _, pgettext_lazy
from django_countries.fields import CountryField

from kernel.names import validate_printable_name


class Meeting(models.Model):
    class Kind(models.TextChoices):
        FOUR_POINT = "four_point", _("4-Point meeting")
        FAMILY_FRIENDS = "family_friends", _("Family & Friends meeting")
        VETERANS = "veterans", _("Veterans meeting")
        YOUTH = "youth", _("Young people's meeting")
        OTHER = "other", pgettext_lazy("meeting kind", "Other meeting")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("kind of meeting"), max_length=20, choices=Kind.choices)
    mode = models.CharField(_("online or in person"), max_length=10, choices=Mode.choices)
    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=Weekday.choices)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    time_zone = models.CharField(_("time zone"), max_length=64, help_text=_("The meeting's own time zone."))
    town = models.CharField(
        _("town"), max_length=120, blank=True, validators=[validate_printable_name],
        help_text=_("Where it meets; leave empty for an online meeting."),
    )
    country = CountryField(_("country"), blank=True, help_text=_("For the network's counts per region."))
    # The facilitator's name as they choose to show it on slips (e.g. "Sam R.").
    facilitator_display_name = models.CharField(
        _("your name on slips"), max_length=150, validators=[validate_printable_name],
    )
    requests_open = models.BooleanField(
        _("participants may request slips with a meeting code"), default=True,
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["weekday", "starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            # A meeting may run past midnight (ends_at < starts_at), never for zero minutes.
            models.CheckConstraint(condition=~Q(starts_at=F("ends_at")), name="meeting_has_length"),
            models.CheckConstraint(
                condition=Q(mode="online") | ~Q(town=""), name="meeting_in_person_has_town"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_weekday_display()} {self.starts_at:%H:%M})"


class MeetingCode(models.Model):
    """A short code shown by the facilitator for one occurrence of a meeting: participants
    type it on their own phone to request their slip, only within a short window after the
    meeting ends. Deleted once the window has passed (the periodic sweep)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=12, unique=True)
    # The occurrence: its date and moments, in absolute time, as the meeting's zone made them.
    meeting_date = models.DateField()
    meeting_starts_at = models.DateTimeField()
    meeting_ends_at = models.DateTimeField()
    valid_until = models.DateTimeField()
    requests_made = models.PositiveIntegerField(default=0, help_text=_("How many slips were requested: a number only."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "meeting_date"], name="meeting_code_once_per_occurrence"),
            models.CheckConstraint(condition=Q(valid_until__gt=F("meeting_ends_at")), name="meeting_code_after_end"),
        ]
        indexes = [models.Index(fields=["valid_until"], name="meeting_code_valid_until")]
