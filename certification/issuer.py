"""Who signs the platform's credentials, and how.

The issuer is ``did:web:<host>`` (from WAGTAILADMIN_BASE_URL, the site root, read at
call time); its DID document at ``/.well-known/did.json`` lists one ``Multikey``
verification method, the public half of ``keys.signing_key()``, under
``assertionMethod``. Everything the platform signs (certificates' credentials, the
revocation lists) carries one Data Integrity ``eddsa-jcs-2022`` proof (see ``signing``),
written as a list of one: 1EdTech's Open Badges schema expects ``proof`` as a list.
"""
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings

from . import keys, signing

DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


def base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def issuer_did() -> str:
    """did:web of the site's host; a non-default port is percent-encoded (did:web spec).
    The DID document must be at the host's root, so BASE_URL must be the site root."""
    parts = urlsplit(base_url())
    did = "did:web:" + (parts.hostname or "localhost")
    default_port = {"https": 443, "http": 80}.get(parts.scheme)
    if parts.port and parts.port != default_port:
        did += f"%3A{parts.port}"
    return did


def verification_method_id() -> str:
    """The key's id in the DID document: the DID, then the key's multibase as fragment
    (a new key gets a new id)."""
    return f"{issuer_did()}#{keys.public_key_multibase()}"


def did_document() -> dict:
    did, method = issuer_did(), verification_method_id()
    return {
        "@context": DID_CONTEXTS,
        "id": did,
        "verificationMethod": [
            {"id": method, "type": "Multikey", "controller": did, "publicKeyMultibase": keys.public_key_multibase()}
        ],
        "assertionMethod": [method],
    }


def sign(document: dict, *, created: datetime) -> dict:
    """The document with our proof, as a list of one. The proof covers the document
    without ``proof`` (eddsa-jcs-2022), so a list or a single object verifies alike."""
    if "proof" in document:
        raise signing.ProofError("unsupported", "The document already has a proof.")
    proof = signing.create_proof(
        document, private_key=keys.signing_key(), verification_method=verification_method_id(), created=created
    )
    return {**document, "proof": [proof]}


def verify(document: dict) -> signing.Verification:
    """Check a document's proof against our own key only: nothing is fetched."""
    our_method, our_key = verification_method_id(), keys.public_key()
    return signing.verify_proof(document, resolve_key=lambda method: our_key if method == our_method else None)
