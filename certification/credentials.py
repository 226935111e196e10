"""Certificates as Open Badges 3.0 credentials (W3C Verifiable Credentials 2.0), signed
by the platform, and the check of a credential someone uploads.

The issuer is ``did:web:<host>`` (from WAGTAILADMIN_BASE_URL, the site root); its DID
document at ``/.well-known/did.json`` lists one ``Multikey`` verification method, the
public half of ``keys.signing_key()``, under ``assertionMethod``. The proof is a Data
Integrity ``eddsa-jcs-2022`` proof (see ``signing``).

What a credential says about the person: the name they chose to print, and a salted
SHA-256 hash of their email address (an OB 3.0 IdentityObject, so they can prove the
credential is theirs by showing the address). Nothing else: no account id, no
attestation answers (the programme's yes/no statements can be about health or
recovery, so the criteria leave them out).
"""
import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from . import codes, keys, selectors, signing
from .models import Certificate, Programme

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
# Our own credentialStatus type: its id is the certificate's JSON verification endpoint,
# which says "valid", "expired" or "revoked" (no status-list machinery needed).
STATUS_TYPE = "CertificateStatusLookup"
# The largest credential the check accepts (ours are about 2 KB).
MAX_CREDENTIAL_BYTES = 64 * 1024


# --- who we are -----------------------------------------------------------------------------


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


# --- building and signing -------------------------------------------------------------------


def verification_url(certificate: Certificate) -> str:
    return base_url() + reverse("certification:verify", args=[certificate.code])


def status_url(certificate: Certificate) -> str:
    return base_url() + reverse("certification:verify_json", args=[certificate.code])


def achievement_id(programme: Programme) -> str:
    # There is no public programme page; a stable URN per site and programme.
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base_url()}/programmes/{programme.pk}"))


def criteria_narrative(programme: Programme) -> str:
    parts = []
    courses = [c.title for c in programme.courses.order_by("path")]
    if courses:
        parts.append("Complete the course" + ("s " if len(courses) > 1 else " ") + ", ".join(courses) + ".")
    practical = [str(item) for item in programme.practical_items.all()]
    if practical:
        parts.append("Practical requirements, signed off by the training team: " + "; ".join(practical) + ".")
    if programme.requires_code_of_conduct:
        parts.append("Accept the facilitators' code of conduct.")
    if programme.validity_months:
        parts.append(f"The certificate is valid for {programme.validity_months} months and is renewed by further training.")
    return " ".join(parts) or f"Meet every requirement of the {programme.title} programme."


def email_identity(email: str, salt: str) -> dict:
    """OB 3.0 IdentityObject: 'sha256$' + hex SHA-256 of the (lower-cased) address + salt."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": f"sha256${digest}",
        "salt": salt,
    }


def build_credential(certificate: Certificate, *, salt: str | None = None) -> dict:
    """The unsigned OpenBadgeCredential for a certificate."""
    programme = certificate.programme
    credential = {
        "@context": list(CONTEXTS),
        "id": verification_url(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{programme.title} certificate",
        "issuer": {"id": issuer_did(), "type": ["Profile"], "name": settings.WAGTAIL_SITE_NAME, "url": base_url() + "/"},
        "validFrom": signing.format_datetime(certificate.issued_at),
    }
    if certificate.expires_at:
        credential["validUntil"] = signing.format_datetime(certificate.expires_at)
    credential["credentialSubject"] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": certificate.holder_name},
            email_identity(certificate.holder.email, salt or secrets.token_hex(16)),
        ],
        "achievement": {
            "id": achievement_id(programme),
            "type": ["Achievement"],
            "achievementType": "Certification",
            "name": programme.title,
            "description": programme.description
            or "The holder " + programme.wording.replace("{programme}", programme.title),
            "criteria": {"narrative": criteria_narrative(programme)},
        },
    }
    credential["credentialStatus"] = {"id": status_url(certificate), "type": STATUS_TYPE}
    return credential


def issue_credential(certificate: Certificate, *, now: datetime | None = None, salt: str | None = None) -> dict:
    """The signed credential. Revoked certificates get none."""
    if certificate.revoked_at:
        raise ValueError("A revoked certificate has no credential.")
    return signing.add_proof(
        build_credential(certificate, salt=salt),
        private_key=keys.signing_key(),
        verification_method=verification_method_id(),
        created=now or timezone.now(),
    )


def credential_filename(certificate: Certificate) -> str:
    return f"{certificate.programme.slug}-credential-{certificate.display_code}.json"


# --- checking an uploaded credential --------------------------------------------------------

REASONS = {
    "too_big": f"This file is too big to be one of our credentials (the limit is {MAX_CREDENTIAL_BYTES // 1024} KB).",
    "empty": "Paste the credential's text or choose its file.",
    "not_json": "This is not a digital credential: the text is not valid JSON.",
    "duplicate": "This credential is not well-formed: a field appears twice in the same object.",
    "not_credential": "This is not a digital credential: it is JSON, but not a verifiable credential.",
    "no_proof": "The credential has no signature (its “proof” is missing), so nothing in it can be trusted.",
    "not_ours": "This credential was not signed by us: it is not signed with our key published at /.well-known/did.json.",
    "unsupported": "This credential was not signed by us: its signature is not of the kind we make (eddsa-jcs-2022).",
    "purpose": "The credential's signature was not made for issuing credentials (its proof purpose is wrong).",
    "tampered": "The credential was changed after it was signed: its signature does not match its content.",
    "unknown_certificate": "The signature is ours, but we have no record of this certificate.",
    "revoked": "The certificate has been revoked{on}. It is not valid.",
    "expired": "The certificate expired on {on}. It was genuine but is no longer in force.",
}
_PROOF_CODES = {
    "no_proof": "no_proof",
    "unsupported": "unsupported",
    "unknown_key": "not_ours",
    "purpose": "purpose",
    "malformed": "tampered",
    "context": "tampered",
    "signature": "tampered",
}


@dataclass
class CredentialCheck:
    """The answer for one uploaded credential: ``outcome`` is "valid", "expired",
    "revoked" or "invalid"; ``reasons`` say why it is not valid, in plain words."""

    outcome: str
    signature_valid: bool = False
    reasons: list[str] = field(default_factory=list)
    reason_codes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    certificate: Certificate | None = None
    facts: dict | None = None

    @property
    def valid(self) -> bool:
        return self.outcome == "valid"

    @classmethod
    def invalid(cls, code: str) -> "CredentialCheck":
        return cls("invalid", reasons=[REASONS[code]], reason_codes=[code])


class CredentialRejected(Exception):
    """The upload is not a credential we can check; ``code`` keys REASONS."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class _Duplicate(ValueError):
    pass


