"""W3C Data Integrity proofs with the ``eddsa-jcs-2022`` cryptosuite, written from the
specification ("Data Integrity EdDSA Cryptosuites v1.0", section 3.3) and checked
against its published test vector (appendix B.3, in tests/certification/test_credentials.py).

No Django here: documents are plain JSON-ready dicts, keys are ``cryptography`` Ed25519
objects. The steps, as the specification names them:

- Transformation: the document without ``proof``, canonicalised with JCS (RFC 8785).
- Proof configuration: the proof options (type, cryptosuite, created,
  verificationMethod, proofPurpose) plus the document's ``@context``, canonicalised
  with JCS.
- Hashing: SHA-256(canonical proof configuration) followed by SHA-256(canonical document).
- Serialisation: an Ed25519 signature (RFC 8032) over those 64 bytes, written as
  ``proofValue`` in multibase base58-btc (``z...``).

JCS needs no JSON-LD processing, so nothing is ever fetched: the ``@context`` URLs are
signed as strings.
"""
import copy
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

import base58
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-jcs-2022"
ASSERTION_METHOD = "assertionMethod"

# Multicodec headers (varint-encoded) for Ed25519 keys in Multikey form.
ED25519_PUB_HEADER = b"\xed\x01"
ED25519_PRIV_HEADER = b"\x80\x26"

# XML Schema 1.1 dateTimeStamp: a dateTime with a time zone (what `created` must be).
_DATETIME_STAMP = re.compile(
    r"^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?"
    r"(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$"
)


