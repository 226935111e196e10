"""Writes for certification: issuing, rendering, notifying, reissuing, revoking,
reinstating, reminding, and the learner's own steps (code of conduct, attestations).

Every function is safe to run twice or concurrently: issuing is backed by the
one-certificate-per-period constraint, rendering checks which revision the stored PDF
shows, emails are marked sent in the same transaction as the send under a row lock.
What each step leaves to do is recorded with it (``pending``), so a lost message is
found by the sweep (``sweep.py``).
"""
import secrets
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts import emails

from . import codes, jobs, pending, status_list
from .models import (
    Attestation,
    AttestationAnswer,
    Certificate,
    CertificateEvent,
    CodeOfConduct,
    ConductAcceptance,
    ExpiryReminder,
    PendingWork,
    PracticalItem,
    PracticalSignoff,
    Programme,
)
from .requirements import programme_progress, renewal_progress

Kind = CertificateEvent.Kind


class CertificationError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def holder_name(user) -> str:
    return (user.certificate_name or user.get_full_name() or user.email).strip()


# --- issuing -----------------------------------------------------------------------------


def programmes_evaluate(*, user_id: int, now: datetime | None = None) -> list[Certificate]:
    """Issue every certificate (or renewal) the learner now qualifies for. Returns the
    certificates this call created; the pending request it answers is then done."""
    seen_at = pending.seen(user_id=user_id, kind=PendingWork.Kind.EVALUATE)
    issued = _evaluate(user_id=user_id, now=now or timezone.now())
    pending.done(user_id=user_id, kind=PendingWork.Kind.EVALUATE, seen_at=seen_at)
    return issued


def _evaluate(*, user_id: int, now: datetime) -> list[Certificate]:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return []
    issued = []
    for programme in Programme.objects.filter(active=True):
        latest = Certificate.objects.filter(holder=user, programme=programme).order_by("-period").first()
        if latest is None:
            if programme_progress(user=user, programme=programme, now=now).met:
                certificate, created = certificate_issue(user=user, programme=programme, period=1, now=now)
                if created:
                    issued.append(certificate)
        elif latest.revoked_at is None and latest.expires_at is not None:
            window_opens = latest.expires_at - timedelta(days=programme.renewal_window_days)
            if now >= window_opens:
                progress = renewal_progress(user=user, programme=programme, certificate=latest, now=now)
                if progress is not None and progress.met:
                    certificate, created = certificate_issue(
                        user=user, programme=programme, period=latest.period + 1, now=now, renews=latest
                    )
                    if created:
                        issued.append(certificate)
    return issued


def certificate_issue(
    *, user, programme: Programme, period: int, now: datetime, renews: Certificate | None = None
) -> tuple[Certificate, bool]:
    """Create the certificate for one holder, programme and period (or find the one a
    concurrent task created). Rendering and the email follow in tasks after commit."""

    expires_at = None
    if programme.validity_months:
        # A renewal made early runs on from the old expiry: renewing early costs nothing.
        start = max(now, renews.expires_at) if renews and renews.expires_at else now
        expires_at = start + relativedelta(months=programme.validity_months)
    for _ in range(3):  # a code collision (2^-100) is retried, a period collision is not
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    code=codes.new_code(), holder=user, programme=programme, period=period,
                    holder_name=holder_name(user), issued_at=now, expires_at=expires_at,
                    sweep_after=timezone.now() + pending.STUCK_AFTER,
                )
                CertificateEvent.objects.create(
                    certificate=certificate, kind=Kind.RENEWED if renews else Kind.ISSUED, at=now,
                    detail={"holder_name": certificate.holder_name, "renews": renews.code if renews else None},
                )
                if renews is not None:
                    Certificate.objects.filter(pk=renews.pk).update(renewed_by=certificate)
                jobs.render_certificate.enqueue_on_commit(certificate.pk)
                return certificate, True
        except IntegrityError:
            existing = Certificate.objects.filter(holder=user, programme=programme, period=period).first()
            if existing is not None:
                return existing, False
    raise RuntimeError("Could not allocate a certificate code")


def certificate_render(*, certificate_id: int) -> bool:
    """Render and store the PDF for the certificate's current revision and the site's
    current address. True if this call rendered it; a revoked certificate, or one whose
    PDF is current (``pdf.is_current``), is left alone."""
    from .pdf import is_current, render_certificate, site_base_url

    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",)).select_related("programme").filter(pk=certificate_id).first()
        )
        if certificate is None or certificate.revoked_at or is_current(certificate):
            return False
        content = render_certificate(certificate)
        old = certificate.pdf.name if certificate.pdf else None
        # An unguessable file name: the PDF is only ever served through a checked view,
        # but the storage may be a public bucket.
        certificate.pdf.save(f"{certificate.code}-r{certificate.revision}-{secrets.token_urlsafe(12)}.pdf", ContentFile(content), save=False)
        certificate.pdf_revision = certificate.revision
        certificate.pdf_base_url = site_base_url()
        certificate.save(update_fields=["pdf", "pdf_revision", "pdf_base_url", *pending.schedule(certificate)])
        if old:
            storage = certificate.pdf.storage
            transaction.on_commit(lambda: storage.delete(old))
        if certificate.issued_notified_at is None:
            jobs.certificate_issued_email.enqueue_on_commit(certificate.pk)
        return True