def _no_duplicates(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise _Duplicate(key)
        obj[key] = value
    return obj


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def parse_credential(raw: str | bytes):
    """JSON text to a value; raises CredentialRejected with the reason's code."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_CREDENTIAL_BYTES:
            raise CredentialRejected("too_big")
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CredentialRejected("not_json") from exc
    if len(raw.encode("utf-8")) > MAX_CREDENTIAL_BYTES:
        raise CredentialRejected("too_big")
    if not raw.strip():
        raise CredentialRejected("empty")
    try:
        return json.loads(raw, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except _Duplicate as exc:
        raise CredentialRejected("duplicate") from exc
    except (ValueError, RecursionError) as exc:
        raise CredentialRejected("not_json") from exc


def _issuer_id(credential: dict):
    issuer = credential.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _certificate_for(credential: dict) -> Certificate | None:
    """The certificate a (verified) credential is about, from its id (our verification URL)."""
    identifier = credential.get("id")
    if not isinstance(identifier, str):
        return None
    try:
        match = resolve(urlsplit(identifier).path)
    except Resolver404:
        return None
    if match.view_name != "certification:verify":
        return None
    return selectors.certificate_by_code(codes.normalise(match.kwargs.get("code", "")) or "")


def _name_in(credential: dict) -> str | None:
    subject = credential.get("credentialSubject")
    for identity in (subject or {}).get("identifier", []) if isinstance(subject, dict) else []:
        if isinstance(identity, dict) and identity.get("identityType") == "name" and not identity.get("hashed"):
            return identity.get("identityHash")
    return None


def check_credential(raw: str | bytes, *, now: datetime | None = None) -> CredentialCheck:
    """Check a credential as uploaded: the signature (ours, unchanged), then what our
    records say of the certificate now (revoked, expired)."""
    now = now or timezone.now()
    try:
        credential = parse_credential(raw)
    except CredentialRejected as exc:
        return CredentialCheck.invalid(exc.code)
    types = credential.get("type") if isinstance(credential, dict) else None
    if not (isinstance(types, list) and "VerifiableCredential" in types):
        return CredentialCheck.invalid("not_credential")
    if "proof" not in credential:
        return CredentialCheck.invalid("no_proof")
    if _issuer_id(credential) != issuer_did():
        return CredentialCheck.invalid("not_ours")

    our_method, our_key = verification_method_id(), keys.public_key()
    result = signing.verify_proof(credential, resolve_key=lambda method: our_key if method == our_method else None)
    if not result.verified:
        return CredentialCheck.invalid(_PROOF_CODES.get(result.code, "tampered"))

    credential = result.document  # what the signature covers, from here on
    certificate = _certificate_for(credential)
    if certificate is None:
        check = CredentialCheck.invalid("unknown_certificate")
        check.signature_valid = True
        return check
    check = CredentialCheck(
        certificate.status(now), signature_valid=True, certificate=certificate,
        facts=selectors.public_facts(certificate, now=now),
    )
    if check.outcome == "revoked":
        on = f" on {date_format(timezone.localtime(certificate.revoked_at), 'j F Y')}"
        check.reasons.append(REASONS["revoked"].format(on=on))
        check.reason_codes.append("revoked")
    elif check.outcome == "expired":
        check.reasons.append(REASONS["expired"].format(on=date_format(timezone.localtime(certificate.expires_at), "j F Y")))
        check.reason_codes.append("expired")
    name = _name_in(credential)
    if name is not None and name != certificate.holder_name:
        check.notes.append(
            "The certificate was reissued with a new name after this credential was downloaded; "
            "the details below are our current record."
        )
    if check.facts and check.facts.get("renewed_by"):
        check.notes.append(f"This certificate has been renewed: the current one is {check.facts['renewed_by']}.")
    return check
