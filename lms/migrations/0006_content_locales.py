"""A Wagtail locale for every content language (``WAGTAIL_CONTENT_LANGUAGES``).

Wagtail creates the default language's locale itself, and every existing page stays in
it. Staff translate pages into the other locales with wagtail-localize; a language added
to the settings later gets its locale from the admin (Settings → Locales).
"""
from django.conf import settings
from django.db import migrations


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code, _name in getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", settings.LANGUAGES):
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0005_assessment_reviewers"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_locales, migrations.RunPython.noop)]
