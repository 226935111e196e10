"""CE certificates as Open Badges 3.0 credentials, built with certification's pieces (the
contexts, the issuer, the hashed email identity, the verification address as the
credential's id) and signed by the same key (``services.ce_credential_issue``).

The hours are in Open Badges 3.0's own fields: ``creditsAvailable`` on the achievement
(the course's CE hours under the approval, as issued) and ``creditsEarned`` on the
subject (the certificate's hours: the same, or fewer for staff-granted partial credit);
the completion moment is the subject's ``activityEndDate``. The approval (body, provider
number, statement) is in the achievement's words; the licence number is not in the
credential (it is printed on the PDF, which the holder hands to their board).

Revocation is a ``BitstringStatusListEntry`` in the same lists as facilitator
certificates (certification's ``status_list``; the place is held by kind and id, see
``CECertificate.STATUS_KIND``), so any verifier can check it; the verification page, the
credential's ``id``, says the same in words.
"""
import secrets
import uuid

from django.conf import settings
from django.utils.translation import get_language, gettext

from certification import credentials, issuer, signing

from .models import CECertificate


def achievement_id(certificate: CECertificate) -> str:
    # One achievement per course and approval on this site: a stable URN.
    return "urn:uuid:" + str(uuid.uuid5(
        uuid.NAMESPACE_URL, f"{issuer.base_url()}/continuing-education/{certificate.course_id}/{certificate.approval_id}"
    ))


def _number(hours: object) -> float | int:
    value = float(hours)
    return int(value) if value.is_integer() else value


def build_ce_credential(
    certificate: CECertificate, *, available_hours: object, status: dict, salt: str | None = None
) -> dict:
    """The unsigned OpenBadgeCredential for a CE certificate, in the active language, with
    its ``credentialStatus``; ``available_hours`` are the course's hours as they were at issue."""
    hours = _number(certificate.hours)
    available = _number(available_hours)
    words = {"course": certificate.course_title, "body": certificate.body_name, "number": certificate.provider_number}
    return {
        "@context": list(credentials.CONTEXTS),
        "id": credentials.verification_url(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": gettext("CE certificate: %(course)s") % words,
        "issuer": {
            "id": issuer.issuer_did(), "type": ["Profile"], "name": settings.WAGTAIL_SITE_NAME, "url": issuer.base_url() + "/",
        },
        "validFrom": signing.format_datetime(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": certificate.holder_name},
                credentials.email_identity(certificate.holder.email, salt or secrets.token_hex(16)),
            ],
            "creditsEarned": hours,
            "activityEndDate": signing.format_datetime(certificate.completed_at),
            "achievement": {
                "id": achievement_id(certificate),
                "type": ["Achievement"],
                "achievementType": "CertificateOfCompletion",
                "name": certificate.course_title,
                "description": gettext(
                    "Continuing education hours for the course %(course)s, approved by %(body)s "
                    "(provider number %(number)s)."
                ) % words,
                "criteria": {"narrative": gettext(
                    "Complete the course with the required time on task, pass its required quizzes, submit the "
                    "course evaluation where the approval asks for it, and record a professional licence."
                )},
                "creditsAvailable": available,
                "inLanguage": (get_language() or settings.LANGUAGE_CODE).split("-")[0],
            },
        },
        "credentialStatus": status,
    }


def credential_filename(certificate: CECertificate) -> str:
    return f"ce-credential-{certificate.display_code}.json"
