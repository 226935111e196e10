"""``manage.py compile_catalogues``: compile the translation catalogues (lms/catalogues.py)
that changed since they were last compiled. ``make demo`` and ``make test`` run it."""
from django.core.management.base import BaseCommand

from lms import catalogues


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po to .mo (msgfmt, or polib where msgfmt is missing)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile every catalogue, changed or not.")

    def handle(self, *args, force=False, **options):
        for mo in catalogues.compile_all(force=force):
            self.stdout.write(f"Compiled {mo}")
