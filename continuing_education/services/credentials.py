"""A CE certificate holder's signed digital credential (Open Badges 3.0, built by
``credentials.py``, signed by certification's issuer key), in the holder's language.
Building one is a write: the certificate's place in certification's revocation lists is
allocated on its first credential."""
from datetime import datetime
from decimal import Decimal

from django.utils import timezone, translation

from certification import issuer
from certification.selectors import holder_locale
from certification.services import status_entry_ensure_for
from certification.status_list import credential_status

from ..credentials import build_ce_credential
from ..models import CECertificate, CECertificateEvent


def ce_credential_issue(*, certificate: CECertificate, now: datetime | None = None, salt: str | None = None) -> dict:
    """The signed credential, with the certificate's place in the revocation lists (its
    ``credentialStatus``, allocated on its first credential; safe to repeat). Revoked CE
    certificates get none."""
    if certificate.revoked_at:
        raise ValueError("A revoked CE certificate has no credential.")
    entry = status_entry_ensure_for(kind=CECertificate.STATUS_KIND, object_id=certificate.pk)
    # The course's hours as they were at issue (staff may grant fewer, or edit the
    # course's hours since: neither changes what was available then).
    # Issued: the hours it was issued with; granted as partial credit by staff: the
    # course's approved hours then ("approved_hours").
    Kind = CECertificateEvent.Kind
    detail = (
        CECertificateEvent.objects.filter(certificate=certificate, kind__in=[Kind.ISSUED, Kind.PARTIAL])
        .order_by("at", "pk").values_list("detail", flat=True).first()
    ) or {}
    available = Decimal(detail.get("approved_hours") or detail.get("hours") or certificate.hours)
    with translation.override(holder_locale(user_id=certificate.holder_id).language):
        document = build_ce_credential(
            certificate, available_hours=available, status=credential_status(entry), salt=salt
        )
    return issuer.sign(document, created=now or timezone.now())
