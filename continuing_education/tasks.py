"""Continuing education's Celery tasks: thin, taking ids (or nothing), safe to run twice and
at once (the services check state under row locks, backed by unique constraints)."""
from celery import shared_task

from kernel.retry import RETRY

from . import services
from .services import lapse_warnings


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def approval_lapse_warnings_task() -> int:
    """Beat, each morning: warn staff before an approval lapses (once per threshold)."""
    return lapse_warnings.approval_lapse_warnings_send()


@shared_task(**RETRY)
def ce_evaluate_task(user_id: int, course_id: int) -> list[int]:
    """A learner's progress in a course with CE approvals changed (or the daily cap's
    moment came): issue what they now qualify for, tell them once what is left. Retried
    on mail errors only; issuing again finds the certificates already there."""
    return [c.pk for c in services.ce_evaluate(user_id=user_id, course_id=course_id)]


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def ce_certificate_render_task(certificate_id: int) -> bool:
    return services.ce_certificate_render(certificate_id=certificate_id)


@shared_task(**RETRY)
def ce_certificate_issued_email_task(certificate_id: int) -> bool:
    return services.ce_certificate_notify_issued(certificate_id=certificate_id)


@shared_task(soft_time_limit=240, time_limit=300)
def ce_sweep_task() -> dict[str, int]:
    """Beat: issue what the daily cap held back once its moment comes, and enqueue again
    CE work a lost message left undone."""
    return services.ce_sweep()
