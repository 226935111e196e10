"""Reminding holders before their certificate expires (periodic, from Celery beat)."""
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import pgettext

from kernel import emails

from ..models import Certificate, CertificateEvent, ExpiryReminder


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
                context={
                    "certificate": locked, "user": locked.holder, "days": (locked.expires_at - now).days,
                    "renewal_courses": _titles([course.title for course in locked.programme.renewal_courses.all()]),
                },
                to=[locked.holder.email],
            )
            ExpiryReminder.objects.create(certificate=locked, days_before=days, sent_at=now)
            CertificateEvent.objects.create(
                certificate=locked, kind=CertificateEvent.Kind.REMINDED, at=now, detail={"days_before": days}
            )
            sent += 1
    return sent


def _titles(titles: list[str]) -> str:
    """Course titles in quotes, joined as the current language joins a list ("“A” and “B”")."""
    text = ""
    for title in titles:
        quoted = pgettext("a course title in quotes", "“%(title)s”") % {"title": title}
        text = pgettext("joining course titles", "%(courses)s and %(course)s") % {"courses": text, "course": quoted} if text else quoted
    return text
