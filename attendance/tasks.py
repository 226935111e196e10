"""Attendance slips' Celery tasks: thin, taking no participant data, safe to run twice and
at once."""
from celery import shared_task

from .services import retention


@shared_task(soft_time_limit=240, time_limit=300)
def attendance_retention_task() -> dict[str, int]:
    """Beat, each night: delete expired slips and spent meeting codes."""
    return retention.attendance_retention_sweep()
