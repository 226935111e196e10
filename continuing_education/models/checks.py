"""Where CE issuing stands for one learner and course, between the issuing tasks.

``due_at`` is when the sweep should evaluate again: a while after a request (in case its
message is lost), or the moment the daily cap lets the rest of the hours be credited.
``notified_state`` is the last set of unmet rules the learner was emailed about, so the
same state is never emailed twice. One row per learner and course, written only by
``services/issuing.py`` under its row lock.
"""
from django.conf import settings
from django.db import models


class CECheck(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The course's source page.
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField(null=True, blank=True)
    tries = models.PositiveSmallIntegerField(default=0)
    notified_state = models.CharField(max_length=400, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="ce_check_once_per_course")]
        indexes = [models.Index(fields=["due_at"], name="ce_check_due")]
