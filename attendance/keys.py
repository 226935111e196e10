"""The attendance keys: the HMAC secrets that hash a participant's name with a slip's
code, so that an officer who types the name printed on a slip can be told it matches,
while the server keeps nothing readable about the person.

``ATTENDANCE_KEYS`` (settings, from the environment) is "id:secret" pairs separated by
commas. The first makes new slips (its id is stored beside the hash); all are tried when
a slip is checked, so a key is rotated by putting a new one first. Its own secret, never
SECRET_KEY: a leaked SECRET_KEY must not let anyone test guessed names against slips.
Settings are read at call time; ``parse_keys`` and ``keys_problem`` are pure, so
production settings can use them while they load.
"""
from __future__ import annotations

import hashlib
import hmac
from typing import NamedTuple

from django.conf import settings

MIN_SECRET_LENGTH = 32
MAX_ID_LENGTH = 16  # Slip.key_id
# Keys written in this repository (development, tests, the demo): never secret.
KNOWN_SECRETS = frozenset({"attendance-dev-only-not-secret-key-0123456789"})


class Key(NamedTuple):
    id: str
    secret: bytes


def parse_keys(value: str) -> list[Key]:
    """The keys in ``value``, first first; raises ValueError saying what is wrong
    (never quoting a secret)."""
    keys: list[Key] = []
    for number, entry in enumerate((value or "").split(","), start=1):
        entry = entry.strip()
        if not entry:
            continue
        key_id, separator, secret = entry.partition(":")
        key_id = key_id.strip()
        if not separator or not key_id or not secret:
            raise ValueError(f"entry {number} is not 'id:secret'")
        if len(key_id) > MAX_ID_LENGTH or not key_id.isascii() or not key_id.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"entry {number}'s id must be 1 to {MAX_ID_LENGTH} letters, digits, '-' or '_'")
        if any(k.id == key_id for k in keys):
            raise ValueError(f"the id {key_id!r} is given twice")
        keys.append(Key(key_id, secret.encode()))
    if not keys:
        raise ValueError("no key is given")
    return keys


def keys_problem(value: str) -> str | None:
    """What makes ``value`` unfit for production, in words (without the secrets), or None."""
    try:
        keys = parse_keys(value)
    except ValueError as error:
        return str(error)
    for key in keys:
        if key.secret.decode() in KNOWN_SECRETS:
            return f"the key {key.id!r} is a development key published with the source code"
        if len(key.secret) < MIN_SECRET_LENGTH:
            return f"the key {key.id!r} has fewer than {MIN_SECRET_LENGTH} characters"
    return None


def all_keys() -> list[Key]:
    return parse_keys(settings.ATTENDANCE_KEYS)


def current_key() -> Key:
    """The key that makes new slips."""
    return all_keys()[0]


def name_hash(key: Key, normalised_name: str, slip_code: str) -> str:
    """HMAC-SHA256 (hex) of the normalised name and the slip code: the code in it makes
    the same name hash differently on every slip, so hashes cannot be linked."""
    message = (normalised_name + "\n" + slip_code).encode()
    return hmac.new(key.secret, message, hashlib.sha256).hexdigest()


def matches(*, key_id: str, stored_hash: str, normalised_name: str, slip_code: str) -> bool:
    """Whether the name matches a slip's stored hash, with the key that made it (False
    when that key is no longer configured); compared in constant time."""
    for key in all_keys():
        if key.id == key_id:
            return hmac.compare_digest(name_hash(key, normalised_name, slip_code), stored_hash)
    return False
