"""Celery tasks for certification: thin, ids in, safe to repeat."""
from celery import shared_task

from kernel.retry import RETRY

from . import services


@shared_task(acks_late=True)
def programmes_evaluate_task(user_id: int) -> list[int]:
    """A learner's progress changed: issue whatever they now qualify for."""
    return [c.pk for c in services.programmes_evaluate(user_id=user_id)]


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def certificate_render_task(certificate_id: int) -> bool:
    return services.certificate_render(certificate_id=certificate_id)


@shared_task(**RETRY)
def certificate_issued_email_task(certificate_id: int) -> None:
    services.certificate_notify_issued(certificate_id=certificate_id)


@shared_task(acks_late=True)
def certificates_reissue_task(user_id: int) -> int:
    return services.certificates_reissue_for_name(user_id=user_id)


@shared_task
def expiry_reminders_task() -> int:
    return services.expiry_reminders_send()


@shared_task(soft_time_limit=240, time_limit=300)
def certification_sweep_task() -> dict[str, int]:
    """Beat, every two minutes: enqueue again certification work a lost message left undone."""
    return services.certification_sweep()
