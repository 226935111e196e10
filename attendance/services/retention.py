"""Keeping nothing for ever: expired slips and spent meeting codes are deleted.

A slip's row goes the day after ``expires_on`` (its check then answers "no slip
matches"); a meeting code once its request window (``valid_until``) has passed. The
monthly counts (SlipCount) stay: they name no one. Plain DELETEs by date in short
batches: running twice, or two workers at once, deletes each row once and the second
finds nothing left, so the task needs no lock.
"""
from datetime import date, datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ..models import MeetingCode, Slip

BATCH = 2000


def _delete_in_batches(queryset: QuerySet) -> int:
    deleted = 0
    while True:
        ids = list(queryset.values_list("pk", flat=True)[:BATCH])
        if not ids:
            return deleted
        with transaction.atomic():
            count, _ = queryset.model.objects.filter(pk__in=ids).delete()
        deleted += count
        if len(ids) < BATCH:
            return deleted


def expired_slips_delete(*, today: date) -> int:
    """Delete the slips whose last checkable day is before ``today``; how many went."""
    return _delete_in_batches(Slip.objects.filter(expires_on__lt=today).order_by())


def spent_meeting_codes_delete(*, now: datetime) -> int:
    """Delete the meeting codes whose request window has closed; how many went."""
    return _delete_in_batches(MeetingCode.objects.filter(valid_until__lt=now).order_by())


def attendance_retention_sweep(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {
        "slips": expired_slips_delete(today=timezone.localdate(now)),
        "meeting_codes": spent_meeting_codes_delete(now=now),
    }
