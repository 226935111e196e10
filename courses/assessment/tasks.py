"""Celery tasks for assessments: thin, ids in, safe to run twice or concurrently."""
from celery import shared_task
from django.db import InterfaceError, OperationalError

from kernel.retry import RETRY

from . import selectors, services

# Transient trouble (the database restarting, a lost connection) is retried with backoff
# (an IntegrityError or DataError is a bug, not weather: it is not retried);
# after the last retry the attempt is marked failed for staff, not retried forever.
GRADE_RETRIES = 4


@shared_task(bind=True, acks_late=True, max_retries=GRADE_RETRIES)
def attempt_grade_task(self, attempt_id: int) -> str | None:
    try:
        attempt = services.attempt_grade(attempt_id=attempt_id)
    except (OperationalError, InterfaceError, OSError) as error:
        final = self.request.retries >= GRADE_RETRIES
        try:
            services.attempt_grading_failed(attempt_id=attempt_id, error=repr(error), final=final)
        except (OperationalError, InterfaceError, OSError):
            pass  # the database is the trouble: the sweeper will find the attempt later
        if final:
            raise
        raise self.retry(exc=error, countdown=min(60, 2 ** self.request.retries))
    return attempt.status if attempt else None


@shared_task(**RETRY)
def attempt_result_email_task(attempt_id: int) -> None:
    services.attempt_notify_result(attempt_id=attempt_id)


@shared_task
def attempts_sweep_task() -> dict[str, int]:
    return services.attempts_sweep()


@shared_task
def quiz_regrade_task(quiz_id: int) -> None:
    """Staff fixed an answer key: regrade every finished attempt at the quiz, one task each."""
    for attempt_id in selectors.attempts_to_regrade(quiz_id=quiz_id):
        attempt_regrade_task.delay(attempt_id)


@shared_task(acks_late=True)
def attempt_regrade_task(attempt_id: int) -> str:
    return services.attempt_regrade(attempt_id=attempt_id)


@shared_task(**RETRY)
def review_digest_task() -> int:
    """Beat, each morning: tell reviewers what waits for them (at most once a day)."""
    return services.review_digest_send()
