"""Turning what a browser sends into answers ``courses.scoring`` understands.

A form sends strings (and lists of strings for checkboxes); the page's script sends JSON.
Both come through ``clean_answer``, which refuses anything that is not an answer to the
question (an option id that is not in the attempt, text far too long) with a message
that is safe to show and says nothing about which answer is right. An empty answer
(``None``, ``""``, ``[]``) means "not answered yet" and is returned as ``None``.
Whether every question is answered, and written answers' minimum length, are checked
at submission (``courses.scoring.score_attempt``), not while the learner drafts.
"""
from typing import Any

from django.http import QueryDict
from django.utils import formats
from django.utils.translation import gettext, gettext_noop

from .. import scoring

MAX_SHORT_TEXT = 500
MAX_WRITTEN = 20_000


def _option_ids(question: dict) -> set[str]:
    return {o["id"] for o in question["options"]}


def clean_answer(question: dict, raw: Any) -> scoring.Answer:
    kind = question["type"]
    if raw is None or raw == "" or raw == []:
        return None
    if kind == scoring.SINGLE:
        if isinstance(raw, list) and len(raw) == 1:
            raw = raw[0]
        if not isinstance(raw, str) or raw not in _option_ids(question):
            raise scoring.InvalidAnswer(gettext_noop("That is not one of this question's options."))
        return raw
    if kind == scoring.MULTIPLE:
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(r, str) for r in raw):
            raise scoring.InvalidAnswer(gettext_noop("Choose options from the list."))
        if not set(raw) <= _option_ids(question):
            raise scoring.InvalidAnswer(gettext_noop("That is not one of this question's options."))
        if len(set(raw)) != len(raw):
            raise scoring.InvalidAnswer(gettext_noop("Each option can be chosen only once."))
        return raw
    if kind == scoring.TRUE_FALSE:
        if isinstance(raw, list) and len(raw) == 1:
            raw = raw[0]
        if isinstance(raw, bool):
            return raw
        if raw in ("true", "false"):
            return raw == "true"
        raise scoring.InvalidAnswer(gettext_noop("Choose true or false."))
    if isinstance(raw, list) and len(raw) == 1:
        raw = raw[0]
    if not isinstance(raw, str):
        raise scoring.InvalidAnswer(gettext_noop("Type your answer as text."))
    limit = MAX_SHORT_TEXT if kind == scoring.SHORT_TEXT else MAX_WRITTEN
    if len(raw) > limit:
        raise scoring.InvalidAnswer(
            gettext_noop("Please keep this answer under %(limit)s characters."), params={"limit": limit}
        )
    return raw if raw.strip() else None


def answers_from_post(questions: list[dict], post: QueryDict) -> dict:
    """Raw answers from a submitted form: field ``q-<question id>`` per question.

    Only questions present in the form are returned, so saving a page of answers never
    clears ones the form did not include.
    """
    raw = {}
    for question in questions:
        name = f"q-{question['id']}"
        if question["type"] == scoring.MULTIPLE:
            # Checkboxes send nothing when none is ticked; a hidden marker field says the
            # question was on the form, so unticking them all clears the answer.
            if name in post or f"{name}-present" in post:
                raw[question["id"]] = post.getlist(name)
        elif name in post:
            raw[question["id"]] = post.get(name)
    return raw


def answer_message(error: scoring.InvalidAnswer) -> str:
    """``error``'s message in the current language (``courses.scoring`` keeps it in English,
    marked for the catalogue), its numbers written the language's way ("20,000")."""
    params = {
        key: formats.number_format(value, force_grouping=True) if isinstance(value, int) else value
        for key, value in error.params.items()
    }
    return gettext(error.template) % params if params else gettext(error.template)
