"""A certificate's PDF and the email that says it is ready.

Both are safe to run twice or at once: rendering checks under the row lock which
revision and site address the stored PDF shows (``pdf.is_current``), and the email is
marked sent in the same transaction as the send, under the same lock.
"""
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from kernel import emails

from .. import jobs
from ..models import Certificate
from ..selectors import holder_locale
from . import pending


def certificate_render(*, certificate_id: int) -> bool:
    """Render and store the PDF for the certificate's current revision and the site's
    current address, in the holder's language and time zone. True if this call rendered
    it; a revoked certificate, or one whose PDF is current (``pdf.is_current``), is left
    alone."""
    from ..pdf import is_current, render_certificate, site_base_url

    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",)).select_related("programme").filter(pk=certificate_id).first()
        )
        if certificate is None or certificate.revoked_at or is_current(certificate):
            return False
        locale = holder_locale(user_id=certificate.holder_id)
        content = render_certificate(certificate, language=locale.language, time_zone=locale.time_zone)
        old = certificate.pdf.name if certificate.pdf else None
        # An unguessable file name: the PDF is only ever served through a checked view,
        # but the storage may be a public bucket.
        certificate.pdf.save(f"{certificate.code}-r{certificate.revision}-{secrets.token_urlsafe(12)}.pdf", ContentFile(content), save=False)
        certificate.pdf_revision = certificate.revision
        certificate.pdf_base_url = site_base_url()
        certificate.pdf_language = locale.language
        certificate.save(
            update_fields=["pdf", "pdf_revision", "pdf_base_url", "pdf_language", *pending.schedule(certificate)]
        )
        if old:
            storage = certificate.pdf.storage
            transaction.on_commit(lambda: storage.delete(old))
        if certificate.issued_notified_at is None:
            jobs.certificate_issued_email.enqueue_on_commit(certificate.pk)
        return True


def certificate_notify_issued(*, certificate_id: int) -> bool:
    """Email the holder that the certificate is ready, once. True if this call sent it."""
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("holder", "programme")
            .filter(pk=certificate_id, revoked_at__isnull=True)
            .first()
        )
        if certificate is None or certificate.issued_notified_at is not None:
            return False
        emails.send_templated(
            template="certification/email/issued",
            context={"certificate": certificate, "user": certificate.holder},
            to=[certificate.holder.email],
        )
        certificate.issued_notified_at = timezone.now()
        certificate.save(update_fields=["issued_notified_at", *pending.schedule(certificate)])
        return True
