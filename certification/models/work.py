"""Work a task was asked to do for a person's certificates, kept until it is done.

Evaluating a learner's programmes (after a course, a sign-off, an attestation or the code
of conduct) and reissuing their certificates with a new printed name are asked for in the
same transaction as the change that needs them; a task does the work. The task's message
can be lost (a broker restarted, a worker killed); this row cannot: the task deletes it
once the work is done, and the sweep (``certification/services/sweep.py``) enqueues the
task again for a row left behind.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class PendingWork(models.Model):
    class Kind(models.TextChoices):
        EVALUATE = "evaluate", _("Evaluate the person's programmes")
        REISSUE = "reissue", _("Reissue certificates with the new name")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # Set when the task is enqueued: if the row is still here then, the sweep enqueues it again.
    sweep_after = models.DateTimeField()
    sweep_tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="pending_work_once_per_kind")]
        indexes = [models.Index(fields=["sweep_after"], name="pending_work_sweep_after")]

    def __str__(self) -> str:
        return gettext("%(kind)s (user %(user)s)") % {"kind": self.get_kind_display(), "user": self.user_id}
