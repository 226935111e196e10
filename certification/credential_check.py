"""Checking a credential someone uploads: our signature, unchanged, then what our
records say of the certificate now (revoked, expired), in plain words.

Only our own key counts (``issuer.verify``): nothing is fetched, neither a context nor
a DID. The upload is limited in size and parsed strictly (no duplicate fields, no NaN).
"""
import json
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from kernel import i18n
from kernel.when import day_text

from . import codes, issuer, selectors
from .models import Certificate, StatusListEntry

# The largest credential the check accepts (ours are about 3 KB).
MAX_CREDENTIAL_BYTES = 64 * 1024

# Why a credential is not valid, in plain words for whoever checks it (lazy: each
# request words them in its own language; ``reason`` gives one as text).
REASONS = {
    "too_big": gettext_lazy("This file is too big to be one of our credentials (the limit is %(limit)s KB)."),
    "empty": gettext_lazy("Paste the credential's text or choose its file."),
    "not_json": gettext_lazy("This is not a digital credential: the text is not valid JSON."),
    "duplicate": gettext_lazy("This credential is not well-formed: a field appears twice in the same object."),
    "not_credential": gettext_lazy("This is not a digital credential: it is JSON, but not a verifiable credential."),
    "no_proof": gettext_lazy(
        "The credential has no signature (its “proof” is missing), so nothing in it can be trusted."
    ),
    "not_ours": gettext_lazy(
        "This credential was not signed by us: it is not signed with our key published at /.well-known/did.json."
    ),
    "unsupported": gettext_lazy(
        "This credential was not signed by us: its signature is not of the kind we make (eddsa-jcs-2022)."
    ),
    "purpose": gettext_lazy(
        "The credential's signature was not made for issuing credentials (its proof purpose is wrong)."
    ),
    "tampered": gettext_lazy(
        "The credential was changed after it was signed: its signature does not match its content."
    ),
    "unknown_certificate": gettext_lazy("The signature is ours, but we have no record of this certificate."),
    "revoked": gettext_lazy("The certificate has been revoked on %(on)s. It is not valid."),
    "expired": gettext_lazy("The certificate expired on %(on)s. It was genuine but is no longer in force."),
}


