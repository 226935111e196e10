"""What a learner cannot do, each with a message that is safe to show them.

Raised by the services, and by the rule for a new quiz attempt that pages read too
(``courses.assessment.selectors.check_may_start``); the views show ``message``.
"""
from datetime import datetime

from kernel.errors import Refusal


class LearningError(Refusal):
    """A request the learner cannot make; ``message`` is safe to show them."""


class PaymentRequired(LearningError):
    pass


class LessonLocked(LearningError):
    pass


class PartnersOnly(LearningError):
    """The course or module is kept for members of partner organisations."""


class AttemptClosed(LearningError):
    """The attempt is no longer open (already submitted, or its time is over)."""


class AttemptRefused(LearningError):
    """A new attempt cannot start now (limit reached, waiting time, grading under way).
    ``opens_at``: when the waiting time ends, for a refusal that is only a wait."""

    def __init__(self, message: str, *, opens_at: datetime | None = None) -> None:
        super().__init__(message)
        self.opens_at = opens_at


class AnswerError(LearningError):
    """An answer that cannot be stored; ``question_id`` names the question it is for."""

    def __init__(self, message: str, *, question_id: str | None = None) -> None:
        super().__init__(message)
        self.question_id = question_id
