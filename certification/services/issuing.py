"""Issuing certificates: a first certificate once a programme's requirements are met, a
renewal once the renewal work is done in the renewal window, and reissuing them all with
a new printed name.

Issuing is backed by the one-certificate-per-period constraint, so two evaluations at
once issue one certificate. What each step leaves to do is recorded with it (``pending``):
the PDF and the "issued" email follow in tasks after commit, and a lost message is found
by the sweep.
"""
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User

from .. import codes, jobs
from ..models import Certificate, CertificateEvent, PendingWork, Programme
from ..selectors import programme_progress, renewal_progress
from . import pending
from .base import holder_name

Kind = CertificateEvent.Kind


def programmes_evaluate(*, user_id: int, now: datetime | None = None) -> list[Certificate]:
    """Issue every certificate (or renewal) the learner now qualifies for. Returns the
    certificates this call created; the pending request it answers is then done."""
    seen_at = pending.seen(user_id=user_id, kind=PendingWork.Kind.EVALUATE)
    issued = _evaluate(user_id=user_id, now=now or timezone.now())
    pending.done(user_id=user_id, kind=PendingWork.Kind.EVALUATE, seen_at=seen_at)
    return issued


def _evaluate(*, user_id: int, now: datetime) -> list[Certificate]:
    user = User.objects.filter(pk=user_id, is_active=True).first()
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
    *, user: User, programme: Programme, period: int, now: datetime, renews: Certificate | None = None
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


def certificates_reissue_for_name(*, user_id: int, now: datetime | None = None) -> int:
    """The holder changed the name to print: a new PDF for each certificate still in
    force, same code (verification identity), history kept. Returns how many; the pending
    request it answers is then done."""

    now = now or timezone.now()
    seen_at = pending.seen(user_id=user_id, kind=PendingWork.Kind.REISSUE)
    user = User.objects.get(pk=user_id)
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
