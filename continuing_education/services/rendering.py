"""A CE certificate's PDF and the email that says it is issued.

Both are safe to run twice or at once: rendering checks under the row lock which
revision, site address and language the stored PDF shows (certification's
``pdf.is_current``: the same contract), and the email is marked sent in the same
transaction as the send, under the same lock. Each, once done, resets the sweep's
backoff (``sweep.sweep_settle``).
"""
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from certification.selectors import holder_locale
from kernel import emails

from ..models import CECertificate
from .sweep import sweep_settle


def ce_certificate_render(*, certificate_id: int) -> bool:
    """Render and store the PDF for the certificate's current revision, in the holder's
    language and time zone. True if this call rendered it; a revoked certificate, or one
    whose PDF is current, is left alone."""
    from certification.pdf import is_current, site_base_url

    from ..pdf import render_ce_certificate

    with transaction.atomic():
        certificate = CECertificate.objects.select_for_update().filter(pk=certificate_id).first()
        if certificate is None or certificate.revoked_at or is_current(certificate):
            return False
        locale = holder_locale(user_id=certificate.holder_id)
        content = render_ce_certificate(certificate, language=locale.language, time_zone=locale.time_zone)
        old = certificate.pdf.name if certificate.pdf else None
        # An unguessable file name: the PDF is only ever served through a checked view,
        # but the storage may be a public bucket.
        name = f"{certificate.code}-r{certificate.revision}-{secrets.token_urlsafe(12)}.pdf"
        certificate.pdf.save(name, ContentFile(content), save=False)
        certificate.pdf_revision = certificate.revision
        certificate.pdf_base_url = site_base_url()
        certificate.pdf_language = locale.language
        settled = sweep_settle(certificate, timezone.now())
        certificate.save(update_fields=["pdf", "pdf_revision", "pdf_base_url", "pdf_language", *settled])
        if old:
            storage = certificate.pdf.storage
            transaction.on_commit(lambda: storage.delete(old))
        return True


def ce_certificate_notify_issued(*, certificate_id: int) -> bool:
    """Email the holder that the CE certificate is issued, once. True if this call sent it."""
    with transaction.atomic():
        certificate = (
            CECertificate.objects.select_for_update(of=("self",)).select_related("holder")
            .filter(pk=certificate_id, revoked_at__isnull=True).first()
        )
        if certificate is None or certificate.issued_notified_at is not None:
            return False
        emails.send_templated(
            template="continuing_education/email/issued",
            context={"certificate": certificate, "user": certificate.holder},
            to=[certificate.holder.email], recipient=certificate.holder_id,
        )
        certificate.issued_notified_at = timezone.now()
        settled = sweep_settle(certificate, certificate.issued_notified_at)
        certificate.save(update_fields=["issued_notified_at", *settled])
        return True
