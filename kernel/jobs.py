"""Background jobs known by name: how services ask for work without importing tasks.

Each app lists its jobs in ``<app>/jobs.py`` as ``Job`` objects naming a task by its
dotted path; services enqueue through them, and ``tasks.py`` imports services (never the
reverse), so a service and the task that calls it never import each other. The task is
looked up when the job is first enqueued (``import_string``), by which time every module
is loaded. ``tests/kernel/test_jobs.py`` checks that every job names a task a worker
registers, so a typo fails a test rather than a request.

``swept`` marks work whose state is in the database and that a periodic sweep enqueues
again when its message is lost (a stored Stripe event, a certificate still to render).
Celery raises when the broker cannot be reached, after the transaction has committed: the
request that saved the work would then answer 500 although nothing is lost. For a swept
job the broker being away is only a delay: it is logged and the request goes on. Other
jobs raise as Celery does.
"""
from __future__ import annotations

import logging
from functools import cached_property, partial
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError

if TYPE_CHECKING:
    from celery import Task

logger = logging.getLogger(__name__)


class Job:
    """One kind of background work: ``Job("certification.tasks.certificate_render_task")``."""

    def __init__(self, path: str, *, swept: bool = False) -> None:
        self.path = path
        self.swept = swept

    def __repr__(self) -> str:
        return f"Job({self.path!r})"

    @cached_property
    def task(self) -> Task:
        return import_string(self.path)

    def enqueue_on_commit(self, *args: object) -> None:
        """Enqueue once the current transaction commits (at once outside one): a task
        never runs before the rows it reads are there, nor for a rolled-back change."""
        transaction.on_commit(partial(self.enqueue, *args))

    def enqueue(self, *args: object) -> None:
        """Enqueue now (eagerly run in-process when no broker is configured)."""
        try:
            self.task.delay(*args)
        except OperationalError as error:  # kombu's "cannot reach the broker", after its retries
            if not self.swept:
                raise
            logger.warning("The broker cannot be reached (%s): %s%r is left to its sweep.", error, self.path, args)
