"""Verification codes: 100 random bits, easy to read aloud and type.

Crockford's base32 alphabet leaves out I, L, O and U, so a code read from paper cannot
be mistyped into another valid-looking one; lookups fold the look-alikes back (O→0,
I/L→1) and ignore case, spaces and dashes. 20 characters × 5 bits = 100 bits from the
operating system's CSPRNG: guessing is hopeless, and codes say nothing about the holder
or the order of issue.
"""
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise(text: str) -> str | None:
    """The stored form of a typed code, or None when it cannot be a code."""
    cleaned = "".join(text.split()).replace("-", "").upper().translate(_FOLD)
    if len(cleaned) != LENGTH or any(c not in ALPHABET for c in cleaned):
        return None
    return cleaned
