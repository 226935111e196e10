"""Warning staff before an approval lapses (periodic, from Celery beat).

An expired approval issues nothing, so staff who manage CE are told ahead, at each of the
approval's thresholds (``Approval.warn_days``, e.g. 90, 30 and 7 days before its last day),
once per threshold: by email, each in their own language and time zone.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import holders_of
from kernel import emails

from .. import permissions
from ..models import Approval, ApprovalReminder
from ..selectors.approvals import approvals_in_force


def approval_lapse_warnings_send(*, now: datetime | None = None) -> int:
    """Send the warnings due; returns how many approvals were warned about.

    Only the nearest threshold already reached is sent (an approval created 20 days before
    its end gets the 30-day warning, not the 90-day one too). The reminder row is written
    in the same transaction as the emails, under the approval's lock, and its unique
    constraint backs that lock: two runs at once send one warning, and a failed send is
    tried again by the next run.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    warned = 0
    for approval in approvals_in_force(today).filter(approved_from__lte=today):
        days_left = (approval.approved_until - today).days
        reached = [d for d in approval.warn_thresholds if days_left <= d]
        if reached and _warn(approval_id=approval.pk, days=min(reached), days_left=days_left, today=today, now=now):
            warned += 1
    return warned


def lapses_at(approval: Approval) -> datetime:
    """The moment the approval stops covering completions: the end of its last day in the
    site's time zone (each recipient reads it in their own)."""
    return timezone.make_aware(
        datetime.combine(approval.approved_until + timedelta(days=1), time.min), timezone.get_default_timezone()
    )


def _warn(*, approval_id: int, days: int, days_left: int, today: date, now: datetime) -> bool:
    with transaction.atomic():
        approval = Approval.objects.select_for_update().select_related("body").get(pk=approval_id)
        # Sent already for this threshold or a nearer one: nothing new to say.
        if ApprovalReminder.objects.filter(approval=approval, days_before__lte=days).exists():
            return False
        recipients = list(holders_of(permissions.MANAGE))
        if not recipients:  # nobody to tell yet: tried again next run, once someone is
            return False
        context = {
            "approval": approval, "body_name": approval.body.name, "provider_number": approval.provider_number,
            "approved_until": approval.approved_until, "days_left": days_left, "lapses_at": lapses_at(approval),
            "approval_url": reverse("wagtailsnippets_continuing_education_approval:edit", args=[approval.pk]),
        }
        for person in recipients:
            emails.send_templated(
                template="continuing_education/email/approval_lapsing", context={**context, "person": person},
                to=[person.email], recipient=person.pk,
            )
        ApprovalReminder.objects.create(approval=approval, days_before=days, sent_at=now)
        return True