def reason(code: str, **values: object) -> str:
    """One reason as text in the current language (``too_big`` states the limit itself)."""
    if code == "too_big":
        values = {"limit": MAX_CREDENTIAL_BYTES // 1024, **values}
    text = str(REASONS[code])
    return text % values if values else text
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
    view: dict | None = None  # another kind's verification data (its "template" words its facts)

    @property
    def issued_at(self) -> datetime | None:
        if self.certificate is not None:
            return self.certificate.issued_at
        return self.view["issued"] if self.view else None

    @property
    def valid(self) -> bool:
        return self.outcome == "valid"

    @classmethod
    def invalid(cls, code: str) -> "CredentialCheck":
        return cls("invalid", reasons=[reason(code)], reason_codes=[code])


class CredentialRejected(Exception):
    """The upload is not a credential we can check; ``code`` keys REASONS."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class _Duplicate(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise _Duplicate(key)
        obj[key] = value
    return obj


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def parse_credential(raw: str | bytes) -> object:
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


def _issuer_id(credential: dict) -> object:
    value = credential.get("issuer")
    return value.get("id") if isinstance(value, dict) else value


def _code_in(credential: dict) -> str | None:
    """The stored code of the certificate a (verified) credential is about, from its id
    (our verification URL)."""
    identifier = credential.get("id")
    if not isinstance(identifier, str):
        return None
    # Read without its language prefix, whichever language is active: ids are issued
    # unprefixed, and one issued under a prefix still names the same certificate.
    try:
        with translation.override(settings.LANGUAGE_CODE):
            match = resolve(i18n.path_in_default_language(urlsplit(identifier).path))
    except Resolver404:
        return None
    if match.view_name != "certification:verify":
        return None
    return codes.normalise(match.kwargs.get("code", ""))


def _other_kind_check(code: str | None, credential: dict) -> "CredentialCheck | None":
    """A credential of another kind checked on the same page (continuing education's CE
    certificates, through the verification registry): its status and public facts."""
    view = selectors.verification_view(code) if code else None
    if view is None:
        return None
    facts = view["facts"]
    check = CredentialCheck(facts["status"], signature_valid=True, facts=facts, view=view)
    if check.outcome == "revoked":
        check.reasons.append(reason("revoked", on=day_text(view["revoked"])))
        check.reason_codes.append("revoked")
    # The signature is ours and covers the place: we wrote it in for this very
    # certificate, and a place is never handed to another, so it needs no matching here.
    elif (place := _place_in(credential)) is not None and StatusListEntry.objects.filter(
        status_list=place[0], index=place[1], retired_at__isnull=False
    ).exclude(kind=StatusListEntry.CERTIFICATE).exists():
        check.notes.append(_reinstated_note())
    return check


def _place_in(credential: dict) -> tuple[int, int] | None:
    """(list number, index) of the credential's place in one of our revocation lists."""
    status = credential.get("credentialStatus")
    if not isinstance(status, dict) or status.get("type") != "BitstringStatusListEntry":
        return None
    try:
        match = resolve(urlsplit(str(status.get("statusListCredential", ""))).path)
        index = int(str(status.get("statusListIndex", "")))
    except (Resolver404, ValueError):
        return None
    if match.view_name != "credentials:status_list":
        return None
    return match.kwargs["number"], index


def _retired_place(credential: dict, certificate: Certificate) -> StatusListEntry | None:
    """The credential's place in a revocation list when that place has been retired (the
    certificate was revoked, then reinstated): other verifiers see this copy as revoked."""
    place = _place_in(credential)
    if place is None:
        return None
    return StatusListEntry.objects.filter(
        certificate=certificate, status_list=place[0], index=place[1], retired_at__isnull=False
    ).first()


def _reinstated_note() -> str:
    return gettext(
        "This copy of the credential was downloaded before the certificate was revoked; the certificate "
        "has since been reinstated. Other verifiers will go on reporting this copy as revoked: the holder "
        "can download a new copy from their certificates page."
    )


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
    if _issuer_id(credential) != issuer.issuer_did():
        return CredentialCheck.invalid("not_ours")

    result = issuer.verify(credential)
    if not result.verified:
        return CredentialCheck.invalid(_PROOF_CODES.get(result.code, "tampered"))

    credential = result.document  # what the signature covers, from here on
    code = _code_in(credential)
    certificate = selectors.certificate_by_code(code) if code else None
    if certificate is None and (other := _other_kind_check(code, credential)) is not None:
        return other
    if certificate is None:
        check = CredentialCheck.invalid("unknown_certificate")
        check.signature_valid = True
        return check
    check = CredentialCheck(
        certificate.status(now), signature_valid=True, certificate=certificate,
        facts=selectors.public_facts(certificate, now=now),
    )
    if check.outcome == "revoked":
        check.reasons.append(reason("revoked", on=day_text(certificate.revoked_at)))
        check.reason_codes.append("revoked")
    elif check.outcome == "expired":
        check.reasons.append(reason("expired", on=day_text(certificate.expires_at)))
        check.reason_codes.append("expired")
    name = _name_in(credential)
    if name is not None and name != certificate.holder_name:
        check.notes.append(gettext(
            "The certificate was reissued with a new name after this credential was downloaded; "
            "the details below are our current record."
        ))
    if check.outcome != "revoked" and _retired_place(credential, certificate) is not None:
        check.notes.append(_reinstated_note())
    if check.facts and check.facts.get("renewed_by"):
        check.notes.append(
            gettext("This certificate has been renewed: the current one is %(code)s.") % {"code": check.facts["renewed_by"]}
        )
    return check
