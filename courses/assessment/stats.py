"""Per-question statistics for a quiz, for staff who want to know which questions work.

``quiz_stats`` is pure: it reads only what finished attempts stored (their question
snapshots, answers and per-question results), so the numbers describe exactly what
learners were asked and how it was marked, including after a regrade. Questions are
grouped by their stable StreamField id across attempts; the wording and option labels
shown are those of the most recent attempt (authors may have reworded since).

Only graded attempts count: one waiting for review has no final score yet, and an
attempt whose grading failed has none at all.
"""
from django.utils.translation import gettext_lazy as _
import csv
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TextIO

from kernel.spreadsheets import csv_safe

from .. import scoring
from ..models import QuizAttempt, QuizPage

_TENTH = Decimal("0.1")
_TRUE_FALSE_OPTIONS = (("true", _("True")), ("false", _("False")))
TYPE_LABELS = {
    scoring.SINGLE: _("Single choice"),
    scoring.MULTIPLE: _("Multiple choice"),
    scoring.TRUE_FALSE: _("True or false"),
    scoring.SHORT_TEXT: _("Short text"),
    scoring.WRITTEN: _("Written"),
}


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``part`` of ``whole`` as a percentage to one decimal place; None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_TENTH, rounding=ROUND_HALF_UP)


@dataclass
class OptionStat:
    id: str
    label: str
    correct: bool
    chosen: int = 0
    percent_chosen: Decimal | None = None


@dataclass
class QuestionStat:
    id: str
    type: str
    prompt: str
    asked: int = 0
    answered: int = 0
    correct: int = 0
    awarded: Decimal = Decimal("0")
    possible: Decimal = Decimal("0")
    options: list[OptionStat] = field(default_factory=list)
    percent_correct: Decimal | None = None
    average_score: Decimal | None = None  # awarded / possible over answered attempts, in %

    @property
    def kind(self) -> str:
        return TYPE_LABELS.get(self.type, self.type)


@dataclass
class QuizStats:
    attempts: int
    learners: int
    passed: int
    pass_rate: Decimal | None
    average_percent: Decimal | None
    questions: list[QuestionStat]


def _chosen_ids(question: Mapping, answer: scoring.Answer) -> list[str]:
    if question["type"] == scoring.SINGLE:
        return [answer]
    if question["type"] == scoring.MULTIPLE:
        return list(answer)
    if question["type"] == scoring.TRUE_FALSE:
        return ["true" if answer else "false"]
    return []


def _options_of(question: Mapping) -> list[tuple[str, str, bool]]:
    if "options" in question:
        return [(o["id"], o["label"], o["correct"]) for o in question["options"]]
    if question["type"] == scoring.TRUE_FALSE:
        return [(oid, label, (oid == "true") == question["answer"]) for oid, label in _TRUE_FALSE_OPTIONS]
    return []


def quiz_stats(attempts: Iterable[Mapping], *, order: Sequence[str] = ()) -> QuizStats:
    """Statistics over graded attempts, each a mapping with ``questions``, ``answers``,
    ``results``, ``passed``, ``percent`` and ``user_id``, oldest first (so the newest
    wording wins). Questions come in ``order`` (the quiz's current question ids), then
    any others (removed since, or drawn from a bank) in order of first appearance."""
    by_id: dict[str, QuestionStat] = {}
    options: dict[str, dict[str, OptionStat]] = {}
    count = passed = 0
    learners = set()
    percent_sum = Decimal("0")
    for attempt in attempts:
        count += 1
        passed += bool(attempt["passed"])
        learners.add(attempt["user_id"])
        percent_sum += Decimal(attempt["percent"])
        for q in attempt["questions"]:
            stat = by_id.setdefault(q["id"], QuestionStat(id=q["id"], type=q["type"], prompt=q["prompt"]))
            stat.prompt, stat.type = q["prompt"], q["type"]  # newest wording
            known = options.setdefault(q["id"], {})
            for oid, label, correct in _options_of(q):
                option = known.setdefault(oid, OptionStat(id=oid, label=label, correct=correct))
                option.label, option.correct = label, correct
            stat.asked += 1
            answer = attempt["answers"].get(q["id"])
            result = attempt["results"].get(q["id"])
            if answer is None or result is None:
                continue  # unanswered when the time ran out: asked, not answered
            stat.answered += 1
            stat.correct += result["correct"] is True
            stat.awarded += Decimal(result["awarded"])
            stat.possible += Decimal(result["possible"])
            for oid in _chosen_ids(q, answer):
                if oid in known:
                    known[oid].chosen += 1

    rank = {qid: n for n, qid in enumerate(order)}
    questions = sorted(by_id.values(), key=lambda s: rank.get(s.id, len(rank)))  # stable
    for stat in questions:
        stat.percent_correct = percent(stat.correct, stat.answered)
        stat.average_score = percent(stat.awarded, stat.possible)
        stat.options = list(options[stat.id].values())
        for option in stat.options:
            option.percent_chosen = percent(option.chosen, stat.answered)
    return QuizStats(
        attempts=count,
        learners=len(learners),
        passed=passed,
        pass_rate=percent(passed, count),
        average_percent=(percent_sum / count).quantize(_TENTH, rounding=ROUND_HALF_UP) if count else None,
        questions=questions,
    )


def graded_attempts_for_stats(*, quiz_id: int) -> Iterator[dict[str, Any]]:
    """The graded attempts of a quiz as plain dicts, oldest first: only the columns the
    statistics read, streamed in chunks so a popular quiz does not fill memory."""
    return (
        QuizAttempt.objects.filter(quiz_id=quiz_id, status=QuizAttempt.Status.GRADED)
        .order_by("submitted_at", "pk")
        .values("user_id", "questions", "answers", "results", "passed", "percent")
        .iterator(chunk_size=200)
    )


def quiz_question_order(quiz: QuizPage) -> list[str]:
    """The quiz's question ids as authored now: its own, then its bank's."""
    ids = [child.id for child in quiz.questions]
    if quiz.bank_id:
        ids += [child.id for child in quiz.bank.questions]
    return ids


def stats_for_quiz(quiz: QuizPage) -> QuizStats:
    return quiz_stats(graded_attempts_for_stats(quiz_id=quiz.pk), order=quiz_question_order(quiz))


# --- CSV ---------------------------------------------------------------------------------

CSV_HEADER = [
    "question id", "question type", "prompt", "option", "option is correct",
    "times asked", "times answered", "times correct / chosen", "% correct / chosen", "average score %",
]


def write_csv(stats: QuizStats, out: TextIO) -> None:
    """One row per question, followed by one row per option of a choice question."""
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for q in stats.questions:
        writer.writerow(
            csv_safe(v)
            for v in (q.id, q.type, q.prompt, "", "", q.asked, q.answered, q.correct, q.percent_correct,
                      q.average_score)
        )
        for o in q.options:
            writer.writerow(
                csv_safe(v)
                for v in (q.id, q.type, "", o.label, "yes" if o.correct else "no", "", q.answered, o.chosen,
                          o.percent_chosen, "")
            )
