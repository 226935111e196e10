"""A learner's attempt at a quiz: the questions it was given, the answers, the grade.

An attempt moves through one state machine (``courses.assessment.services`` is the only
writer):

    in_progress ──submit──> submitted ──grade──> graded
                                  │  └──written answers──> needs_review ──staff──> graded
                                  └──grading keeps failing──> failed (staff see it)

The questions, options and answer keys are copied into ``questions`` when the attempt
starts, so the attempt is graded against exactly what the learner saw.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QuizAttempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Being graded")
        NEEDS_REVIEW = "needs_review", _("Waiting for a reviewer")
        GRADED = "graded", _("Graded")
        FAILED = "failed", _("Grading failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    enrollment = models.ForeignKey("courses.Enrollment", on_delete=models.CASCADE, related_name="quiz_attempts")
    quiz = models.ForeignKey("courses.QuizPage", on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField(help_text=_("1 for the learner's first attempt at this quiz."))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)

    # What the attempt was given, fixed at the start (see courses.assessment.snapshot).
    questions = models.JSONField(editable=False)
    pass_mark = models.PositiveSmallIntegerField(editable=False)
    feedback = models.CharField(max_length=16, editable=False)
    # The learner's answers, saved as they go: {question id: answer}.
    answers = models.JSONField(default=dict, blank=True)

    started_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateTimeField(null=True, blank=True, help_text=_("When the time limit ends."))
    submitted_at = models.DateTimeField(null=True, blank=True)
    timed_out = models.BooleanField(default=False, help_text=_("Submitted because the time ran out."))
    # The attempt page's last heartbeat: time on task grows by the gap between two
    # (``courses.services.study_time``), as on lessons.
    last_seen_at = models.DateTimeField(null=True, blank=True, editable=False)

    # The grade. ``results`` holds per question: awarded, possible, correct.
    results = models.JSONField(default=dict, blank=True, editable=False)
    score_awarded = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    score_possible = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)

    # Staff review of written answers: {question id: {criterion index: points}}.
    review = models.JSONField(default=dict, blank=True, editable=False)
    reviewer_comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    result_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Keeping grading dependable: how often it was enqueued again by the sweeper or
    # failed, and the last error (for staff; never shown to the learner).
    grading_tries = models.PositiveSmallIntegerField(default=0, editable=False)
    queued_at = models.DateTimeField(null=True, blank=True, editable=False, help_text=_("Last sent for grading."))
    grading_error = models.TextField(blank=True, editable=False)
    regraded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-started_at"]
        permissions = [("review_quizattempt", _("Can review written answers and regrade quiz attempts"))]
        constraints = [
            models.UniqueConstraint(fields=["user", "quiz", "number"], name="attempt_number_once"),
            # Two "start attempt" requests at the same moment cannot both open one.
            models.UniqueConstraint(
                fields=["user", "quiz"], condition=Q(status="in_progress"), name="attempt_one_open"
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress") | Q(submitted_at__isnull=False),
                name="attempt_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="graded") | (Q(graded_at__isnull=False) & Q(passed__isnull=False)),
                name="attempt_graded_has_result",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "queued_at"]),
            models.Index(fields=["user", "quiz", "-number"]),
        ]

    def __str__(self) -> str:
        return f"Attempt {self.number} by {self.user} at quiz {self.quiz_id}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS

    @property
    def result_ready(self) -> bool:
        return self.status == self.Status.GRADED


class ReviewDigest(models.Model):
    """One row per day on which reviewers were told what waits for them
    (``courses.assessment.services.digest``): the unique day makes a task run twice, or
    two beat processes, send one email per reviewer."""

    day = models.DateField(unique=True)
    waiting = models.PositiveIntegerField(help_text=_("Attempts waiting for a reviewer when it was sent."))
    failed = models.PositiveIntegerField(help_text=_("Attempts whose automatic grading had failed."))
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"Review digest {self.day}"
