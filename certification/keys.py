"""The platform's Ed25519 key for signing digital credentials.

Production sets ``CREDENTIAL_SIGNING_KEY`` (production settings refuse to start without
it) in one of these forms:

- the 32-byte seed in base64 or base64url (44 or 43 characters), e.g. from
  ``python -c "import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())"``;
- a Multikey ``secretKeyMultibase`` (``z3u2...``: header 0x8026 + the seed, base58-btc);
- an unencrypted PKCS#8 PEM (``openssl genpkey -algorithm ed25519``).

Keep it as secret as SECRET_KEY, and keep it stable: the public half is published at
``/.well-known/did.json`` and every credential already downloaded is checked against
it. Changing it makes earlier downloads fail verification (holders can download again).

In development and tests, when it is unset, the key is derived from SECRET_KEY with
HKDF-SHA256: stable for one installation, different between installations, and never
good enough for production (anyone who learns SECRET_KEY could sign credentials).
"""
import base64
import binascii
import functools

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import signing

_HKDF_SALT = b"lms.certification.credential-signing-key"
_HKDF_INFO = b"Ed25519 seed v1"


def parse_private_key(text: str) -> Ed25519PrivateKey:
    """Read an Ed25519 private key in any of the documented forms."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured("CREDENTIAL_SIGNING_KEY is not a readable unencrypted PEM key.") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise ImproperlyConfigured("CREDENTIAL_SIGNING_KEY must be an Ed25519 key.")
        return key
    if text.startswith("z") and len(text) > 45:
        try:
            return signing.private_key_from_multibase(text)
        except signing.ProofError as exc:
            raise ImproperlyConfigured(
                "CREDENTIAL_SIGNING_KEY looks like a multibase key but is not an Ed25519 secretKeyMultibase."
            ) from exc
    try:
        padded = text + "=" * (-len(text) % 4)
        seed = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured("CREDENTIAL_SIGNING_KEY is not base64, multibase or PEM.") from exc
    if len(seed) != 32:
        raise ImproperlyConfigured(
            f"CREDENTIAL_SIGNING_KEY must hold a 32-byte Ed25519 seed (this one decodes to {len(seed)} bytes)."
        )
    return Ed25519PrivateKey.from_private_bytes(seed)


def derive_from_secret(secret_key: str) -> Ed25519PrivateKey:
    """A per-installation development key: HKDF-SHA256 of SECRET_KEY."""
    if not secret_key:
        raise ImproperlyConfigured("Set CREDENTIAL_SIGNING_KEY (or, in development, SECRET_KEY) to sign credentials.")
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=_HKDF_INFO).derive(
        secret_key.encode("utf-8")
    )
    return Ed25519PrivateKey.from_private_bytes(seed)


@functools.lru_cache(maxsize=4)
def _load(configured: str, secret_key: str) -> Ed25519PrivateKey:
    return parse_private_key(configured) if configured else derive_from_secret(secret_key)


def signing_key() -> Ed25519PrivateKey:
    """The key credentials are signed with (read from settings, cached per value)."""
    return _load(getattr(settings, "CREDENTIAL_SIGNING_KEY", "") or "", settings.SECRET_KEY)


def public_key() -> Ed25519PublicKey:
    return signing_key().public_key()


def public_key_multibase() -> str:
    return signing.public_key_multibase(public_key())
