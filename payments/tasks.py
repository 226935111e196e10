"""Payment tasks: thin, take ids, safe to run twice and concurrently (see services)."""
from celery import shared_task

from kernel.retry import RETRY

from . import services


@shared_task
def stripe_event_process_task(event_pk: int) -> bool:
    """Act on a stored Stripe event once. Errors are recorded on the event and the
    reconciliation sweep re-queues it, so nothing is lost if this run fails."""
    return services.stripe_event_process(event_id=event_pk)


@shared_task(soft_time_limit=540, time_limit=600)
def stripe_events_prune_task() -> int:
    """Beat, nightly: keep only the id and type of events processed long ago (privacy)."""
    return services.stripe_events_prune()


@shared_task(**RETRY)
def order_receipt_email_task(order_id: int) -> None:
    services.order_send_receipt(order_id=order_id)


@shared_task(**RETRY)
def refund_email_task(refund_id: int) -> None:
    services.refund_notify(refund_id=refund_id)


@shared_task(**RETRY)
def staff_alert_task(order_id: int, subject: str) -> None:
    services.staff_alert(order_id=order_id, subject=subject)


@shared_task(soft_time_limit=240, time_limit=300)
def orders_reconcile_task() -> dict:
    """Beat, every few minutes: settle orders whose webhook never came, re-queue stranded work."""
    return services.orders_reconcile()


@shared_task(**RETRY)
def scholarship_email_task(application_id: int) -> None:
    """Email a scholarship decision (the code, or the kind note), once."""
    services.scholarship_send_decision(application_id=application_id)


@shared_task(**RETRY)
def scholarship_received_task(application_id: int) -> None:
    """Tell the learner their scholarship application arrived, once."""
    services.scholarship_send_received(application_id=application_id)


@shared_task(**RETRY)
def scholarship_staff_notice_task(application_id: int) -> None:
    """Tell staff that a scholarship application waits for a decision, once."""
    services.scholarship_notify_staff(application_id=application_id)
