"""A learner's professional licence: what a CE certificate needs to name them to a board.

Only what the certificate prints is kept. The licence number is personal data a board
needs; it is shown to its holder and staff who manage CE, never to an organisation's
manager (who sees hours only).
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from kernel.names import validate_printable_name


class ProfessionalLicence(models.Model):
    class Profession(models.TextChoices):
        COUNSELLOR = "counsellor", _("Addiction or substance use counsellor")
        SOCIAL_WORKER = "social_worker", _("Social worker")
        NURSE = "nurse", _("Nurse")
        PEER_SPECIALIST = "peer_specialist", _("Peer recovery specialist")
        PSYCHOLOGIST = "psychologist", _("Psychologist")
        THERAPIST = "therapist", _("Therapist (marriage and family, mental health)")
        PHYSICIAN = "physician", _("Physician")
        OTHER = "other", pgettext_lazy("profession", "Other")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="professional_licence")
    profession = models.CharField(_("profession"), max_length=32, choices=Profession.choices)
    profession_other = models.CharField(
        _("profession, if other"), max_length=120, blank=True, validators=[validate_printable_name]
    )
    issuing_board = models.CharField(
        _("issuing board"), max_length=200, validators=[validate_printable_name],
        help_text=_("The board or authority that issued the licence."),
    )
    region = models.CharField(
        _("state or country"), max_length=120, validators=[validate_printable_name],
        help_text=_("Where the licence is valid, for example Ohio, Ontario or Ireland."),
    )
    licence_number = models.CharField(
        _("licence number"), max_length=60, validators=[validate_printable_name],
        help_text=_("Printed on your CE certificates exactly as you type it."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("professional licence")
        verbose_name_plural = _("professional licences")

    def __str__(self) -> str:
        return f"{self.display_profession} {self.licence_number}"

    @property
    def display_profession(self) -> str:
        if self.profession == self.Profession.OTHER and self.profession_other:
            return self.profession_other
        return str(self.get_profession_display())
