"""Scoring quiz answers: the pure core that grading calls.

An attempt snapshots its questions as plain JSON-ready dicts when it starts, so that
editing a quiz later never changes the marks of an attempt already under way. Grading (a
Celery task) re-loads the attempt and hands the snapshot and the learner's answers to this
module. Nothing here touches Django, the database or the clock, so the same input always
gives the same score, a repeated task computes the same result, and every rule can be
tested exhaustively without a database.

A question snapshot (extra keys such as the prompt, option labels or an explanation are
allowed and ignored, so the snapshot can also carry what the page displays)::

    {"id": str, "type": "single" | "multiple" | "true_false" | "short_text" | "written",
     "points": int > 0,
     "options": [{"id": str, "correct": bool}, ...],   # single, multiple
     "scoring": "all_or_nothing" | "partial",          # multiple
     "answer": bool,                                   # true_false
     "accepted": [str, ...],                           # short_text
     "min_length": int >= 0}                           # written (optional, default 0)

Answers: single -> option id (str); multiple -> list of option ids; true_false -> bool;
short_text -> str; written -> str.

Two kinds of error, kept apart on purpose: ``InvalidQuestion`` means the course author (or
our snapshot code) made a broken question, which is our bug and must never be blamed on the
learner; ``InvalidAnswer`` means the submitted answer cannot be scored, and its message is
written to be shown to the learner (in English here, marked for the translation catalogue;
translated where it is shown). It never depends on which options are correct, so it cannot
be used to probe for the right answer.

All amounts are ``Decimal`` with two decimal places. Rounding is done exactly (through
``Fraction``), so the result never depends on the ambient decimal context.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

QuestionSnapshot = Mapping[str, Any]
Answer = str | bool | Sequence[str] | None

SINGLE: Final = "single"
MULTIPLE: Final = "multiple"
TRUE_FALSE: Final = "true_false"
SHORT_TEXT: Final = "short_text"
WRITTEN: Final = "written"
QUESTION_TYPES: Final = frozenset({SINGLE, MULTIPLE, TRUE_FALSE, SHORT_TEXT, WRITTEN})

ALL_OR_NOTHING: Final = "all_or_nothing"
PARTIAL: Final = "partial"
SCORING_RULES: Final = frozenset({ALL_OR_NOTHING, PARTIAL})

_CENT = Decimal("0.01")


class InvalidQuestion(ValueError):
    """A question snapshot that cannot be scored: an authoring or snapshot bug."""


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue (``makemessages`` looks for this name)
    and returns it unchanged: this module stays free of Django, and the message is
    translated where it is shown (``courses.assessment.answers.answer_message``)."""
    return message


class InvalidAnswer(ValueError):
    """An answer that cannot be scored. ``message`` is safe to show the learner.

    ``question_id`` is set when the error comes from scoring a whole attempt, so a form can
    put the message next to the right question. ``template`` and ``params`` are the message
    before its values are filled in, for showing it in the learner's language.
    """

    def __init__(
        self, message: str, *, question_id: str | None = None, params: Mapping[str, object] | None = None
    ) -> None:
        self.template = message
        self.params = dict(params or {})
        self.message = message % self.params if self.params else message
        self.question_id = question_id
        super().__init__(self.message if question_id is None else f"Question {question_id!r}: {self.message}")


@dataclass(frozen=True)
class Score:
    """The result for one question.

    ``correct`` is None when nobody can know yet (written answers wait for a person);
    a partially credited multiple-choice answer is ``correct=False`` with ``awarded > 0``.
    """

    awarded: Decimal
    possible: Decimal
    correct: bool | None
    needs_review: bool


@dataclass(frozen=True)
class AttemptScore:
    """The result for a whole attempt. ``per_question`` keeps the snapshot's order."""

    awarded: Decimal
    possible: Decimal
    percent: Decimal
    needs_review: bool
    per_question: dict[str, Score]


# --- helpers -----------------------------------------------------------------------------