class ProofError(ValueError):
    """The proof cannot be made or checked. ``code`` says why, for the caller's message."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.code = code


# --- multibase / multikey ------------------------------------------------------------------


def multibase_encode(data: bytes) -> str:
    return "z" + base58.b58encode(data).decode("ascii")


def multibase_decode(value: str) -> bytes:
    """Decode a base58-btc multibase string (the only base these suites allow)."""
    if not isinstance(value, str) or not value.startswith("z") or len(value) < 2:
        raise ProofError("malformed", "Not a base58-btc multibase value.")
    try:
        return base58.b58decode(value[1:])
    except ValueError as exc:
        raise ProofError("malformed", "Not a base58-btc multibase value.") from exc


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return multibase_encode(ED25519_PUB_HEADER + raw)


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    data = multibase_decode(value)
    if len(data) != 34 or not data.startswith(ED25519_PUB_HEADER):
        raise ProofError("malformed", "Not an Ed25519 Multikey public key.")
    return Ed25519PublicKey.from_public_bytes(data[2:])


def private_key_from_multibase(value: str) -> Ed25519PrivateKey:
    """A Multikey ``secretKeyMultibase`` (header 0x8026, then the 32-byte seed)."""
    data = multibase_decode(value)
    if len(data) != 34 or not data.startswith(ED25519_PRIV_HEADER):
        raise ProofError("malformed", "Not an Ed25519 Multikey secret key.")
    return Ed25519PrivateKey.from_private_bytes(data[2:])


def private_key_multibase(private_key: Ed25519PrivateKey) -> str:
    raw = private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return multibase_encode(ED25519_PRIV_HEADER + raw)


# --- the cryptosuite's steps ----------------------------------------------------------------


def canonicalize(value: object) -> bytes:
    """JCS (RFC 8785), UTF-8. Raises ProofError for values JCS cannot represent."""
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError, RecursionError) as exc:
        raise ProofError("malformed", "The document cannot be canonicalised (RFC 8785).") from exc


def _check_suite(options: dict) -> None:
    if options.get("type") != PROOF_TYPE or options.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError("unsupported", f"Only {PROOF_TYPE} with {CRYPTOSUITE} is supported.")


def transform(unsecured_document: dict, options: dict) -> bytes:
    """3.3.3 Transformation: the canonical document (without its proof)."""
    _check_suite(options)
    return canonicalize(unsecured_document)


def proof_configuration(options: dict) -> bytes:
    """3.3.5 Proof Configuration: the canonical proof options (``@context`` included)."""
    config = copy.deepcopy(options)
    _check_suite(config)
    created = config.get("created")
    if created is not None and (not isinstance(created, str) or not _DATETIME_STAMP.match(created)):
        raise ProofError("malformed", "The proof's created date is not an XML Schema dateTime.")
    return canonicalize(config)


def hash_data(transformed_document: bytes, canonical_proof_config: bytes) -> bytes:
    """3.3.4 Hashing: SHA-256 of the proof configuration, then SHA-256 of the document."""
    return hashlib.sha256(canonical_proof_config).digest() + hashlib.sha256(transformed_document).digest()


def format_datetime(value: datetime) -> str:
    """A dateTimeStamp in UTC to the second, e.g. 2026-01-31T09:30:00Z."""
    return value.astimezone(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def create_proof(
    unsecured_document: dict,
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime | str | None = None,
    proof_purpose: str = ASSERTION_METHOD,
) -> dict:
    """3.3.1 Create Proof: the proof object (with ``proofValue``) for the document."""
    proof = {"type": PROOF_TYPE, "cryptosuite": CRYPTOSUITE}
    if created is not None:
        proof["created"] = created if isinstance(created, str) else format_datetime(created)
    proof["verificationMethod"] = verification_method
    proof["proofPurpose"] = proof_purpose
    if "@context" in unsecured_document:
        proof["@context"] = copy.deepcopy(unsecured_document["@context"])
    canonical_config = proof_configuration(proof)
    transformed = transform(unsecured_document, proof)
    signature = private_key.sign(hash_data(transformed, canonical_config))
    proof["proofValue"] = multibase_encode(signature)
    return proof


def add_proof(unsecured_document: dict, **kwargs: object) -> dict:
    """The secured document: a copy of the document with its ``proof``."""
    if "proof" in unsecured_document:
        raise ProofError("unsupported", "The document already has a proof.")
    secured = copy.deepcopy(unsecured_document)
    secured["proof"] = create_proof(unsecured_document, **kwargs)
    return secured


@dataclass
class Verification:
    verified: bool
    code: str = ""  # why not: "no_proof", "unsupported", "unknown_key", "purpose", "malformed", "context", "signature"
    verification_method: str = ""
    document: dict | None = None  # the unsecured document when verified


def verify_proof(
    secured_document: dict,
    *,
    resolve_key: Callable[[str], Ed25519PublicKey | None],
    expected_purpose: str = ASSERTION_METHOD,
) -> Verification:
    """3.3.2 Verify Proof. ``resolve_key`` maps a verificationMethod to a public key the
    caller trusts for it, or None: dereferencing keys (and deciding whose keys count) is
    the caller's business, never a network fetch here."""
    if not isinstance(secured_document, dict) or "proof" not in secured_document:
        return Verification(False, "no_proof")
    proof = secured_document["proof"]
    if isinstance(proof, list):
        if len(proof) != 1:
            return Verification(False, "unsupported")
        proof = proof[0]
    if not isinstance(proof, dict):
        return Verification(False, "malformed")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return Verification(False, "unsupported")
    method = proof.get("verificationMethod")
    if not isinstance(method, str):
        return Verification(False, "malformed")
    public_key = resolve_key(method)
    if public_key is None:
        return Verification(False, "unknown_key", method)
    if proof.get("proofPurpose") != expected_purpose:
        return Verification(False, "purpose", method)

    # 1-3: the document without its proof, the options without the value, the signature.
    unsecured = {k: v for k, v in secured_document.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    try:
        signature = multibase_decode(proof.get("proofValue"))
    except ProofError:
        return Verification(False, "signature", method)
    if len(signature) != 64:
        return Verification(False, "signature", method)
    # 4: the proof's @context must be the document's, or a prefix of it, in order.
    if "@context" in options:
        proof_context = options["@context"]
        doc_context = secured_document.get("@context")
        as_list = lambda c: c if isinstance(c, list) else [c]  # noqa: E731
        if doc_context is None or as_list(doc_context)[: len(as_list(proof_context))] != as_list(proof_context):
            return Verification(False, "context", method)
        unsecured["@context"] = proof_context
    # 5-8: transform, configure, hash, check the signature.
    try:
        transformed = transform(unsecured, options)
        canonical_config = proof_configuration(options)
    except ProofError as exc:
        return Verification(False, exc.code, method)
    try:
        public_key.verify(signature, hash_data(transformed, canonical_config))
    except InvalidSignature:
        return Verification(False, "signature", method)
    return Verification(True, "", method, unsecured)
