"""Writes for quiz attempts: the only code that moves an attempt through its states (see
``courses.models.attempts``).

One module per process: ``attempts`` (start, save answers, submit, the sweep),
``grading``, ``review`` (staff marks and the result email), ``regrade`` (after an answer
key is fixed) and ``digest`` (the reviewers' daily email). Callers use this package's
names (``services.attempt_start(...)``).
"""
from ...errors import AnswerError, AttemptClosed, AttemptRefused
from .attempts import (
    GRACE,
    MAX_GRADING_TRIES,
    STUCK_AFTER,
    attempt_save_answers,
    attempt_start,
    attempt_submit,
    attempts_sweep,
)
from .digest import review_digest_send
from .grading import (
    attempt_grade,
    attempt_grading_failed,
    attempt_requeue,
    results_json,
    set_final,
    totals,
)
from .regrade import attempt_regrade, current_keys, with_current_key
from .review import attempt_notify_result, attempt_review

__all__ = [
    "GRACE",
    "MAX_GRADING_TRIES",
    "STUCK_AFTER",
    "AnswerError",
    "AttemptClosed",
    "AttemptRefused",
    "attempt_grade",
    "attempt_grading_failed",
    "attempt_notify_result",
    "attempt_regrade",
    "attempt_requeue",
    "attempt_review",
    "attempt_save_answers",
    "attempt_start",
    "attempt_submit",
    "attempts_sweep",
    "current_keys",
    "results_json",
    "review_digest_send",
    "set_final",
    "totals",
    "with_current_key",
]
