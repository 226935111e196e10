"""Staff revoke a certificate, or reinstate one revoked (for example in error).

Who, when and why are kept on the record and in its history; the verification page and
the published revocation list say so as soon as the change commits.
"""
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User

from .. import jobs
from ..models import Certificate, CertificateEvent
from ..selectors import status_lists_changed
from . import pending
from .base import CertificationError
from .status_entries import status_entries_retire

Kind = CertificateEvent.Kind


def certificate_revoke(
    *, certificate_id: int, by: User, reason: str, note: str = "", now: datetime | None = None
) -> Certificate:
    """Staff revoke a certificate: the verification page says so at once and the PDF is
    deleted (no longer served). Who, when, why are kept on the record and its history."""
    now = now or timezone.now()
    if reason not in Certificate.RevocationReason.values:
        raise CertificationError(gettext("Choose a reason for revoking."))
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        if certificate.revoked_at:
            raise CertificationError(gettext("This certificate is already revoked."))
        certificate.revoked_at = now
        certificate.revoked_by = by
        certificate.revocation_reason = reason
        certificate.revocation_note = note.strip()
        old = certificate.pdf.name if certificate.pdf else None
        certificate.pdf = ""
        pending.schedule(certificate)  # nothing more to render or announce
        certificate.save()
        CertificateEvent.objects.create(
            certificate=certificate, kind=Kind.REVOKED, at=now, actor=by, detail={"reason": reason, "note": note.strip()}
        )
        # Its place in the published revocation list now reads "revoked".
        status_lists_changed()
        if old:
            storage = certificate.pdf.storage
            transaction.on_commit(lambda: storage.delete(old))
        return certificate


def certificate_reinstate(*, certificate_id: int, by: User, note: str, now: datetime | None = None) -> Certificate:
    """Staff undo a revocation (for example one made in error): the verification page says
    valid again and the PDF is rendered anew. The revocation stays in the history. Its
    digital credentials stay revoked for other verifiers (a published revocation is
    final), so the certificate's next credential gets a new place in the status list."""

    now = now or timezone.now()
    note = note.strip()
    if not note:
        raise CertificationError(gettext("Say why the certificate is reinstated."))
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        if certificate.revoked_at is None:
            raise CertificationError(gettext("This certificate is not revoked."))
        certificate.revoked_at = None
        certificate.revoked_by = None
        certificate.revocation_reason = ""
        certificate.revocation_note = ""
        certificate.save()
        CertificateEvent.objects.create(certificate=certificate, kind=Kind.REINSTATED, at=now, actor=by, detail={"note": note})
        status_entries_retire(certificate=certificate, now=now)
        jobs.render_certificate.enqueue_on_commit(certificate.pk)
        return certificate
