"""Certification programmes and what they require, authored by staff in Wagtail (snippets).

A programme names the courses to complete (a completed enrolment: every required lesson
done and every required quiz passed), an optional practical checklist that staff sign
off, a code of conduct to accept (the latest version), optional yes/no attestations, how
long a certificate is valid, how to renew it, and how the certificate looks.
"""
from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, JSONObject, NullIf
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext, gettext_noop
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from kernel.names import validate_printable_name
from kernel.translated import TRANSLATIONS_HELP, TranslatedTextsField, reading_language, translated_text

from .translations import CONDUCT_FEATURES, CodeOfConductTranslation, ProgrammeTranslation, ProgrammeWords, check_wording

colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #0b5c56."))

# The certificate's words a new programme starts with. Stored as written (in English);
# printed in the holder's language while staff leave them as they are (``pdf.py``).
DEFAULT_CERTIFICATE_TITLE = gettext_noop("Certificate of Completion")
DEFAULT_CODE_TITLE = gettext_noop("Facilitator code of conduct")
DEFAULT_WORDING = gettext_noop(
    "has met every requirement of the {programme} programme and is certified to facilitate mutual-help meetings."
)


def _as_written_or_translated(text: str, default: str) -> str:
    """Staff's own words as they wrote them; the words a record came with, in the active
    language (staff who change them write their own, in the words they choose)."""
    return gettext(default) if text == default else text


def _read_translation(record: models.Model, language: str) -> models.Model | None:
    """``record``'s translation row in ``language``: from ``translations`` prefetched, else
    read once and kept on the record."""
    prefetched = getattr(record, "_prefetched_objects_cache", {}).get("translations")
    if prefetched is not None:
        return next((row for row in prefetched if row.language == language), None)
    read = record.__dict__.setdefault("_translations_read", {})
    if language not in read:
        read[language] = record.translations.filter(language=language).first() if record.pk else None
    return read[language]


class CodeOfConduct(ClusterableModel):
    """One version of the facilitators' code of conduct. Learners accept a version; when
    a new version is published, programmes ask for the new one from then on. A version
    may be given in the site's other languages: it stays one version, accepted once."""

    version = models.CharField(_("version"), max_length=20, unique=True, help_text=_("For example 2026.1"))
    title = models.CharField(_("title"), max_length=200, default=DEFAULT_CODE_TITLE)
    text = RichTextField(_("text"), features=CONDUCT_FEATURES)
    published_at = models.DateTimeField(
        _("published at"), help_text=_("From when learners are asked to accept this version.")
    )

    panels = [
        FieldRowPanel([FieldPanel("version"), FieldPanel("published_at")]),
        FieldPanel("title"),
        FieldPanel("text"),
        InlinePanel("translations", heading=_("Translations"), label=_("Translation")),
    ]

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("code of conduct")
        verbose_name_plural = _("codes of conduct")

    def __str__(self) -> str:
        return _("%(title)s (%(version)s)") % {"title": self.display_title, "version": self.version}

    @property
    def display_title(self) -> str:
        """The title in the reader's language (see ``words``)."""
        return self.words()[0]

    @property
    def display_text(self) -> str:
        return self.words()[1]

    def words(self, language: str | None = None) -> tuple[str, str]:
        """(title, text) in ``language`` (the active one by default): staff's version in it,
        else the source's; the title it came with is given in the reader's language."""
        language = reading_language(language)
        row = _read_translation(self, language) if language != settings.LANGUAGE_CODE else None
        with translation.override(language):
            title = (row.title if row and row.title else None) or _as_written_or_translated(self.title, DEFAULT_CODE_TITLE)
        return title, row.text if row and row.text else self.text


def title_in_language(programme_ref: str, language: str | None = None) -> models.Expression:
    """SQL for a programme's title in ``language`` (the active one), else its source title:
    ``programme_ref`` names the programme's id and ``<programme_ref without _id>__title``
    its title on the rows queried (e.g. "programme_id" on certificates)."""
    language = reading_language(language)
    source = F(programme_ref.removesuffix("_id") + "__title") if programme_ref != "pk" else F("title")
    if language == settings.LANGUAGE_CODE:
        return source
    translated = ProgrammeTranslation.objects.filter(programme_id=OuterRef(programme_ref), language=language)
    return Coalesce(NullIf(Subquery(translated.values("title")[:1]), Value("")), source)