def round_2dp(value: Fraction) -> Decimal:
    """Round a non-negative exact value to 2 dp, half up, independent of decimal context."""
    if value < 0:
        raise ValueError("only non-negative amounts are rounded here")
    scaled = value * 100
    cents = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)
    return (Decimal(cents) / 100).quantize(_CENT)


def _is_int(value: object) -> bool:
    # bool is an int subclass; True points or a True min_length is always a mistake.
    return isinstance(value, int) and not isinstance(value, bool)


def _collapse_whitespace(text: str) -> str:
    return " ".join(text.split())


def normalise_short_text(text: str) -> str:
    """The form in which short-text answers are compared.

    NFKC folds compatibility forms (full-width letters, ligatures, composed versus
    decomposed accents); casefold is the Unicode-correct case-insensitive form; whitespace
    runs of any kind become one space and the ends are stripped. Casefolding can undo NFKC
    (e.g. ``"ß\\u0301"``), so the steps are repeated until nothing changes: that makes the
    function idempotent, which the comparison relies on (accepted answers and learner
    answers go through the same function).
    """
    current = text
    for _ in range(8):  # converges in one or two rounds in practice
        following = _collapse_whitespace(
            unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", current).casefold())
        )
        if following == current:
            return current
        current = following
    return current


def written_length(text: str) -> int:
    """Characters counted against ``min_length``: NFKC, whitespace runs count as one and
    leading/trailing whitespace not at all, so padding cannot meet the minimum."""
    return len(_collapse_whitespace(unicodedata.normalize("NFKC", text)))


# --- questions ---------------------------------------------------------------------------


def _require(condition: bool, qid: object, message: str) -> None:
    if not condition:
        raise InvalidQuestion(f"Question {qid!r}: {message}")


def _validate_options(q: QuestionSnapshot, qid: object) -> list[Mapping[str, Any]]:
    options = q.get("options")
    _require(isinstance(options, list), qid, "'options' must be a list")
    _require(len(options) >= 2, qid, "needs at least two options")
    seen: set[str] = set()
    for option in options:
        _require(isinstance(option, Mapping), qid, "each option must be an object")
        oid = option.get("id")
        _require(isinstance(oid, str) and oid != "", qid, "each option needs a non-empty string id")
        _require(oid not in seen, qid, f"option id {oid!r} is used twice")
        seen.add(oid)
        _require(
            isinstance(option.get("correct"), bool),
            qid,
            f"option {oid!r}: 'correct' must be true or false",
        )
    return options


def validate_question(q: QuestionSnapshot) -> None:
    """Raise ``InvalidQuestion`` unless ``q`` is a question snapshot that can be scored.

    Called when a quiz is published or an attempt starts (so a broken question is caught
    before any learner answers it) and again by every scoring function (so a snapshot
    altered in storage is never scored by guesswork).
    """
    if not isinstance(q, Mapping):
        raise InvalidQuestion("A question must be an object")
    qid = q.get("id")
    if not isinstance(qid, str) or qid == "":
        raise InvalidQuestion("A question needs a non-empty string id")
    qtype = q.get("type")
    _require(qtype in QUESTION_TYPES, qid, f"unknown type {qtype!r}")
    points = q.get("points")
    _require(_is_int(points) and points > 0, qid, "'points' must be a positive whole number")

    if qtype in (SINGLE, MULTIPLE):
        options = _validate_options(q, qid)
        n_correct = sum(1 for o in options if o["correct"])
        if qtype == SINGLE:
            _require(n_correct == 1, qid, f"single choice needs exactly one correct option, has {n_correct}")
        else:
            _require(n_correct >= 1, qid, "multiple choice needs at least one correct option")
            _require(
                q.get("scoring") in SCORING_RULES,
                qid,
                "'scoring' must be 'all_or_nothing' or 'partial'",
            )
    elif qtype == TRUE_FALSE:
        _require(isinstance(q.get("answer"), bool), qid, "'answer' must be true or false")
    elif qtype == SHORT_TEXT:
        accepted = q.get("accepted")
        _require(isinstance(accepted, list) and len(accepted) > 0, qid, "'accepted' must be a non-empty list")
        for text in accepted:
            _require(
                isinstance(text, str) and normalise_short_text(text) != "",
                qid,
                "every accepted answer must be non-blank text",
            )
    else:  # WRITTEN
        min_length = q.get("min_length", 0)
        _require(_is_int(min_length) and min_length >= 0, qid, "'min_length' must be a whole number >= 0")


