"""Enqueueing work that a periodic sweep finds again when its message is lost.

Celery's ``delay_on_commit`` raises when the broker cannot be reached, after the
transaction has committed: the request that saved the work then answers 500 although
nothing is lost. For work whose state is in the database and that a sweep re-enqueues
(a stored Stripe event, a certificate still to render), the broker being away is only a
delay: it is logged and the request goes on.
"""
import logging
from functools import partial

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args) -> None:
    """``task.delay(*args)`` once the current transaction commits (at once outside one).
    Only for work a sweep re-enqueues: if the broker cannot be reached, it is left to it."""
    transaction.on_commit(partial(_send, task, args))


def _send(task, args) -> None:
    try:
        task.delay(*args)
    except OperationalError as error:  # kombu's "cannot reach the broker", after its retries
        logger.warning("The broker cannot be reached (%s): %s%r is left to its sweep.", error, task.name, args)