class ProgrammeQuerySet(models.QuerySet):
    def with_words(self, language: str | None = None) -> ProgrammeQuerySet:
        """Each programme with its translation in ``language`` (the active one) read in the
        same query, for ``Programme.words``: a list of programmes costs no query more in
        one language than in another."""
        language = reading_language(language)
        if language == settings.LANGUAGE_CODE:
            return self
        row = ProgrammeTranslation.objects.filter(programme_id=OuterRef("pk"), language=language).values(
            row=JSONObject(title="title", description="description", certificate_title="certificate_title", wording="wording")
        )[:1]
        return self.annotate(words_language=Value(language), words_row=Subquery(row))


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

    objects = ProgrammeQuerySet.as_manager()

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
        InlinePanel(
            "translations", heading=_("Translations"), label=_("Translation"),
            help_text=_(
                "The programme's words for readers of another language: one version per language. Its yes/no "
                "statements and practical requirements are translated where they are written, above."
            ),
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
        check_wording(self.wording)

    def words(self, language: str | None = None) -> ProgrammeWords:
        """The programme as a reader of ``language`` (the active one) reads it: staff's
        version in that language field by field, else the source's; a certificate title
        and wording left as the programme came with them are given in that language."""
        language = reading_language(language)
        row = self._translation(language) if language != settings.LANGUAGE_CODE else None
        title = (row.title if row else "") or self.title
        with translation.override(language):
            certificate_title = (row.certificate_title if row else "") or _as_written_or_translated(
                self.certificate_title, DEFAULT_CERTIFICATE_TITLE
            )
            wording = (row.wording if row else "") or _as_written_or_translated(self.wording, DEFAULT_WORDING)
        return ProgrammeWords(
            language=language, title=title, description=(row.description if row else "") or self.description,
            certificate_title=certificate_title, wording=wording.replace("{programme}", title), translated=row is not None,
        )

    def titles(self) -> dict[str, str]:
        """The title in every language staff gave it in, the source's first."""
        rows = getattr(self, "_prefetched_objects_cache", {}).get("translations")
        rows = rows if rows is not None else self.translations.order_by("language")
        return {settings.LANGUAGE_CODE: self.title, **{row.language: row.title for row in rows if row.title}}

    def _translation(self, language: str) -> ProgrammeTranslation | None:
        if self.__dict__.get("words_language") == language:  # ProgrammeQuerySet.with_words
            row = self.__dict__.get("words_row")
            return ProgrammeTranslation(language=language, **row) if row else None
        return _read_translation(self, language)

    @property
    def reminder_thresholds(self) -> list[int]:
        return sorted({int(d) for d in self.reminder_days.replace(" ", "").split(",") if d}, reverse=True)


class PracticalItem(Orderable):
    """One line of the practical checklist, e.g. "Co-facilitated meetings" × 3."""

    programme = ParentalKey(Programme, on_delete=models.CASCADE, related_name="practical_items")
    label = models.CharField(_("label"), max_length=200, help_text=_('For example "Observed role-play".'))
    label_translations = TranslatedTextsField(_("label in other languages"), text_max_length=200, help_text=TRANSLATIONS_HELP)
    required_count = models.PositiveSmallIntegerField(
        _("required count"), default=1, help_text=_("How many times (1 for a single check).")
    )

    panels = [FieldRowPanel([FieldPanel("label"), FieldPanel("required_count")]), FieldPanel("label_translations")]

    class Meta(Orderable.Meta):
        verbose_name = _("practical requirement")
        verbose_name_plural = _("practical requirements")

    def __str__(self) -> str:
        """The label in the active language (with the count, if more than one)."""
        label = self.label_in()
        return label if self.required_count == 1 else f"{label} ×{self.required_count}"

    def label_in(self, language: str | None = None) -> str:
        return translated_text(self.label, self.label_translations, language)


class Attestation(Orderable):
    """A yes/no statement a learner confirms, e.g. "I have been in recovery for a year or more"."""

    programme = ParentalKey(Programme, on_delete=models.CASCADE, related_name="attestations")
    statement = models.CharField(_("statement"), max_length=300)
    statement_translations = TranslatedTextsField(
        _("statement in other languages"), text_max_length=300, help_text=TRANSLATIONS_HELP
    )

    panels = [FieldPanel("statement"), FieldPanel("statement_translations")]

    class Meta(Orderable.Meta):
        verbose_name = _("yes/no statement")
        verbose_name_plural = _("yes/no statements")

    def __str__(self) -> str:
        return self.statement_in()

    def statement_in(self, language: str | None = None) -> str:
        """The statement in ``language`` (the active one), else as written."""
        return translated_text(self.statement, self.statement_translations, language)
