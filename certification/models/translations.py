"""A programme's and a code of conduct's words in the site's other languages.

A programme stays one record whatever the language its readers read: certificates,
enrolments, sign-offs and answers point at it and its requirements, never at a language.
Staff give it a version per language on its own edit page ("Translations"): a row per
language (one at most, a database constraint), each field left empty falling back to the
source's (the default language's) words. The yes/no statements and practical items carry
their own translations beside their source words (``statement_translations``,
``label_translations``). A code of conduct is translated the same way; learners accept the
version, whichever language they read it in.

Why not wagtail-localize's translatable snippets: they make a record per language, so a
certificate, a sign-off or an answer would point at one language's record, and every
question ("has this learner met the programme?") would have to gather a programme's
copies first. Kept here, a translation is words only.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField

from kernel.translated import LanguageField, language_name, validate_other_language

CONDUCT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3"]


def check_wording(wording: str) -> None:
    """The certificate's wording may name the programme ({programme}) and fill in nothing else."""
    if "{" in wording.replace("{programme}", ""):
        raise ValidationError({"wording": _("Only {programme} can be filled in.")})


class ProgrammeTranslation(models.Model):
    programme = ParentalKey("certification.Programme", on_delete=models.CASCADE, related_name="translations")
    language = LanguageField(_("language"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Leave empty to show the description in the source language.")
    )
    certificate_title = models.CharField(
        _("certificate title"), max_length=120, blank=True,
        help_text=_("Leave empty for the programme's certificate title in the source language."),
    )
    wording = models.TextField(
        _("wording"), blank=True,
        help_text=_("{programme} is replaced by the title above. Leave empty for the programme's wording."),
    )

    panels = [
        FieldPanel("language"),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("certificate_title"),
        FieldPanel("wording"),
    ]

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(fields=["programme", "language"], name="programme_translation_once_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({language_name(self.language)})"

    def clean(self) -> None:
        super().clean()
        validate_other_language(self.language)
        check_wording(self.wording or "")


class CodeOfConductTranslation(models.Model):
    code = ParentalKey("certification.CodeOfConduct", on_delete=models.CASCADE, related_name="translations")
    language = LanguageField(_("language"))
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("Leave empty for the source's title."))
    text = RichTextField(_("text"), features=CONDUCT_FEATURES)

    panels = [FieldRowPanel([FieldPanel("language"), FieldPanel("title")]), FieldPanel("text")]

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(fields=["code", "language"], name="conduct_translation_once_per_language")
        ]

    def __str__(self) -> str:
        return language_name(self.language)

    def clean(self) -> None:
        super().clean()
        validate_other_language(self.language)


@dataclass(frozen=True)
class ProgrammeWords:
    """What a reader reads of a programme, in one language (``language``): staff's version
    in it field by field where there is one (``translated``), else the source's."""

    language: str
    title: str
    description: str
    certificate_title: str
    wording: str  # with the programme's title filled in
    translated: bool

    @property
    def source_language(self) -> str:
        return settings.LANGUAGE_CODE


def duplicate_language_message(language: str) -> str:
    return str(
        _("There is already a version in %(language)s. Change that one, or choose another language.")
        % {"language": language_name(language)}
    )
