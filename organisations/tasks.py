"""Organisation tasks: thin, take ids, safe to run twice (see services/invitations.py)."""
from celery import shared_task

from kernel.retry import RETRY

from . import services


@shared_task(**RETRY)
def invitation_email_task(invitation_id: int, nonce: str) -> None:
    """Send one invitation link; a re-sent invitation (new nonce) makes this one a no-op."""
    services.invitation_send(invitation_id=invitation_id, nonce=nonce)
