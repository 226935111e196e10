"""Turning a quiz's question blocks into the snapshot an attempt keeps, and back out again
as what the learner may see.

``take`` copies the questions into plain dicts (the shape ``courses.scoring`` reads, plus
what the page displays). ``public`` strips a snapshot down to what an open attempt may
show: never which option is correct, the accepted answers, feedback or explanations.
The leak test (tests/courses/assessment/test_leaks.py) reads every response of an
attempt to hold this to account.
"""
import random
from collections.abc import Iterable
from typing import Any

from wagtail.blocks import StreamValue

from .. import scoring
from ..models import QuizPage

# Keys of a snapshot that are safe to show while an attempt is open.
_PUBLIC_QUESTION_KEYS = ("id", "type", "points", "prompt", "scenario", "min_length")
_PUBLIC_OPTION_KEYS = ("id", "label")
# Keys of a question that are words, which a translation of the quiz may give.
_TEXT_KEYS = ("prompt", "scenario", "explanation")


def question_from_block(child: StreamValue.StreamChild) -> dict[str, Any]:
    """One question snapshot from a StreamField child (a bound block with a stable id)."""
    value = child.value
    base = {
        "id": child.id,
        "type": child.block_type,
        "prompt": value["prompt"],
        "scenario": value.get("scenario") or "",
        "explanation": value.get("explanation") or "",
    }
    kind = child.block_type
    if kind in (scoring.SINGLE, scoring.MULTIPLE):
        base["points"] = value["points"]
        base["options"] = [
            {
                "id": item.id,
                "label": item.value["label"],
                "correct": bool(item.value["correct"]),
                "feedback": item.value.get("feedback") or "",
            }
            for item in value["options"].bound_blocks
        ]
        if kind == scoring.MULTIPLE:
            base["scoring"] = value["scoring"]
    elif kind == scoring.TRUE_FALSE:
        base["points"] = value["points"]
        base["answer"] = value["answer"] == "true"
    elif kind == scoring.SHORT_TEXT:
        base["points"] = value["points"]
        base["accepted"] = list(value["accepted"])
    else:  # written
        rubric = [{"criterion": c["criterion"], "points": c["points"]} for c in value["rubric"]]
        base["rubric"] = rubric
        base["points"] = sum(c["points"] for c in rubric)
        base["min_length"] = value["min_length"]
    scoring.validate_question(base)
    return base


def quiz_questions(quiz: QuizPage) -> list[dict[str, Any]]:
    """Every question the quiz may ask, as snapshots: its own, then its bank's."""
    return [question_from_block(c) for c in quiz.questions] + bank_questions(quiz)


def bank_questions(quiz: QuizPage) -> list[dict[str, Any]]:
    return [question_from_block(c) for c in quiz.bank.questions] if quiz.bank_id else []


def take(quiz: QuizPage, *, rng: random.Random | None = None) -> list[dict[str, Any]]:
    """The questions for a new attempt: the quiz's own, plus ``draw_count`` drawn at random
    from its bank (all of them when empty), shuffled as the quiz asks."""
    rng = rng or random.SystemRandom()
    own = [question_from_block(c) for c in quiz.questions]
    drawn = bank_questions(quiz)
    if quiz.draw_count and quiz.draw_count < len(drawn):
        drawn = rng.sample(drawn, quiz.draw_count)
    questions = own + drawn
    if not questions:
        raise scoring.InvalidQuestion("This quiz has no questions yet.")
    if quiz.shuffle_questions:
        rng.shuffle(questions)
    if quiz.shuffle_options:
        for q in questions:
            if "options" in q:
                rng.shuffle(q["options"])
    ids = [q["id"] for q in questions]
    if len(set(ids)) != len(ids):
        raise scoring.InvalidQuestion("A question appears twice in this quiz.")
    return questions


def in_language(questions: Iterable[dict[str, Any]], translation: QuizPage | None) -> list[dict[str, Any]]:
    """An attempt's questions with the words of ``translation`` (the quiz in the language
    being read, and its bank's translation), matched by question and option id: prompts,
    scenarios, explanations, option labels and feedback, rubric criteria. Never the answer
    key, which stays the attempt's own (copied from the source quiz when it started).
    Questions the translations do not have (added since) keep their words."""
    questions = list(questions)
    if translation is None:
        return questions
    words = {}
    bank = translation.bank.get_translation_or_none(translation.locale) if translation.bank_id else None
    for child in [*translation.questions, *(bank.questions if bank is not None else [])]:
        try:
            words[child.id] = question_from_block(child)
        except scoring.InvalidQuestion:
            continue  # a translation being edited: its source's words stand
    shown = []
    for q in questions:
        theirs = words.get(q["id"])
        if theirs is None or theirs["type"] != q["type"]:
            shown.append(q)
            continue
        q = {**q, **{key: theirs[key] for key in _TEXT_KEYS if key in theirs}}
        if "options" in q:
            labels = {o["id"]: o for o in theirs.get("options", [])}
            q["options"] = [
                {**o, "label": labels[o["id"]]["label"], "feedback": labels[o["id"]]["feedback"]}
                if o["id"] in labels else o
                for o in q["options"]
            ]
        if "rubric" in q and len(theirs.get("rubric", [])) == len(q["rubric"]):
            q["rubric"] = [{**c, "criterion": t["criterion"]} for c, t in zip(q["rubric"], theirs["rubric"])]
        shown.append(q)
    return shown


def public(questions: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """What an open attempt may show of its questions."""
    shown = []
    for q in questions:
        item = {key: q[key] for key in _PUBLIC_QUESTION_KEYS if key in q}
        if "options" in q:
            item["options"] = [{key: o[key] for key in _PUBLIC_OPTION_KEYS} for o in q["options"]]
        if "rubric" in q:
            # Learners see what a reviewer will look for, not the marks scheme's points.
            item["rubric"] = [c["criterion"] for c in q["rubric"]]
        shown.append(item)
    return shown