def certificate_notify_issued(*, certificate_id: int) -> bool:
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


# --- changes after issue -------------------------------------------------------------------


def certificates_reissue_for_name(*, user_id: int, now: datetime | None = None) -> int:
    """The holder changed the name to print: a new PDF for each certificate still in
    force, same code (verification identity), history kept. Returns how many; the pending
    request it answers is then done."""

    now = now or timezone.now()
    seen_at = pending.seen(user_id=user_id, kind=PendingWork.Kind.REISSUE)
    user = get_user_model().objects.get(pk=user_id)
    name = holder_name(user)
    count = 0
    with transaction.atomic():
        for certificate in Certificate.objects.select_for_update().filter(holder=user, revoked_at__isnull=True):
            if certificate.holder_name == name or certificate.status(now) == "expired":
                continue
            CertificateEvent.objects.create(
                certificate=certificate, kind=Kind.REISSUED, at=now, actor=user,
                detail={"from": certificate.holder_name, "to": name},
            )
            certificate.holder_name = name
            certificate.revision += 1
            certificate.save(update_fields=["holder_name", "revision", *pending.schedule(certificate)])
            jobs.render_certificate.enqueue_on_commit(certificate.pk)
            count += 1
    pending.done(user_id=user_id, kind=PendingWork.Kind.REISSUE, seen_at=seen_at)
    return count


def certificate_revoke(*, certificate_id: int, by, reason: str, note: str = "", now: datetime | None = None) -> Certificate:
    """Staff revoke a certificate: the verification page says so at once and the PDF is
    deleted (no longer served). Who, when, why are kept on the record and its history."""
    now = now or timezone.now()
    if reason not in Certificate.RevocationReason.values:
        raise CertificationError("Choose a reason for revoking.")
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        if certificate.revoked_at:
            raise CertificationError("This certificate is already revoked.")
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
        status_list.status_lists_changed()
        if old:
            storage = certificate.pdf.storage
            transaction.on_commit(lambda: storage.delete(old))
        return certificate


def certificate_reinstate(*, certificate_id: int, by, note: str, now: datetime | None = None) -> Certificate:
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
        status_list.status_entries_retire(certificate=certificate, now=now)
        jobs.render_certificate.enqueue_on_commit(certificate.pk)
        return certificate


def expiry_reminders_send(*, now: datetime | None = None) -> int:
    """Periodic: remind holders before their certificate expires, once per threshold.

    Only the nearest threshold already reached is sent (a certificate issued 20 days before
    expiry gets the 30-day reminder, not the 60-day one too); the reminder row is written in
    the same transaction as the send, under the certificate's lock, so two runs at once
    send one email and a failed send is tried again next run.
    """
    now = now or timezone.now()
    sent = 0
    candidates = Certificate.objects.filter(
        revoked_at__isnull=True, renewed_by__isnull=True, expires_at__gt=now
    ).select_related("programme")
    for certificate in candidates:
        thresholds = certificate.programme.reminder_thresholds
        reached = [d for d in thresholds if now >= certificate.expires_at - timedelta(days=d)]
        if not reached:
            continue
        days = min(reached)
        with transaction.atomic():
            locked = Certificate.objects.select_for_update().select_related("holder", "programme").get(pk=certificate.pk)
            # Sent already for this threshold or a nearer one: nothing to say.
            if ExpiryReminder.objects.filter(certificate=locked, days_before__lte=days).exists():
                continue
            emails.send_templated(
                template="certification/email/expiry_reminder",
                context={"certificate": locked, "user": locked.holder, "days": (locked.expires_at - now).days},
                to=[locked.holder.email],
            )
            ExpiryReminder.objects.create(certificate=locked, days_before=days, sent_at=now)
            CertificateEvent.objects.create(certificate=locked, kind=Kind.REMINDED, at=now, detail={"days_before": days})
            sent += 1
    return sent


# --- the learner's and staff's steps -------------------------------------------------------


def _evaluate_later(user_id: int) -> None:
    pending.request(user_id=user_id, kind=PendingWork.Kind.EVALUATE)


def conduct_accept(*, user, code: CodeOfConduct) -> bool:
    with transaction.atomic():
        _, created = ConductAcceptance.objects.get_or_create(user=user, code=code)
        if created:
            _evaluate_later(user.pk)
        return created


def attestation_answer(*, user, attestation: Attestation, answer: bool) -> None:
    with transaction.atomic():
        AttestationAnswer.objects.update_or_create(
            user=user, attestation=attestation, defaults={"answer": answer, "answered_at": timezone.now()}
        )
        _evaluate_later(user.pk)


def practical_signoff(*, user, item: PracticalItem, count: int, done_on, signed_by) -> PracticalSignoff:
    if count < 1:
        raise CertificationError("The count must be at least 1.")
    if done_on > timezone.localdate():
        raise CertificationError("The date cannot be in the future.")
    with transaction.atomic():
        signoff = PracticalSignoff.objects.create(user=user, item=item, count=count, done_on=done_on, signed_by=signed_by)
        _evaluate_later(user.pk)
        return signoff
