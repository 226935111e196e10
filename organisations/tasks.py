"""Organisation tasks: thin, take ids, safe to run twice (see invitations.py)."""
from celery import shared_task

from accounts.tasks import RETRY

from . import invitations


@shared_task(**RETRY)
def invitation_email_task(invitation_id: int, nonce: str):
    """Send one invitation link; a re-sent invitation (new nonce) makes this one a no-op."""
    invitations.invitation_send(invitation_id=invitation_id, nonce=nonce)
