"""What a learner has done towards a programme beyond courses, and the certificates.

Practical sign-offs hold counts, dates and the signer only: never anything about the
people at a meeting. A certificate's ``code`` is its public verification identity: it is
kept when the certificate is reissued (new name, new PDF) and a renewal gets a new
certificate with a new code, linked from the old one.
"""
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kernel.names import validate_printable_name


class PracticalSignoff(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practical_signoffs")
    item = models.ForeignKey("certification.PracticalItem", on_delete=models.CASCADE, related_name="signoffs")
    count = models.PositiveSmallIntegerField(default=1)
    done_on = models.DateField(help_text=_("When it took place (the last one, for a count)."))
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(count__gte=1), name="signoff_count_positive")]


class ConductAcceptance(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conduct_acceptances")
    code = models.ForeignKey("certification.CodeOfConduct", on_delete=models.PROTECT, related_name="acceptances")
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "code"], name="conduct_accepted_once")]


class AttestationAnswer(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attestation_answers")
    attestation = models.ForeignKey("certification.Attestation", on_delete=models.CASCADE, related_name="answers")
    answer = models.BooleanField()
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "attestation"], name="attestation_answered_once")]


class Certificate(models.Model):
    class RevocationReason(models.TextChoices):
        ISSUED_IN_ERROR = "error", _("Issued in error")
        CONDUCT = "conduct", _("Breach of the code of conduct")
        REQUIREMENTS = "requirements", _("Requirements found not to be met")
        HOLDER_REQUEST = "holder", _("At the holder's request")
        OTHER = "other", pgettext_lazy("revocation reason", "Other")

    code = models.CharField(max_length=32, unique=True, editable=False)
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates")
    programme = models.ForeignKey("certification.Programme", on_delete=models.PROTECT, related_name="certificates")
    # 1 for the first certificate of a holder in a programme, 2 for the first renewal, ...
    period = models.PositiveSmallIntegerField(default=1)
    holder_name = models.CharField(
        max_length=150, help_text=_("The name as the holder asked it printed."), validators=[validate_printable_name]
    )
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)

    pdf = models.FileField(upload_to="certificates/", blank=True, editable=False)
    revision = models.PositiveSmallIntegerField(default=1, editable=False, help_text=_("Goes up with each reissue."))
    pdf_revision = models.PositiveSmallIntegerField(default=0, editable=False, help_text=_("Revision the PDF shows."))
    # The PDF prints the verification address (and its QR code): made for another BASE_URL
    # (the demo on another port, a move to a new host), it is made again (pdf.is_current).
    pdf_base_url = models.CharField(
        max_length=200, blank=True, editable=False, help_text=_("The site address the PDF's links were made with.")
    )
    # The PDF is printed in its holder's language: when they choose another, it is made
    # again in theirs on the next download (pdf.is_current). Empty before the first PDF.
    pdf_language = models.CharField(
        max_length=10, blank=True, editable=False, help_text=_("The language the PDF was printed in.")
    )
    issued_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Work after issue not done yet (the PDF of the current revision, the "issued" email):
    # the sweep enqueues it again after this time (certification/services/sweep.py). None once
    # nothing is left to do; the tries say how far the sweep has backed off.
    sweep_after = models.DateTimeField(null=True, blank=True, editable=False)
    sweep_tries = models.PositiveSmallIntegerField(default=0, editable=False)

    renewed_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="renews", editable=False
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    revocation_reason = models.CharField(max_length=16, choices=RevocationReason.choices, blank=True, editable=False)
    revocation_note = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        permissions = [
            ("revoke_certificate", "Can revoke certificates"),
            ("signoff_practical", "Can sign off practical requirements"),
        ]
        constraints = [
            # One certificate per holder, programme and certification period, however
            # many issuing tasks run at once.
            models.UniqueConstraint(fields=["holder", "programme", "period"], name="certificate_once_per_period"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""), name="certificate_revocation_has_reason"
            ),
        ]
        indexes = [
            # The sweep reads the few certificates with work left; the rest are not indexed.
            models.Index(fields=["sweep_after"], condition=Q(sweep_after__isnull=False), name="certificate_sweep_after"),
        ]

    def __str__(self) -> str:
        return gettext("%(programme)s certificate %(code)s") % {"programme": self.programme, "code": self.display_code}

    @property
    def display_code(self) -> str:
        from ..codes import display

        return display(self.code)

    def status(self, now: datetime | None = None) -> str:
        """"revoked", "expired" or "valid" (a renewed certificate stays valid until it expires)."""
        now = now or timezone.now()
        if self.revoked_at:
            return "revoked"
        if self.expires_at and self.expires_at <= now:
            return "expired"
        return "valid"


class CertificateEvent(models.Model):
    """The certificate's history: issued, reissued, renewed, revoked, reinstated, reminded."""

    class Kind(models.TextChoices):
        ISSUED = "issued", pgettext_lazy("certificate event", "Issued")
        REISSUED = "reissued", _("Reissued with a new name")
        RENEWED = "renewed", pgettext_lazy("certificate event", "Renewed")
        REVOKED = "revoked", pgettext_lazy("certificate event", "Revoked")
        REINSTATED = "reinstated", pgettext_lazy("certificate event", "Reinstated")
        REMINDED = "reminded", _("Expiry reminder sent")

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]


class ExpiryReminder(models.Model):
    """A reminder sent (or being sent) for one threshold: the row makes it once-only."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["certificate", "days_before"], name="reminder_once_per_threshold")
        ]