# --- answers -----------------------------------------------------------------------------


def _full(possible: Decimal) -> Score:
    return Score(awarded=possible, possible=possible, correct=True, needs_review=False)


def _none(possible: Decimal) -> Score:
    return Score(awarded=round_2dp(Fraction(0)), possible=possible, correct=False, needs_review=False)


def _option_ids(q: QuestionSnapshot) -> set[str]:
    return {o["id"] for o in q["options"]}


def _correct_ids(q: QuestionSnapshot) -> set[str]:
    return {o["id"] for o in q["options"] if o["correct"]}


def _check_option(answer: str, q: QuestionSnapshot) -> None:
    if answer not in _option_ids(q):
        raise InvalidAnswer(gettext_noop("That is not one of this question's options."))


def score_answer(question: QuestionSnapshot, answer: Answer) -> Score:
    """Score one answer against one validated question snapshot.

    Raises ``InvalidQuestion`` for a broken snapshot and ``InvalidAnswer`` (learner-safe
    message) for an answer that is missing, of the wrong type, names an option the
    question does not have, repeats an option, or is a written answer below the minimum
    length. Messages are the same whichever options are correct.
    """
    validate_question(question)
    qtype = question["type"]
    points: int = question["points"]
    possible = round_2dp(Fraction(points))

    if answer is None:
        raise InvalidAnswer(gettext_noop("Please answer this question."))

    if qtype == SINGLE:
        if not isinstance(answer, str):
            raise InvalidAnswer(gettext_noop("Choose one option."))
        _check_option(answer, question)
        return _full(possible) if answer in _correct_ids(question) else _none(possible)

    if qtype == MULTIPLE:
        # A str is a Sequence too; a bare id here is a client bug, not a one-item list.
        if not isinstance(answer, (list, tuple)) or not all(isinstance(a, str) for a in answer):
            raise InvalidAnswer(gettext_noop("Choose options from the list."))
        for option_id in answer:
            _check_option(option_id, question)
        chosen = set(answer)
        if len(chosen) != len(answer):
            raise InvalidAnswer(gettext_noop("Each option can be chosen only once."))
        correct_ids = _correct_ids(question)
        if chosen == correct_ids:
            return _full(possible)
        if question["scoring"] == ALL_OR_NOTHING:
            return _none(possible)
        net = len(chosen & correct_ids) - len(chosen - correct_ids)
        awarded = round_2dp(Fraction(points * max(0, net), len(correct_ids)))
        return Score(awarded=awarded, possible=possible, correct=False, needs_review=False)

    if qtype == TRUE_FALSE:
        if not isinstance(answer, bool):
            raise InvalidAnswer(gettext_noop("Choose true or false."))
        return _full(possible) if answer is question["answer"] else _none(possible)

    if qtype == SHORT_TEXT:
        if not isinstance(answer, str):
            raise InvalidAnswer(gettext_noop("Type your answer as text."))
        given = normalise_short_text(answer)
        accepted = {normalise_short_text(a) for a in question["accepted"]}
        return _full(possible) if given in accepted else _none(possible)

    # WRITTEN: judged by a person; here we only refuse what cannot be a real answer.
    if not isinstance(answer, str):
        raise InvalidAnswer(gettext_noop("Type your answer as text."))
    min_length = question.get("min_length", 0)
    if written_length(answer) < min_length:
        raise InvalidAnswer(gettext_noop("Please write at least %(count)s characters."), params={"count": min_length})
    return Score(awarded=round_2dp(Fraction(0)), possible=possible, correct=None, needs_review=True)


