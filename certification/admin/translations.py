"""The edit forms of programmes and codes of conduct, with their "Translations" rows.

One version per language: the database refuses a second (a unique constraint), and the
form says so first, next to the row's language, instead of the formset's general "duplicate
data" message.
"""
from django.forms.formsets import DELETION_FIELD_NAME
from wagtail.admin.forms import WagtailAdminModelForm

from ..models.translations import duplicate_language_message


class TranslatedRecordForm(WagtailAdminModelForm):
    translations_formset = "translations"

    def clean(self) -> dict:
        cleaned = super().clean()
        formset = self.formsets.get(self.translations_formset)
        if formset is None:
            return cleaned
        seen = set()
        for form in formset.forms:
            # is_valid() cleans the row (once): its own errors first, then the one here.
            if not form.is_valid() or form.cleaned_data.get(DELETION_FIELD_NAME):
                continue
            language = form.cleaned_data.get("language")
            if language in seen:
                form.add_error("language", duplicate_language_message(language))
            seen.add(language)
        return cleaned
