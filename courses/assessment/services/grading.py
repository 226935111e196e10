"""Grading a submitted attempt's objective questions, and what staff do when grading fails.

An attempt moves through its states only here and in its sibling modules (see
``courses.models.attempts``); the final grade of one with written answers is given by a
reviewer (``review``).
"""
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from django.db import transaction
from django.utils import timezone

from ... import jobs, scoring
from ...models import QuizAttempt
from ...services import enrollment_refresh_progress

Status = QuizAttempt.Status


def results_json(attempt_score: scoring.AttemptScore) -> dict:
    return {
        qid: {"awarded": str(s.awarded), "possible": str(s.possible), "correct": s.correct}
        for qid, s in attempt_score.per_question.items()
    }


def _passes(awarded: Decimal, possible: Decimal, pass_mark: int) -> bool:
    return Fraction(awarded) * 100 >= Fraction(pass_mark) * Fraction(possible)


def attempt_grade(*, attempt_id: int, now: datetime | None = None) -> QuizAttempt | None:
    """Grade a submitted attempt's objective questions.

    Completes the attempt, or hands it to the review queue when written answers wait for
    a person. Only a ``submitted`` attempt is graded: run twice, the second run finds it
    graded and does nothing. A broken question (``InvalidQuestion``) cannot mend by
    retrying, so the attempt is marked failed for staff at once.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().filter(pk=attempt_id).first()
        if attempt is None or attempt.status != Status.SUBMITTED:
            return attempt
        try:
            result = scoring.score_attempt(attempt.questions, attempt.answers, allow_unanswered=attempt.timed_out)
        except (scoring.InvalidQuestion, scoring.InvalidAnswer) as error:
            attempt.status = Status.FAILED
            attempt.grading_error = f"{type(error).__name__}: {error}"
            attempt.save(update_fields=["status", "grading_error"])
            return attempt
        attempt.results = results_json(result)
        fields = ["results", "status"]
        if result.needs_review:
            attempt.status = Status.NEEDS_REVIEW
        else:
            set_final(attempt, result.awarded, result.possible, now=now)
            fields += ["score_awarded", "score_possible", "percent", "passed", "graded_at"]
        attempt.save(update_fields=fields)
        if attempt.passed:
            enrollment_refresh_progress(enrollment_id=attempt.enrollment_id, now=now)
        return attempt


def totals(results: dict) -> tuple[Decimal, Decimal]:
    """(awarded, possible) over an attempt's per-question results (exact 2-dp sums)."""
    awarded = sum((Decimal(r["awarded"]) for r in results.values()), Decimal("0.00"))
    possible = sum((Decimal(r["possible"]) for r in results.values()), Decimal("0.00"))
    return awarded, possible


def set_final(attempt: QuizAttempt, awarded: Decimal, possible: Decimal, *, now: datetime) -> None:
    """Give ``attempt`` its final grade (not saved: the caller saves it with the rest)."""
    attempt.status = Status.GRADED
    attempt.score_awarded = awarded
    attempt.score_possible = possible
    attempt.percent = scoring.round_2dp(Fraction(awarded) * 100 / Fraction(possible))
    attempt.passed = _passes(awarded, possible, attempt.pass_mark)
    attempt.graded_at = now


def attempt_grading_failed(*, attempt_id: int, error: str, final: bool) -> None:
    """Record a grading error; ``final`` (retries used up) marks the attempt failed."""
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().filter(pk=attempt_id, status=Status.SUBMITTED).first()
        if attempt is None:
            return
        attempt.grading_error = error[:2000]
        attempt.grading_tries += 1
        if final:
            attempt.status = Status.FAILED
        attempt.save(update_fields=["grading_error", "grading_tries", "status"])


def attempt_requeue(*, attempt_id: int) -> bool:
    """Staff send a failed attempt back for grading (after fixing what broke it)."""
    with transaction.atomic():
        updated = QuizAttempt.objects.filter(pk=attempt_id, status=Status.FAILED).update(
            status=Status.SUBMITTED, grading_tries=0, grading_error="", queued_at=timezone.now()
        )
        if updated:
            jobs.grade_attempt.enqueue_on_commit(attempt_id)
        return bool(updated)
