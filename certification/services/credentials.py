"""A holder's signed digital credential (Open Badges 3.0; built by ``credentials.py``,
signed by ``issuer.py``), in the holder's language. Building one is a write: the
certificate's place in the revocation list is allocated on its first credential."""
from datetime import datetime

from django.utils import timezone, translation

from .. import issuer
from ..credentials import build_credential
from ..models import Certificate
from ..selectors import holder_locale
from ..status_list import credential_status
from .status_entries import status_entry_ensure


def credential_issue(*, certificate: Certificate, now: datetime | None = None, salt: str | None = None) -> dict:
    """The signed credential, worded in the holder's language (``selectors.holder_locale``,
    as their PDF). Revoked certificates get none. The certificate's place in the revocation
    list is allocated on its first credential (safe to repeat)."""
    if certificate.revoked_at:
        raise ValueError("A revoked certificate has no credential.")
    entry = status_entry_ensure(certificate=certificate)
    with translation.override(holder_locale(user_id=certificate.holder_id).language):
        document = build_credential(certificate, status=credential_status(entry), salt=salt)
    return issuer.sign(document, created=now or timezone.now())
