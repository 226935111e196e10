"""The translation catalogues (locale/<lang>/LC_MESSAGES/django.po): merging the
translations written beside them (locale/<lang>/parts/*.po) and compiling them to the .mo
files Django reads. ``manage.py messages`` (``make messages``) and
``manage.py compile_catalogues`` (``make demo``, ``make test``) run these.

Compiling uses GNU gettext's msgfmt when the machine has it (it checks placeholders), else
polib (pure Python, in requirements.txt), so no step needs anything installed by hand.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from django.conf import settings


def catalogue_files() -> list[Path]:
    """Every catalogue under LOCALE_PATHS (locale/<lang>/LC_MESSAGES/<domain>.po)."""
    return sorted(po for base in settings.LOCALE_PATHS for po in Path(base).glob("*/LC_MESSAGES/*.po"))


def compile_catalogue(po: Path, mo: Path | None = None) -> Path:
    """Compile ``po`` to ``mo`` (beside it by default); msgfmt, else polib."""
    mo = mo or po.with_suffix(".mo")
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        subprocess.run([msgfmt, "--check-format", "-o", str(mo), str(po)], check=True)
    else:
        import polib

        polib.pofile(str(po)).save_as_mofile(str(mo))
    return mo


def compile_all(*, force: bool = False) -> list[Path]:
    """Compile every catalogue whose .mo is missing or older than its .po."""
    done = []
    for po in catalogue_files():
        mo = po.with_suffix(".mo")
        if force or not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            done.append(compile_catalogue(po, mo))
    return done


def _key(entry: object) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def merge_parts(po: Path, parts: list[Path], *, refresh: bool = False) -> int:
    """Fill ``po``'s untranslated and fuzzy entries from the translations in ``parts``
    (a compendium: only strings the catalogue has are taken; where two parts translate a
    string, the first), drop obsolete entries, and save. ``refresh`` takes the parts'
    translation over one already in the catalogue too. Returns how many were filled."""
    import polib

    compendium: dict[tuple[str, str], object] = {}
    for part in parts:
        for entry in polib.pofile(str(part)):
            if entry.translated() and not entry.obsolete:
                # The first part (by file name) that translates a string wins, as with
                # msgcat --use-first: parts never overrule each other silently.
                compendium.setdefault(_key(entry), entry)
    catalogue = polib.pofile(str(po), wrapwidth=0)
    filled = 0
    for entry in list(catalogue):
        if entry.obsolete:
            catalogue.remove(entry)
            continue
        source = compendium.get(_key(entry))
        if source is None or (entry.translated() and "fuzzy" not in entry.flags and not refresh):
            continue
        if entry.msgid_plural:
            if not source.msgid_plural:
                continue
            entry.msgstr_plural = _plural_forms(source.msgstr_plural, _plural_count(catalogue))
        else:
            entry.msgstr = source.msgstr
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        filled += 1
    _tidy_header(catalogue, po)
    catalogue.save(str(po))
    return filled


def _plural_count(catalogue: object) -> int:
    forms = catalogue.metadata.get("Plural-Forms", "")
    try:
        return int(forms.split("nplurals=")[1].split(";")[0])
    except (IndexError, ValueError):
        return 2


def _plural_forms(forms: dict[int, str], count: int) -> dict[int, str]:
    """A part's plural forms for a catalogue with ``count`` of them. Django's Spanish has
    three (one, many for millions, other); a translator writes two (one, other): the
    last one written stands for each form it lacks."""
    written = [forms[index] for index in sorted(forms)]
    return {index: written[min(index, len(written) - 1)] for index in range(count)}


def _tidy_header(catalogue: object, po: Path) -> None:
    """makemessages writes a template's placeholder header, marked fuzzy: name the
    language and the project instead."""
    language = po.parent.parent.name
    catalogue.header = (
        f"Translation of the facilitator training platform ({language}).\n"
        "Written with care; a native speaker should review it (README, \"Languages and time zones\")."
    )
    catalogue.metadata_is_fuzzy = []
    catalogue.metadata.update({
        "Project-Id-Version": "lms",
        "Language": language,
        "Language-Team": language,
        "Last-Translator": "",
        "PO-Revision-Date": catalogue.metadata.get("POT-Creation-Date", ""),
    })
