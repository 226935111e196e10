"""Demo pages in another language, made as wagtail-localize translations of the English
ones (so staff see them in the admin as translations, kept in step with their source).

The words come from a description in the other language with exactly the structure of
the English one (``courses/demo/family_es/`` mirrors ``courses/demo/family/``: the same
markup builders, slugs, order of lessons, blocks, questions and options, and the same
answer key). Each page's Spanish fields are laid over a copy of its source, block ids
taken from the source by position, and both are read into wagtail-localize's segments:
a string of the source and the string at the same place in the translation make one
translated string. A structure that does not match is an error that names the page,
and changes nothing.

Idempotent: a translation whose strings are already there and whose page is published
is left alone; ``update`` (or a changed string) saves and publishes it again.
"""
import copy
import dataclasses

from django.db import transaction
from wagtail.fields import StreamField
from wagtail.models import Locale, Page
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from . import markup
from .build import Builder


class StructureMismatch(ValueError):
    """The translated description does not have the source's structure."""


def _copy_ids(source: object, translated: object) -> None:
    """Give ``translated`` (raw StreamField data) the block and item ids of ``source``,
    place by place."""
    if isinstance(source, list) and isinstance(translated, list):
        for theirs, ours in zip(source, translated):
            _copy_ids(theirs, ours)
    elif isinstance(source, dict) and isinstance(translated, dict):
        if "id" in source and "type" in source and "value" in translated:
            translated["id"] = source["id"]
        for name, value in source.items():
            if name in translated and name != "id":
                _copy_ids(value, translated[name])


def _strings(instance: Page) -> list[StringSegmentValue]:
    return [s for s in extract_segments(instance) if isinstance(s, StringSegmentValue)]


def spanish_locale() -> Locale:
    return Locale.objects.get(language_code="es")


class Translator:
    """Makes and publishes translations of demo pages into ``locale``."""

    def __init__(self, builder: Builder, locale: Locale, *, update: bool = False):
        self.builder = builder
        self.locale = locale
        self.update = update
        self.counts = builder.counts

    def page(self, source: Page, fields: dict) -> Page:
        """``source``'s translation with ``fields`` (the translated description's values of
        the translatable fields), published."""
        source = source.specific
        translated_copy = copy.copy(source)
        for name, value in fields.items():
            field = source._meta.get_field(name)
            if isinstance(field, StreamField):
                setattr(translated_copy, name, value)
                raw = list(getattr(translated_copy, name).get_prep_value())
                _copy_ids(list(getattr(source, name).get_prep_value()), raw)
                setattr(translated_copy, name, raw)
            else:
                setattr(translated_copy, name, value)
        theirs, ours = _strings(source), _strings(translated_copy)
        paths, their_paths = [s.path for s in ours], [s.path for s in theirs]
        if paths != their_paths:
            where = next((a for a, b in zip(their_paths, paths) if a != b), None) or f"{len(their_paths)} strings"
            raise StructureMismatch(
                f"The translation of {source.url_path} does not have its source's structure (at {where})."
            )
        with transaction.atomic():
            translation_source, created = TranslationSource.get_or_create_from_instance(source)
            if not created:
                translation_source.update_from_db()
            segments = {
                (segment.context.path, segment.string.data): segment
                for segment in translation_source.stringsegment_set.select_related("string", "context")
            }
            translation, made = Translation.objects.get_or_create(
                source=translation_source, target_locale=self.locale
            )
            changed = made
            for original, translated in zip(theirs, ours):
                segment = segments[(original.path, original.string.data)]
                data = original.string.data if original.path == "slug" else translated.string.data
                _, touched = self._set(segment, data)
                changed = changed or touched
            target = source.get_translation_or_none(self.locale)
            if target is not None and target.live and not changed and not self.update:
                self.counts["unchanged"] += 1
                return target.specific
            translation.save_target(user=self.builder.user, publish=False)
            target = source.get_translation(self.locale).specific
            # Published now (wagtail-localize would wait for the transaction to commit).
            target.get_latest_revision().publish(user=self.builder.user)
            self.counts["translated"] += 1
            return type(target).objects.get(pk=target.pk)

    def _set(self, segment, data: str) -> tuple[StringTranslation, bool]:
        existing = StringTranslation.objects.filter(
            translation_of=segment.string, locale=self.locale, context=segment.context
        ).first()
        if existing is not None and existing.data == data:
            return existing, False
        found, _ = StringTranslation.objects.update_or_create(
            translation_of=segment.string, locale=self.locale, context=segment.context,
            defaults={"data": data, "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL},
        )
        return found, True

    def course(self, course: Page, spec: markup.Course) -> Page:
        """The course and every module, lesson and quiz of ``spec`` (the course's
        description in the other language) translated under it, parents first."""
        b = self.builder
        translated = self.page(course, _words(b.course_fields(spec)))
        children = {page.slug: page for page in course.get_children()}
        for module_spec in spec.modules:
            module = _child(children, module_spec.slug, course)
            self.page(module, _words(b.module_fields(module_spec)))
            items = {page.slug: page for page in module.get_children()}
            for item in module_spec.items:
                page = _child(items, item.slug, module)
                fields = b.quiz_fields(module, _no_bank(item)) if isinstance(item, markup.Quiz) else b.lesson_fields(item)
                self.page(page, _words(fields))
        if spec.final_quiz:
            self.page(
                _child(children, spec.final_quiz.slug, course), _words(b.quiz_fields(course, _no_bank(spec.final_quiz)))
            )
        return translated


# Fields that are words (the rest of a page is its source's: wagtail-localize keeps it in step).
WORD_FIELDS = {
    "title", "summary", "audience", "learning_outcomes", "description", "intro", "body", "questions",
    "search_description",
}


def _words(fields: dict) -> dict:
    return {name: value for name, value in fields.items() if name in WORD_FIELDS}


def _no_bank(spec: markup.Quiz) -> markup.Quiz:
    # A quiz's bank is its source's (one set of questions to draw from, not words).
    return dataclasses.replace(spec, bank=None)


def _child(children: dict[str, Page], slug: str, parent: Page) -> Page:
    if slug not in children:
        raise StructureMismatch(f"{parent.url_path} has no page {slug!r} to translate.")
    return children[slug]

