"""Submitting a course evaluation: one submission and one anonymous set of answers per
learner and course, written together or not at all."""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from courses.models import CoursePage

from ..errors import EvaluationAlreadySubmitted, EvaluationRefused
from ..events import evaluation_submitted
from ..models import EvaluationResponse, EvaluationSubmission
from .selectors import is_enrolled

Answer = int | bool | str


def already_received() -> EvaluationAlreadySubmitted:
    return EvaluationAlreadySubmitted(
        gettext("Your evaluation of this course was already received, so nothing was changed. Thank you.")
    )


def evaluation_submit(*, user: User, course: CoursePage, language: str, answers: dict[str, Answer]) -> EvaluationResponse:
    """Record that ``user`` evaluated ``course`` (its source page) and keep ``answers``
    (``{question block id: 1..5 | True/False | text}``, already checked by the form)
    with no link to them and the day only, in one transaction that also tells the rest
    of continuing education (``events.evaluation_submitted``: the CE certificate may be
    due now).

    A second submission, a replayed request or two at once: the submission's unique
    constraint lets exactly one through; the others raise ``EvaluationAlreadySubmitted``
    and write nothing. Someone not enrolled in the course is refused the same way.
    """
    if not user.is_authenticated or not is_enrolled(user_id=user.pk, course_id=course.pk):
        raise EvaluationRefused(gettext("Only learners enrolled in this course can fill in its evaluation."))
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: the outer transaction stays usable
                EvaluationSubmission.objects.create(user=user, course=course)
        except IntegrityError as error:
            raise already_received() from error
        response = EvaluationResponse.objects.create(
            course=course, language=language, submitted_on=timezone.now().date(), answers=answers
        )
        evaluation_submitted.send(sender=EvaluationSubmission, user_id=user.pk, course_id=course.pk)
    return response
