"""A learner's place in a course and what they have done in it.

Only what training needs is stored: which lessons were completed, time spent on them,
and the learner's own private reflection notes.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Enrollment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("In progress")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Source(models.TextChoices):
        FREE = "free", _("Free course")
        PAID = "paid", _("Paid")
        WAIVER = "waiver", _("Fee waiver")
        SEAT = "seat", _("Organisation seat")
        STAFF = "staff", _("Added by staff")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.FREE)
    enrolled_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Kept up to date by the progress services so that lists of many enrolments
    # (the dashboard, organisation reports) need no per-course counting. 100 once
    # completed, whatever is published later (see the constraint below).
    progress_percent = models.PositiveSmallIntegerField(default=0)
    last_lesson = models.ForeignKey(
        "courses.LessonPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_activity_at = models.DateTimeField(null=True, blank=True)
    # The sum of the lessons' time on task (``StudyHour``), kept by the heartbeat so that a
    # lesson page can show time on task without adding up rows.
    time_spent_seconds = models.PositiveIntegerField(default=0)
    completion_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrollment_one_per_course"),
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100), name="enrollment_progress_max_100"
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_at__isnull=False),
                name="enrollment_completed_has_date",
            ),
            # Completion once reached stands (courses.selectors.new_since_completion): no
            # page, email or report can show "completed" beside a lower percentage, nor
            # can a place given back after a withdrawal.
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(progress_percent=100),
                name="enrollment_completed_is_100",
            ),
        ]
        indexes = [models.Index(fields=["user", "-last_activity_at"])]

    def __str__(self) -> str:
        # Staff read this in the admin (the inspect page's title): the course's title, not its id.
        return f"{self.user} in {self.course.title}"


class LessonProgress(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    first_viewed_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(
        help_text=_("Last page view or heartbeat; time on task only grows by the gap between two.")
    )
    time_spent_seconds = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "lesson"], name="lesson_progress_once"),
        ]


class StudyHour(models.Model):
    """Time on task in one clock hour (UTC) of one enrolment.

    Continuing-education bodies cap online credit per 24 hours, so when the time was spent
    matters, not only how much: the heartbeat adds each counted gap to the hour it ends in.
    Hours, not single heartbeats, so a long course keeps tens of rows, not thousands.
    """

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="study_hours")
    hour = models.DateTimeField(help_text=_("The start of the hour, in UTC."))
    seconds = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "hour"], name="study_hour_once"),
            models.CheckConstraint(condition=Q(seconds__lte=3600), name="study_hour_at_most_an_hour"),
        ]


class ReflectionAnswer(models.Model):
    """A learner's private answer to a reflection prompt. Only its author ever sees it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    # The StreamField block's stable id, so the answer stays with its prompt when
    # authors reorder the lesson.
    block_id = models.CharField(max_length=64)
    text = models.TextField(max_length=10_000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson", "block_id"], name="reflection_once"),
        ]
