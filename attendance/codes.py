"""Slip codes and meeting codes, in certification's alphabet (Crockford base32: no I, L,
O or U; look-alikes folded back when typed).

A slip code is 16 characters (80 random bits): a court officer types it from paper, and
guessing one is hopeless. A meeting code is 6 characters (30 bits): it works only during
one meeting and the request window after it, and requests are rate limited per client.
"""
import secrets

from certification.codes import ALPHABET

SLIP_LENGTH = 16
MEETING_LENGTH = 6
FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_slip_code() -> str:
    return _random(SLIP_LENGTH)


def new_meeting_code() -> str:
    return _random(MEETING_LENGTH)


def display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise(text: str, length: int) -> str | None:
    """The stored form of a typed code of ``length`` characters, or None when it cannot
    be one (case, spaces and dashes ignored; O, I and L read as 0, 1 and 1)."""
    cleaned = "".join((text or "").split()).replace("-", "").upper().translate(FOLD)
    if len(cleaned) != length or any(c not in ALPHABET for c in cleaned):
        return None
    return cleaned
