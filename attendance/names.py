"""A participant's name as the slip's hash reads it, so an officer can type it naturally.

Unicode NFKD, combining marks (accents) dropped, casefolded, runs of whitespace made one
space, trimmed: "  JOSÉ  maría " and "Jose Maria" are the same name. The name itself is
never stored; only the keyed hash of this form with the slip code (keys.py).
"""
import unicodedata

MAX_LENGTH = 120


def normalise_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name or "")
    unmarked = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(unmarked.casefold().split())
