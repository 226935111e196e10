"""The translation catalogues: complete, compiling cleanly, merged from the translations
written beside them (lms/catalogues.py, manage.py messages / compile_catalogues)."""
import gettext
import shutil
import subprocess
from pathlib import Path

import polib
from django.conf import settings

from lms import catalogues

LOCALE = Path(settings.LOCALE_PATHS[0])
SPANISH = LOCALE / "es" / "LC_MESSAGES" / "django.po"
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=3; plural=n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;\\n"\n\n'


def untranslated_or_fuzzy(po: Path) -> list[str]:
    catalogue = polib.pofile(str(po))
    return [entry.msgid for entry in catalogue if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)]


def test_the_spanish_catalogue_has_no_untranslated_or_fuzzy_entry():
    missing = untranslated_or_fuzzy(SPANISH)
    assert not missing, f"{len(missing)} entries to translate in {SPANISH}:\n" + "\n".join(missing)


def test_every_translation_written_in_parts_is_complete_and_keeps_its_placeholders():
    for part in sorted((LOCALE / "es" / "parts").glob("*.po")):
        assert not untranslated_or_fuzzy(part), part
        if shutil.which("msgfmt"):
            subprocess.run(["msgfmt", "--check-format", "-o", "/dev/null", str(part)], check=True)


def test_the_spanish_catalogue_compiles_and_its_placeholders_match(tmp_path):
    mo = catalogues.compile_catalogue(SPANISH, tmp_path / "django.mo")
    translation = gettext.GNUTranslations(mo.open("rb"))
    assert translation.gettext("Time zone") == "Zona horaria"


def test_parts_fill_the_catalogue_and_obsolete_entries_go(tmp_path):
    catalogue = tmp_path / "django.po"
    catalogue.write_text(
        HEADER
        + 'msgid "Save"\nmsgstr ""\n\n'
        + '#, fuzzy\nmsgid "Cancel"\nmsgstr "Cancelar ahora"\n\n'
        + 'msgid "Kept"\nmsgstr "Conservado"\n\n'
        + 'msgctxt "verb"\nmsgid "Close"\nmsgstr ""\n\n'
        + 'msgid "%(count)s lesson"\nmsgid_plural "%(count)s lessons"\nmsgstr[0] ""\nmsgstr[1] ""\nmsgstr[2] ""\n\n'
        + '#~ msgid "Gone"\n#~ msgstr "Ido"\n',
        encoding="utf-8",
    )
    part = tmp_path / "part.po"
    part.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        + 'msgid "Save"\nmsgstr "Guardar"\n\n'
        + 'msgid "Cancel"\nmsgstr "Cancelar"\n\n'
        + 'msgid "Kept"\nmsgstr "Otra cosa"\n\n'
        + 'msgctxt "verb"\nmsgid "Close"\nmsgstr "Cerrar"\n\n'
        + 'msgid "Close"\nmsgstr "Cerca"\n\n'
        + 'msgid "%(count)s lesson"\nmsgid_plural "%(count)s lessons"\nmsgstr[0] "%(count)s lección"\nmsgstr[1] "%(count)s lecciones"\n\n'
        + 'msgid "Not in the code"\nmsgstr "No está"\n',
        encoding="utf-8",
    )
    assert catalogues.merge_parts(catalogue, [part]) == 4
    merged = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(catalogue))}
    assert merged[(None, "Save")].msgstr == "Guardar"
    assert merged[(None, "Cancel")].msgstr == "Cancelar" and "fuzzy" not in merged[(None, "Cancel")].flags
    assert merged[(None, "Kept")].msgstr == "Conservado"  # a translation already there stays
    assert merged[("verb", "Close")].msgstr == "Cerrar"  # the context is part of the key
    assert merged[(None, "%(count)s lesson")].msgstr_plural == {0: "%(count)s lección", 1: "%(count)s lecciones", 2: "%(count)s lecciones"}
    assert (None, "Not in the code") not in merged and not polib.pofile(str(catalogue)).obsolete_entries()
    catalogues.compile_catalogue(catalogue)  # msgfmt accepts the result


def test_the_first_part_to_translate_a_string_wins_and_refresh_retakes_the_parts(tmp_path):
    catalogue = tmp_path / "django.po"
    catalogue.write_text(HEADER + 'msgid "Check"\nmsgstr "Antes"\n\nmsgid "New"\nmsgstr ""\n', encoding="utf-8")
    first, second = tmp_path / "a.po", tmp_path / "b.po"
    first.write_text('msgid "Check"\nmsgstr "Verificar"\n\nmsgid "New"\nmsgstr "Nuevo"\n', encoding="utf-8")
    second.write_text('msgid "Check"\nmsgstr "Comprobar"\n\nmsgid "New"\nmsgstr "Otro"\n', encoding="utf-8")
    catalogues.merge_parts(catalogue, [first, second])
    assert {e.msgid: e.msgstr for e in polib.pofile(str(catalogue))} == {"Check": "Antes", "New": "Nuevo"}
    catalogues.merge_parts(catalogue, [first, second], refresh=True)
    assert {e.msgid: e.msgstr for e in polib.pofile(str(catalogue))} == {"Check": "Verificar", "New": "Nuevo"}


def test_catalogues_compile_with_polib_where_msgfmt_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    mo = catalogues.compile_catalogue(SPANISH, tmp_path / "django.mo")
    assert gettext.GNUTranslations(mo.open("rb")).gettext("Language") == "Idioma"


def test_only_changed_catalogues_are_compiled_again(tmp_path, settings):
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(SPANISH, folder / "django.po")
    settings.LOCALE_PATHS = [tmp_path]
    assert catalogues.compile_all() == [folder / "django.mo"]
    assert catalogues.compile_all() == []
    assert catalogues.compile_all(force=True) == [folder / "django.mo"]


def test_compiled_catalogues_are_not_kept_in_git():
    root = Path(settings.BASE_DIR)
    assert "*.mo" in (root / ".gitignore").read_text().split()
    tracked = subprocess.run(["git", "ls-files", "*.mo"], cwd=root, capture_output=True, text=True).stdout
    assert not tracked.strip()


def test_make_messages_updates_merges_and_compiles_every_language():
    result = subprocess.run(["make", "-n", "messages"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "manage.py messages" in result.stdout
    for target in ("demo", "test"):
        steps = subprocess.run(["make", "-n", target], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60).stdout
        assert "manage.py compile_catalogues" in steps, target
