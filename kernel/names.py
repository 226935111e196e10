"""Names that are printed (on certificates, invitations, receipts) refuse invisible
characters that change how the text around them is shown.

A right-to-left override (U+202E) makes the rest of a name print backwards, and
zero-width or other format characters can make two names look alike; on a PDF no one can
tell. So a name refuses:

- format characters (Unicode category Cf): bidirectional embeddings, overrides and isolates
  (U+202A–202E, U+2066–2069), marks (U+200E, U+200F, U+061C), zero-width space (U+200B),
  word joiner and invisible operators (U+2060–2064), the byte-order mark (U+FEFF), soft
  hyphens, tag characters and the like;
- control characters (Cc: tab, newline, NUL, ...), line and paragraph separators (Zl,
  Zp), surrogates (Cs) and private-use characters (Co), which print as nothing or as a box.

Two format characters are allowed: ZERO WIDTH NON-JOINER (U+200C) and ZERO WIDTH JOINER
(U+200D). Persian, Kurdish, Urdu and several Indic scripts need them to spell names
correctly (Persian word forms, Malayalam chillu letters), and they cannot reorder text.
Unassigned code points are not refused: a newer Unicode version than this Python's may
have assigned them to a script someone's name is written in.
"""
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

ALLOWED_FORMAT = frozenset({"\u200c", "\u200d"})  # ZWNJ, ZWJ: needed to spell some scripts
REFUSED_CATEGORIES = frozenset({"Cf", "Cc", "Zl", "Zp", "Cs", "Co"})


def refused_characters(value: str) -> list[str]:
    """The characters of ``value`` that a printed name may not hold, each once, in order."""
    found: list[str] = []
    for character in value:
        if character in ALLOWED_FORMAT or character in found:
            continue
        if unicodedata.category(character) in REFUSED_CATEGORIES:
            found.append(character)
    return found


def describe(characters: list[str]) -> str:
    """"U+202E (RIGHT-TO-LEFT OVERRIDE)", for the person to look up."""
    return ", ".join(f"U+{ord(c):04X} ({unicodedata.name(c, 'control character')})" for c in characters)


def name_problem(value: str) -> str | None:
    """Why ``value`` cannot be a printed name, in words for the person; None if it can."""
    found = refused_characters(value or "")
    if not found:
        return None
    return ngettext(
        "This name contains an invisible formatting or control character that could change how it is "
        "printed: %(chars)s. Please type the name again without it (pasting it from elsewhere can bring it in).",
        "This name contains invisible formatting or control characters that could change how it is "
        "printed: %(chars)s. Please type the name again without them (pasting it from elsewhere can bring them in).",
        len(found),
    ) % {"chars": describe(found)}


def validate_printable_name(value: str) -> None:
    """Model and form field validator for names that are printed."""
    problem = name_problem(value)
    if problem:
        raise ValidationError(problem, code="invisible_characters")


__all__ = ["validate_printable_name", "name_problem", "refused_characters"]
