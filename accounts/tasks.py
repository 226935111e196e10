"""Celery tasks for accounts: thin, ids in, safe to repeat."""
from celery import shared_task

from kernel import emails
from kernel.retry import RETRY

from . import services


@shared_task(**RETRY)
def send_email_task(subject: str, body: str, to: list[str], html: str | None = None) -> None:
    """Send one already-rendered email (allauth's confirmation and reset mails)."""
    emails.send_message(subject=subject, body=body, to=to, html=html)


@shared_task(**RETRY)
def send_welcome_email_task(user_id: int) -> None:
    """Welcome a newly verified learner, once, however often this runs."""
    services.user_welcome(user_id=user_id)


@shared_task
def purge_unverified_accounts_task() -> int:
    return services.users_purge_unverified()
