"""Certification programmes and what they require, authored by staff in Wagtail (snippets).

A programme names the courses to complete (a completed enrolment: every required lesson
done and every required quiz passed), an optional practical checklist that staff sign
off, a code of conduct to accept (the latest version), optional yes/no attestations, how
long a certificate is valid, how to renew it, and how the certificate looks.
"""
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext, gettext_noop
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from kernel.names import validate_printable_name

colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #0b5c56."))

# The certificate's words a new programme starts with. Stored as written (in English);
# printed in the holder's language while staff leave them as they are (``pdf.py``).
DEFAULT_CERTIFICATE_TITLE = gettext_noop("Certificate of Completion")
DEFAULT_CODE_TITLE = gettext_noop("Facilitator code of conduct")
DEFAULT_WORDING = gettext_noop(
    "has met every requirement of the {programme} programme and is certified to facilitate mutual-help meetings."
)


class CodeOfConduct(models.Model):
    """One version of the facilitators' code of conduct. Learners accept a version; when
    a new version is published, programmes ask for the new one from then on."""

    version = models.CharField(_("version"), max_length=20, unique=True, help_text=_("For example 2026.1"))
    title = models.CharField(_("title"), max_length=200, default=DEFAULT_CODE_TITLE)
    text = RichTextField(_("text"), features=["bold", "italic", "link", "ol", "ul", "h3"])
    published_at = models.DateTimeField(
        _("published at"), help_text=_("From when learners are asked to accept this version.")
    )

    panels = [FieldRowPanel([FieldPanel("version"), FieldPanel("published_at")]), FieldPanel("title"), FieldPanel("text")]

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("code of conduct")
        verbose_name_plural = _("codes of conduct")

    def __str__(self) -> str:
        return _("%(title)s (%(version)s)") % {"title": self.display_title, "version": self.version}

    @property
    def display_title(self) -> str:
        """The title as staff wrote it; the one it came with in the reader's language."""
        return gettext(self.title) if self.title == DEFAULT_CODE_TITLE else self.title


class Programme(ClusterableModel):
    class PageSize(models.TextChoices):
        A4 = "A4", "A4"
        LETTER = "Letter", _("US Letter")

    title = models.CharField(_("title"), max_length=200, unique=True, help_text=_('For example "Meeting Facilitator".'))
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("What holding this certificate means, in plain words.")
    )
    active = models.BooleanField(_("active"), default=True, help_text=_("Issue certificates for this programme."))
    courses = ParentalManyToManyField(
        "courses.CoursePage", related_name="programmes", blank=True, verbose_name=_("courses"),
        help_text=_("Courses to complete (all required lessons and required quizzes)."),
    )
    requires_code_of_conduct = models.BooleanField(
        _("requires accepting the code of conduct"), default=True,
    )
    validity_months = models.PositiveSmallIntegerField(
        _("validity months"), null=True, blank=True,
        help_text=_("How long a certificate is valid. Leave empty for no expiry."),
    )
    reminder_days = models.CharField(
        _("reminder days"), max_length=50, default="60,30,7", blank=True,
        validators=[RegexValidator(r"^(\d{1,3})(,\s*\d{1,3})*$|^$", _("Days before expiry, separated by commas."))],
        help_text=_("When to remind holders before their certificate expires (days before, comma separated)."),
    )
    renewal_courses = ParentalManyToManyField(
        "courses.CoursePage", related_name="renewal_programmes", blank=True, verbose_name=_("renewal courses"),
        help_text=_("To renew: courses to complete again (e.g. a refresher) within the renewal window."),
    )
    renewal_window_days = models.PositiveSmallIntegerField(
        _("renewal window days"), default=90, help_text=_("How long before expiry renewal work starts to count.")
    )

    # The certificate's design.
    certificate_title = models.CharField(_("certificate title"), max_length=120, default=DEFAULT_CERTIFICATE_TITLE)
    wording = models.TextField(
        _("wording"), default=DEFAULT_WORDING,
        help_text=_("{programme} is replaced by the programme's title."),
    )
    signatory_name = models.CharField(_("signatory name"), max_length=120, blank=True, validators=[validate_printable_name])
    signatory_title = models.CharField(
        _("signatory title"), max_length=120, blank=True, validators=[validate_printable_name]
    )
    signature_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("signature image"),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("logo")
    )
    colour_primary = models.CharField(_("colour primary"), max_length=7, default="#0b5c56", validators=[colour])
    colour_accent = models.CharField(_("colour accent"), max_length=7, default="#8a3b00", validators=[colour])
    page_size = models.CharField(_("page size"), max_length=8, choices=PageSize.choices, default=PageSize.A4)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("active"),
        MultiFieldPanel(
            [
                FieldPanel("courses"),
                InlinePanel("practical_items", label=_("Practical requirement (signed off by staff)")),
                FieldPanel("requires_code_of_conduct"),
                InlinePanel("attestations", label=_("Yes/no eligibility statements")),
            ],
            heading=_("Requirements"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("validity_months"), FieldPanel("reminder_days")]),
                FieldRowPanel([FieldPanel("renewal_courses"), FieldPanel("renewal_window_days")]),
            ],
            heading=_("Validity and renewal"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("certificate_title"),
                FieldPanel("wording"),
                FieldRowPanel([FieldPanel("signatory_name"), FieldPanel("signatory_title")]),
                FieldRowPanel([FieldPanel("signature_image"), FieldPanel("logo")]),
                FieldRowPanel([FieldPanel("colour_primary"), FieldPanel("colour_accent"), FieldPanel("page_size")]),
            ],
            heading=_("Certificate design"),
        ),
    ]

    class Meta:
        ordering = ["title"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if "{" in self.wording.replace("{programme}", ""):
            raise ValidationError({"wording": _("Only {programme} can be filled in.")})

    @property
    def reminder_thresholds(self) -> list[int]:
        return sorted({int(d) for d in self.reminder_days.replace(" ", "").split(",") if d}, reverse=True)


class PracticalItem(Orderable):
    """One line of the practical checklist, e.g. "Co-facilitated meetings" × 3."""

    programme = ParentalKey(Programme, on_delete=models.CASCADE, related_name="practical_items")
    label = models.CharField(_("label"), max_length=200, help_text=_('For example "Observed role-play".'))
    required_count = models.PositiveSmallIntegerField(
        _("required count"), default=1, help_text=_("How many times (1 for a single check).")
    )

    panels = [FieldRowPanel([FieldPanel("label"), FieldPanel("required_count")])]

    class Meta(Orderable.Meta):
        verbose_name = _("practical requirement")
        verbose_name_plural = _("practical requirements")

    def __str__(self) -> str:
        return self.label if self.required_count == 1 else f"{self.label} ×{self.required_count}"


class Attestation(Orderable):
    """A yes/no statement a learner confirms, e.g. "I have been in recovery for a year or more"."""

    programme = ParentalKey(Programme, on_delete=models.CASCADE, related_name="attestations")
    statement = models.CharField(_("statement"), max_length=300)

    panels = [FieldPanel("statement")]

    class Meta(Orderable.Meta):
        verbose_name = _("yes/no statement")
        verbose_name_plural = _("yes/no statements")

    def __str__(self) -> str:
        return self.statement
