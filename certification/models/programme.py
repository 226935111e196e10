"""Certification programmes and what they require, authored by staff in Wagtail (snippets).

A programme names the courses to complete (a completed enrolment: every required lesson
done and every required quiz passed), an optional practical checklist that staff sign
off, a code of conduct to accept (the latest version), optional yes/no attestations, how
long a certificate is valid, how to renew it, and how the certificate looks.
"""
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from kernel.names import validate_printable_name

colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a colour like #0b5c56.")


class CodeOfConduct(models.Model):
    """One version of the facilitators' code of conduct. Learners accept a version; when
    a new version is published, programmes ask for the new one from then on."""

    version = models.CharField(max_length=20, unique=True, help_text="For example 2026.1")
    title = models.CharField(max_length=200, default="Facilitator code of conduct")
    text = RichTextField(features=["bold", "italic", "link", "ol", "ul", "h3"])
    published_at = models.DateTimeField(help_text="From when learners are asked to accept this version.")

    panels = [FieldRowPanel([FieldPanel("version"), FieldPanel("published_at")]), FieldPanel("title"), FieldPanel("text")]

    class Meta:
        ordering = ["-published_at"]
        verbose_name_plural = "codes of conduct"

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class Programme(ClusterableModel):
    class PageSize(models.TextChoices):
        A4 = "A4", "A4"
        LETTER = "Letter", "US Letter"

    title = models.CharField(max_length=200, unique=True, help_text='For example "Meeting Facilitator".')
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True, help_text="What holding this certificate means, in plain words.")
    active = models.BooleanField(default=True, help_text="Issue certificates for this programme.")
    courses = ParentalManyToManyField(
        "courses.CoursePage", related_name="programmes", blank=True,
        help_text="Courses to complete (all required lessons and required quizzes).",
    )
    requires_code_of_conduct = models.BooleanField(
        "requires accepting the code of conduct", default=True,
    )
    validity_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How long a certificate is valid. Leave empty for no expiry."
    )
    reminder_days = models.CharField(
        max_length=50, default="60,30,7", blank=True,
        validators=[RegexValidator(r"^(\d{1,3})(,\s*\d{1,3})*$|^$", "Days before expiry, separated by commas.")],
        help_text="When to remind holders before their certificate expires (days before, comma separated).",
    )
    renewal_courses = ParentalManyToManyField(
        "courses.CoursePage", related_name="renewal_programmes", blank=True,
        help_text="To renew: courses to complete again (e.g. a refresher) within the renewal window.",
    )
    renewal_window_days = models.PositiveSmallIntegerField(
        default=90, help_text="How long before expiry renewal work starts to count."
    )

    # The certificate's design.
    certificate_title = models.CharField(max_length=120, default="Certificate of Completion")
    wording = models.TextField(
        default="has met every requirement of the {programme} programme and is certified to facilitate mutual-help meetings.",
        help_text="{programme} is replaced by the programme's title.",
    )
    signatory_name = models.CharField(max_length=120, blank=True, validators=[validate_printable_name])
    signatory_title = models.CharField(max_length=120, blank=True, validators=[validate_printable_name])
    signature_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    logo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    colour_primary = models.CharField(max_length=7, default="#0b5c56", validators=[colour])
    colour_accent = models.CharField(max_length=7, default="#8a3b00", validators=[colour])
    page_size = models.CharField(max_length=8, choices=PageSize.choices, default=PageSize.A4)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("active"),
        MultiFieldPanel(
            [
                FieldPanel("courses"),
                InlinePanel("practical_items", label="Practical requirement (signed off by staff)"),
                FieldPanel("requires_code_of_conduct"),
                InlinePanel("attestations", label="Yes/no eligibility statements"),
            ],
            heading="Requirements",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("validity_months"), FieldPanel("reminder_days")]),
                FieldRowPanel([FieldPanel("renewal_courses"), FieldPanel("renewal_window_days")]),
            ],
            heading="Validity and renewal",
        ),
        MultiFieldPanel(
            [
                FieldPanel("certificate_title"),
                FieldPanel("wording"),
                FieldRowPanel([FieldPanel("signatory_name"), FieldPanel("signatory_title")]),
                FieldRowPanel([FieldPanel("signature_image"), FieldPanel("logo")]),
                FieldRowPanel([FieldPanel("colour_primary"), FieldPanel("colour_accent"), FieldPanel("page_size")]),
            ],
            heading="Certificate design",
        ),
    ]

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if "{" in self.wording.replace("{programme}", ""):
            raise ValidationError({"wording": "Only {programme} can be filled in."})

    @property
    def reminder_thresholds(self) -> list[int]:
        return sorted({int(d) for d in self.reminder_days.replace(" ", "").split(",") if d}, reverse=True)


class PracticalItem(Orderable):
    """One line of the practical checklist, e.g. "Co-facilitated meetings" × 3."""

    programme = ParentalKey(Programme, on_delete=models.CASCADE, related_name="practical_items")
    label = models.CharField(max_length=200, help_text='For example "Observed role-play".')
    required_count = models.PositiveSmallIntegerField(default=1, help_text="How many times (1 for a single check).")

    panels = [FieldRowPanel([FieldPanel("label"), FieldPanel("required_count")])]

    def __str__(self) -> str:
        return self.label if self.required_count == 1 else f"{self.label} ×{self.required_count}"


class Attestation(Orderable):
    """A yes/no statement a learner confirms, e.g. "I have been in recovery for a year or more"."""

    programme = ParentalKey(Programme, on_delete=models.CASCADE, related_name="attestations")
    statement = models.CharField(max_length=300)

    panels = [FieldPanel("statement")]

    def __str__(self) -> str:
        return self.statement
