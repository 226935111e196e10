"""Continuing education's Celery tasks: thin, taking ids (or nothing), safe to run twice and
at once (the services check state under row locks, backed by unique constraints)."""
from celery import shared_task

from .services import lapse_warnings


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def approval_lapse_warnings_task() -> int:
    """Beat, each morning: warn staff before an approval lapses (once per threshold)."""
    return lapse_warnings.approval_lapse_warnings_send()
