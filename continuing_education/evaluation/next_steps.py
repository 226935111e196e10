"""The course evaluation among what is left once a course's lessons are done
(``courses.next_steps``, which asks through the lookup registered in ``apps.py``).

Cost: nothing more on a warm page for a course without an evaluation (which course has
one is kept under the content version); one query otherwise (has the learner answered?).
"""
from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from courses.models import CoursePage
from courses.next_steps import Step

from .selectors import course_evaluation, has_submitted


def evaluation_steps(*, user: User, course: CoursePage, now: datetime) -> list[Step]:
    """A step to the course's evaluation when it has one and ``user`` has not answered it."""
    evaluation = course_evaluation(course)
    if evaluation is None or not user.is_authenticated or has_submitted(user_id=user.pk, course_id=course.pk):
        return []
    return [
        Step(
            kind="evaluation",
            # Lazy: the completion email words it in the learner's language when it is written.
            action=_("Fill in the course evaluation"),
            detail=_("A few questions about the course; your answers are kept without your name."),
            url=evaluation.url,
        )
    ]
