"""``manage.py messages`` (``make messages``): bring every language's catalogue up to date.

For each language in LANGUAGES but the source one (English): collect the strings to
translate (makemessages, for Python and templates and for JavaScript), fill what is
untranslated from the translations written in locale/<lang>/parts/*.po, drop strings the
code no longer has, and compile.
"""
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from lms import catalogues

# Folders makemessages never reads: installed libraries, tests, generated files.
IGNORE = [".venv", "node_modules", "tests", "bench", "staticfiles", "media", "test-results", "locale"]
SOURCE_LANGUAGE = "en"


class Command(BaseCommand):
    help = "Update locale/<lang>/LC_MESSAGES catalogues, merge locale/<lang>/parts/*.po, compile."

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh", action="store_true",
            help="Take the parts' translations over those already in the catalogues too.",
        )

    def handle(self, *args, refresh=False, **options):
        base = Path(settings.LOCALE_PATHS[0])
        for code, _name in settings.LANGUAGES:
            if code == SOURCE_LANGUAGE:
                continue
            for domain in ("django", "djangojs"):
                call_command(
                    "makemessages", locale=[code], domain=domain, ignore_patterns=IGNORE,
                    no_obsolete=True, add_location="file", verbosity=0,
                )
            parts = sorted((base / code / "parts").glob("*.po"))
            for po in sorted((base / code / "LC_MESSAGES").glob("*.po")):
                filled = catalogues.merge_parts(po, parts, refresh=refresh)
                self.stdout.write(f"{po}: {filled} filled from {len(parts)} part file(s)")
        for mo in catalogues.compile_all(force=True):
            self.stdout.write(f"Compiled {mo}")
