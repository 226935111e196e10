"""Certificates as Open Badges 3.0 credentials (W3C Verifiable Credentials 2.0), signed
by the platform (see ``issuer``) when the holder downloads one (``services.credential_issue``);
``credential_check`` checks one someone uploads.

Every term is defined by the two contexts named (a JSON-LD processor in safe mode
expands all of it), and the credential validates against 1EdTech's published
AchievementCredential JSON schema. Revocation is a ``BitstringStatusListEntry`` that any
verifier can check against the list the site serves (see ``status_list``). The
achievement's image is the programme's badge, served at a stable address.

What a credential says about the person: the name they chose to print, and a salted
SHA-256 hash of their email address (an OB 3.0 IdentityObject, so they can prove the
credential is theirs by showing the address). Nothing else: no account id, no
attestation answers (the programme's yes/no statements can be about health or
recovery, so the criteria leave them out).

Its words are in the holder's language (``services.credential_issue`` switches to it),
the programme's own too where staff gave it in that language (``Programme.words``; else
its source language's), and the achievement says which (``inLanguage``, BCP 47). One
language per credential: 1EdTech's schema has ``name`` and ``description`` as plain
strings, so language maps or ``@value``/``@language`` objects would not validate.
"""
import hashlib
import secrets
import uuid

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, gettext, ngettext

from . import issuer, signing
from .models import Certificate, Programme

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def verification_url(certificate: Certificate) -> str:
    """The certificate's public page, without a language prefix whatever language is
    active: signed into the credential as its id, it must not depend on who issued it in
    which language (a visitor is shown the page in their own)."""
    with translation.override(settings.LANGUAGE_CODE):
        return issuer.base_url() + reverse("certification:verify", args=[certificate.code])


def achievement_id(programme: Programme) -> str:
    # There is no public programme page; a stable URN per site and programme.
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{issuer.base_url()}/programmes/{programme.pk}"))


def badge_url(programme: Programme) -> str:
    """The programme's badge image: by primary key, so it stays put when the title or
    slug changes (the address is signed into every credential)."""
    return issuer.base_url() + reverse("credentials:badge", args=[programme.pk])


def criteria_narrative(programme: Programme) -> str:
    parts = []
    courses = [c.title for c in programme.courses.order_by("path")]
    if courses:
        parts.append(
            ngettext("Complete the course %(courses)s.", "Complete the courses %(courses)s.", len(courses))
            % {"courses": ", ".join(courses)}
        )
    practical = [str(item) for item in programme.practical_items.all()]
    if practical:
        parts.append(
            gettext("Practical requirements, signed off by the training team: %(requirements)s.")
            % {"requirements": "; ".join(practical)}
        )
    if programme.requires_code_of_conduct:
        parts.append(gettext("Accept the facilitators' code of conduct."))
    if programme.validity_months:
        parts.append(
            ngettext(
                "The certificate is valid for %(months)s month and is renewed by further training.",
                "The certificate is valid for %(months)s months and is renewed by further training.",
                programme.validity_months,
            ) % {"months": programme.validity_months}
        )
    return " ".join(parts) or gettext("Meet every requirement of the %(programme)s programme.") % {
        "programme": programme.words().title
    }


def achievement_description(programme: Programme) -> str:
    """The programme's own description, else its certificate's wording ("The holder has
    met every requirement of ..."), in the current language (``Programme.words``)."""
    words = programme.words()
    if words.description:
        return words.description
    return gettext("The holder %(wording)s") % {"wording": words.wording}


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


def build_credential(certificate: Certificate, *, status: dict, salt: str | None = None) -> dict:
    """The unsigned OpenBadgeCredential for a certificate, with its ``credentialStatus``."""
    programme = certificate.programme
    title = programme.words().title
    credential = {
        "@context": list(CONTEXTS),
        "id": verification_url(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": gettext("%(programme)s certificate") % {"programme": title},
        "issuer": {
            "id": issuer.issuer_did(), "type": ["Profile"], "name": settings.WAGTAIL_SITE_NAME, "url": issuer.base_url() + "/"
        },
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
            "name": title,
            "description": achievement_description(programme),
            "criteria": {"narrative": criteria_narrative(programme)},
            "image": {
                "id": badge_url(programme),
                "type": "Image",
                "caption": gettext("Badge of the %(programme)s programme") % {"programme": title},
            },
            "inLanguage": (get_language() or settings.LANGUAGE_CODE).split("-")[0],
        },
    }
    credential["credentialStatus"] = status
    return credential


def credential_filename(certificate: Certificate) -> str:
    return f"{certificate.programme.slug}-credential-{certificate.display_code}.json"