# --- attempts ----------------------------------------------------------------------------


def score_attempt(
    questions: Sequence[QuestionSnapshot], answers: Mapping[str, Answer], *, allow_unanswered: bool = False
) -> AttemptScore:
    """Score a whole attempt: every question answered, nothing else answered.

    ``allow_unanswered`` is for an attempt submitted because its time ran out: a question
    without an answer then simply earns nothing (a written one needs no review), and so does an unfinished draft that cannot be scored.

    Every question is validated before any answer is looked at, so a broken snapshot is
    reported as ``InvalidQuestion`` even when the answers are also wrong. An empty quiz
    or two questions sharing an id are ``InvalidQuestion``. Answer errors carry the
    question id (``InvalidAnswer.question_id``) and name it in the message.
    """
    if not isinstance(questions, Sequence) or isinstance(questions, (str, bytes)):
        raise InvalidQuestion("Questions must be a list")
    if len(questions) == 0:
        raise InvalidQuestion("A quiz needs at least one question")
    ids: list[str] = []
    for q in questions:
        validate_question(q)
        if q["id"] in ids:
            raise InvalidQuestion(f"Question {q['id']!r}: id is used twice")
        ids.append(q["id"])

    if not isinstance(answers, Mapping):
        raise InvalidAnswer(gettext_noop("Answers must be given per question."))
    known = set(ids)
    for key in answers:
        if key not in known:
            raise InvalidAnswer(gettext_noop("This question is not part of the quiz."), question_id=str(key))
    for qid in ids:
        if qid not in answers and not allow_unanswered:
            raise InvalidAnswer(gettext_noop("Please answer this question."), question_id=qid)

    per_question: dict[str, Score] = {}
    for q in questions:
        if answers.get(q["id"]) is None and allow_unanswered:
            per_question[q["id"]] = _none(round_2dp(Fraction(q["points"])))
            continue
        try:
            per_question[q["id"]] = score_answer(q, answers[q["id"]])
        except InvalidAnswer as exc:
            if allow_unanswered:  # an unfinished draft when the time ran out earns nothing
                per_question[q["id"]] = _none(round_2dp(Fraction(q["points"])))
                continue
            raise InvalidAnswer(exc.template, question_id=q["id"], params=exc.params) from exc

    # Sums of 2-dp Decimals are exact, so the totals equal the per-question sums.
    awarded = sum((s.awarded for s in per_question.values()), Decimal("0.00"))
    possible = sum((s.possible for s in per_question.values()), Decimal("0.00"))
    percent = round_2dp(Fraction(awarded) * 100 / Fraction(possible))
    return AttemptScore(
        awarded=awarded,
        possible=possible,
        percent=percent,
        needs_review=any(s.needs_review for s in per_question.values()),
        per_question=per_question,
    )


def passed(attempt_score: AttemptScore, pass_mark_percent: int | Decimal) -> bool:
    """Whether the attempt reaches the pass mark (inclusive).

    Compared on the exact fraction, not the rounded ``percent``: 69.996 % is shown as
    70.00 % but does not pass a 70 % mark. Floats are refused (binary fractions would
    make 70.1 mean something slightly different); pass an int or a Decimal. An attempt
    that still needs review has no final score yet, so asking is a ValueError.
    """
    if attempt_score.needs_review:
        raise ValueError("This attempt needs review before it can pass or fail")
    if isinstance(pass_mark_percent, bool) or not isinstance(pass_mark_percent, (int, Decimal)):
        raise TypeError("pass_mark_percent must be an int or a Decimal")
    if isinstance(pass_mark_percent, Decimal) and not pass_mark_percent.is_finite():
        raise ValueError("pass_mark_percent must be a finite number")
    if not 0 <= pass_mark_percent <= 100:
        raise ValueError("pass_mark_percent must be between 0 and 100")
    awarded, possible = Fraction(attempt_score.awarded), Fraction(attempt_score.possible)
    return awarded * 100 >= Fraction(pass_mark_percent) * possible
