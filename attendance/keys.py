"""The attendance key: an HMAC secret of its own (never SECRET_KEY), so that a slip's row
holds only a keyed hash of the participant's normalised name with the slip code.

ATTENDANCE_KEYS (settings, from the environment) is "id:secret,id:secret": the first key
makes new hashes; every key is kept to check the slips it made (rotation: put a new key
first, drop the old one once its slips have expired).
"""
import hashlib
import hmac

from django.conf import settings

from .names import normalise_name


def _keys() -> list[tuple[str, bytes]]:
    pairs = []
    for entry in str(settings.ATTENDANCE_KEYS).split(","):
        key_id, _, secret = entry.strip().partition(":")
        if key_id and secret:
            pairs.append((key_id, secret.encode()))
    if not pairs:
        raise RuntimeError("ATTENDANCE_KEYS holds no id:secret pair")
    return pairs


def _secret(key_id: str) -> bytes | None:
    return dict(_keys()).get(key_id)


def _digest(secret: bytes, name: str, code: str) -> str:
    message = (normalise_name(name) + "\n" + code).encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def name_hash(name: str, code: str, key_id: str | None = None) -> tuple[str, str]:
    """(hash, key_id): with the current key unless ``key_id`` names another."""
    if key_id is None:
        key_id, secret = _keys()[0]
    else:
        secret = _secret(key_id)
        if secret is None:
            raise KeyError(key_id)
    return _digest(secret, name, code), key_id


def name_matches(name: str, code: str, stored_hash: str, key_id: str) -> bool:
    """Whether ``name`` is the one hashed for this slip, compared in constant time. A
    retired key (no longer configured) matches nothing, after the same work."""
    secret = _secret(key_id)
    computed = _digest(secret if secret is not None else _keys()[0][1], name, code)
    return hmac.compare_digest(computed, stored_hash) and secret is not None
