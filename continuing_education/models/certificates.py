"""CE certificates: proof of continuing-education hours, separate from the facilitator
certificate.

A CE certificate copies what it was issued with (hours, the approval's body, provider
number and statement, the holder's name and licence): a board auditing years later must
read what was issued, whatever staff have edited since. Its ``code`` is checked on the
same public verification page as facilitator certificates and is kept when the
certificate is reissued (a name or licence change: new revision, new PDF).
"""
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kernel.names import validate_printable_name


class CECertificate(models.Model):
    class RevocationReason(models.TextChoices):
        ISSUED_IN_ERROR = "error", _("Issued in error")
        REQUIREMENTS = "requirements", _("Requirements found not to be met")
        HOLDER_REQUEST = "holder", _("At the holder's request")
        OTHER = "other", pgettext_lazy("revocation reason", "Other")

    # Its place in certification's published revocation lists (``StatusListEntry`` of this
    # kind, keyed by the certificate's id: certification cannot hold a key to this table).
    STATUS_KIND = "ce_certificate"

    code = models.CharField(max_length=32, unique=True, editable=False)
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ce_certificates")
    # The course's source page: every language of a course shares one CE certificate.
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="ce_certificates")
    approval = models.ForeignKey("continuing_education.Approval", on_delete=models.PROTECT, related_name="certificates")

    # As issued (see the module's docstring).
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    course_title = models.CharField(max_length=255)
    body_name = models.CharField(max_length=200)
    provider_number = models.CharField(max_length=60)
    statement = models.TextField()
    holder_name = models.CharField(max_length=150, validators=[validate_printable_name])
    profession = models.CharField(max_length=120)
    issuing_board = models.CharField(max_length=200)
    licence_region = models.CharField(max_length=120)
    licence_number = models.CharField(max_length=60)
    # The moment every rule was met (the daily cap included): the date boards read.
    completed_at = models.DateTimeField()
    issued_at = models.DateTimeField()
    # Boards audit for years: the approval's retention, counted from issue.
    retain_until = models.DateField()
    time_on_task_seconds = models.PositiveIntegerField(help_text=_("Measured time on task when issued."))

    # Staff may grant partial credit (never above the time actually spent) with a reason.
    partial = models.BooleanField(default=False)
    partial_reason = models.TextField(blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    pdf = models.FileField(upload_to="ce-certificates/", blank=True, editable=False)
    revision = models.PositiveSmallIntegerField(default=1, editable=False)
    pdf_revision = models.PositiveSmallIntegerField(default=0, editable=False)
    pdf_base_url = models.CharField(max_length=200, blank=True, editable=False)
    pdf_language = models.CharField(max_length=10, blank=True, editable=False)
    issued_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The sweep's backoff while its PDF or "issued" email is outstanding (``services/sweep.py``):
    # not before ``sweep_after``, which grows with ``sweep_tries``; both cleared once a step is done.
    sweep_after = models.DateTimeField(null=True, blank=True, editable=False)
    sweep_tries = models.PositiveSmallIntegerField(default=0, editable=False)

    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    revocation_reason = models.CharField(max_length=16, choices=RevocationReason.choices, blank=True, editable=False)
    revocation_note = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-completed_at"]
        verbose_name = _("CE certificate")
        verbose_name_plural = _("CE certificates")
        constraints = [
            # One CE certificate per learner, course and approval, however many issuing
            # tasks run at once; a correction is a reissue of the same row.
            models.UniqueConstraint(fields=["holder", "course", "approval"], name="ce_certificate_once"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="ce_certificate_hours_positive"),
            models.CheckConstraint(
                condition=Q(partial=False) | (~Q(partial_reason="") & Q(granted_by__isnull=False)),
                name="ce_partial_credit_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""), name="ce_revocation_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["approval", "completed_at"], name="ce_certificate_by_period")]

    def __str__(self) -> str:
        return gettext("CE certificate %(code)s") % {"code": self.display_code}

    @property
    def display_code(self) -> str:
        from certification.codes import display

        return display(self.code)

    def status(self, now: datetime | None = None) -> str:
        """"revoked" or "valid": CE hours, once earned, do not expire."""
        return "revoked" if self.revoked_at else "valid"


class CECertificateEvent(models.Model):
    """The CE certificate's history, as for facilitator certificates."""

    class Kind(models.TextChoices):
        ISSUED = "issued", pgettext_lazy("certificate event", "Issued")
        PARTIAL = "partial", _("Partial credit granted")
        REISSUED = "reissued", _("Reissued with a new name or licence")
        REVOKED = "revoked", pgettext_lazy("certificate event", "Revoked")
        REINSTATED = "reinstated", pgettext_lazy("certificate event", "Reinstated")

    certificate = models.ForeignKey(CECertificate, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
