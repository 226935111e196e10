"""Regrading after staff fix an answer key.

Only the answer key of a question is taken from the quiz as published now: which options
are correct, the multiple-choice scoring rule, the true/false answer, the accepted short
answers. Wording, points and options stay as the learner saw them; a question whose
options were added or removed since is left alone (the learner answered a different
question). Written answers keep their reviewer's marks.

A learner who passed keeps the pass and the score that earned it when a fix would lower
it; one who failed gets the new score, and a pass if it now reaches the mark. Running a
regrade twice changes nothing the second time: the attempt's snapshot then already holds
the fixed key.
"""
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from ... import scoring
from ...models import QuizAttempt, QuizPage
from ...services import enrollment_refresh_progress
from .. import snapshot
from ..selectors import FINISHED
from .grading import results_json, set_final, totals

Status = QuizAttempt.Status
KEY_FIELDS = {
    scoring.SINGLE: (),
    scoring.MULTIPLE: ("scoring",),
    scoring.TRUE_FALSE: ("answer",),
    scoring.SHORT_TEXT: ("accepted",),
}


def current_keys(quiz: QuizPage) -> dict[str, dict]:
    """The quiz's questions as published now, by id (a broken one is skipped: the quiz
    form refuses to publish those, so this only guards against old data)."""
    keys = {}
    for child in list(quiz.questions) + (list(quiz.bank.questions) if quiz.bank_id else []):
        try:
            keys[child.id] = snapshot.question_from_block(child)
        except scoring.InvalidQuestion:
            continue
    return keys


def with_current_key(question: dict, current: dict | None) -> dict:
    """``question`` with its answer key replaced by ``current``'s, when they are the same
    question (same type, same options); otherwise ``question`` unchanged."""
    kind = question["type"]
    if current is None or kind not in KEY_FIELDS or current["type"] != kind:
        return question
    fixed = dict(question)
    if "options" in question:
        now_correct = {o["id"]: o["correct"] for o in current["options"]}
        if set(now_correct) != {o["id"] for o in question["options"]}:
            return question
        fixed["options"] = [{**o, "correct": now_correct[o["id"]]} for o in question["options"]]
    for field in KEY_FIELDS[kind]:
        fixed[field] = current[field]
    try:
        scoring.validate_question(fixed)
    except scoring.InvalidQuestion:
        return question
    return fixed


def attempt_regrade(*, attempt_id: int, now: datetime | None = None) -> str:
    """Regrade one finished attempt against the quiz's current answer keys.

    Returns "unchanged", "regraded" or "skipped" (not finished, or gone).
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = (
            QuizAttempt.objects.select_for_update(of=("self",)).select_related("quiz").filter(pk=attempt_id).first()
        )
        if attempt is None or attempt.status not in FINISHED:
            return "skipped"
        keys = current_keys(attempt.quiz)
        fixed = [with_current_key(q, keys.get(q["id"])) for q in attempt.questions]
        if fixed == attempt.questions:
            return "unchanged"
        objective = scoring.score_attempt(fixed, attempt.answers, allow_unanswered=attempt.timed_out)
        results = results_json(objective)
        for q in fixed:  # reviewers' marks stand
            if q["type"] == scoring.WRITTEN and q["id"] in attempt.results and attempt.status == Status.GRADED:
                results[q["id"]] = attempt.results[q["id"]]
        attempt.questions = fixed
        attempt.regraded_at = now
        if attempt.status == Status.NEEDS_REVIEW:
            attempt.results = results
            attempt.save(update_fields=["questions", "results", "regraded_at"])
            return "regraded"
        awarded, possible = totals(results)
        was_passed, old_awarded = attempt.passed, attempt.score_awarded
        graded_at = attempt.graded_at
        if not (was_passed and awarded < old_awarded):
            attempt.results = results
            set_final(attempt, awarded, possible, now=graded_at)
        if was_passed:
            attempt.passed = True  # a fix never takes a pass away
        attempt.save()
        if attempt.passed and not was_passed:
            enrollment_refresh_progress(enrollment_id=attempt.enrollment_id, now=now)
        return "regraded"
