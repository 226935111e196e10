"""A participant's name as the slip prints it and as it is hashed.

Printed: as given, trimmed, 1 to ``MAX_LENGTH`` characters, no invisible or control
characters (kernel/names.py). Hashed: normalised, so that an officer typing the printed
name naturally (other case, no accents, extra spaces) still matches: Unicode NFKD,
combining marks dropped, casefolded, whitespace collapsed. Scripts without case or
accents (Chinese, Japanese, Arabic letters) pass through NFKD unchanged but for
compatibility forms (full-width letters fold to plain ones).
"""
from __future__ import annotations

import unicodedata

from django.utils.translation import gettext

from kernel.names import name_problem

MAX_LENGTH = 120


def printed_name_problem(value: str) -> str | None:
    """Why ``value`` (already trimmed) cannot be a slip's name, for the person; or None."""
    if not value:
        return gettext("Type the participant's name.")
    if len(value) > MAX_LENGTH:
        return gettext("A name can have at most %(max)d characters.") % {"max": MAX_LENGTH}
    if not any(c.isalnum() for c in value):
        return gettext("A name needs at least one letter.")
    return name_problem(value)


def clean_printed_name(value: str) -> str:
    """The name as printed: whitespace runs become one space, ends trimmed."""
    return " ".join((value or "").split())


def normalise(value: str) -> str:
    """The form that is hashed (see the module's docstring)."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    without_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(without_marks.casefold().split())
