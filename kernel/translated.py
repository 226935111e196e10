"""Staff-written words in the site's other languages, for content that is not a Wagtail page.

Pages are translated with wagtail-localize (a page per language). Records that other data
points at (a certification programme, its yes/no statements) stay one record whatever the
language: their words in the other languages sit beside them, and readers see their own
language's words, or the source's (the default language's) where staff wrote none.

- ``reading_language``: the language a reader's code stands for (a supported one).
- ``other_languages``: the languages staff may translate into: the site's, without the
  default (the source). Read from ``settings.LANGUAGES`` when asked, so a language added
  through the environment is offered without code.
- ``LanguageField``: a model field holding one of those (no ``choices`` in the database
  schema: adding a language must not need a migration).
- ``TranslatedTextsField``: a JSON map ``{language: text}`` of one short text, edited as
  one labelled box per other language.
"""
from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy


def reading_language(code: str | None = None) -> str:
    """The supported language ``code`` stands for ("es-ar" reads "es"), else the default;
    the active language when no code is given."""
    code = code or translation.get_language() or settings.LANGUAGE_CODE
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return settings.LANGUAGE_CODE


def other_languages() -> list[tuple[str, str]]:
    """(code, name) of every site language but the default one, in the settings' order."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, code)


def validate_other_language(code: str) -> None:
    if code not in dict(other_languages()):
        raise ValidationError(
            gettext("Choose one of the site's languages other than %(default)s.")
            % {"default": language_name(settings.LANGUAGE_CODE)},
            code="language",
        )


class LanguageField(models.CharField):
    """One of the site's languages other than the default, chosen from a list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs: Any) -> forms.Field:
        return forms.ChoiceField(
            choices=other_languages, label=kwargs.get("label", self.verbose_name),
            help_text=kwargs.get("help_text", self.help_text), required=not self.blank,
        )


class TranslatedTextsWidget(forms.MultiWidget):
    """One text box per other language, each labelled with its language's name."""

    template_name = "kernel/widgets/translated_texts.html"

    def __init__(self, languages: list[tuple[str, str]], attrs: dict | None = None) -> None:
        self.languages = languages
        super().__init__([forms.TextInput(attrs={"lang": code}) for code, _name in languages], attrs)

    def decompress(self, value: Any) -> list[str]:
        value = value if isinstance(value, dict) else {}
        return [value.get(code, "") for code, _name in self.languages]

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        for subwidget, (_code, language) in zip(context["widget"]["subwidgets"], self.languages):
            subwidget["language_name"] = language
        return context


class TranslatedTextsFormField(forms.MultiValueField):
    def __init__(self, *, max_length: int | None = None, **kwargs: Any) -> None:
        self.languages = other_languages()
        fields = [forms.CharField(required=False, max_length=max_length) for _code in self.languages]
        kwargs.pop("encoder", None), kwargs.pop("decoder", None)
        super().__init__(
            fields=fields, widget=TranslatedTextsWidget(self.languages), require_all_fields=False, required=False, **kwargs
        )

    def compress(self, data_list: list[str]) -> dict[str, str]:
        return {
            code: text.strip() for (code, _name), text in zip(self.languages, data_list or []) if text and text.strip()
        }

    def has_changed(self, initial: Any, data: Any) -> bool:
        initial = initial if isinstance(initial, dict) else {}
        try:
            return self.compress(data if isinstance(data, list) else []) != initial
        except ValidationError:
            return True


class TranslatedTextsField(models.JSONField):
    """``{language: text}`` for a short text's translations (blank ones left out)."""

    def __init__(self, *args: Any, text_max_length: int | None = None, **kwargs: Any) -> None:
        self.text_max_length = text_max_length
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple:
        name, path, args, kwargs = super().deconstruct()
        if self.text_max_length is not None:
            kwargs["text_max_length"] = self.text_max_length
        return name, path, args, kwargs

    def formfield(self, **kwargs: Any) -> forms.Field:
        return TranslatedTextsFormField(
            max_length=self.text_max_length, label=kwargs.get("label", self.verbose_name),
            help_text=kwargs.get("help_text", self.help_text),
        )


def translated_text(source: str, translations: dict | None, language: str | None = None) -> str:
    """``source`` in the reader's language: the translation staff wrote, else the source."""
    language = reading_language(language)
    if language == settings.LANGUAGE_CODE or not isinstance(translations, dict):
        return source
    return translations.get(language) or source


TRANSLATIONS_HELP = gettext_lazy("Leave a language empty to show the words above to its readers.")
