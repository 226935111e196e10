"""The Spanish demo content is the English demo content, translated: nothing more, nothing less.

``courses/demo/family_es/`` is walked side by side with ``courses/demo/family/`` (and the
site's Spanish pages with ``lms/demo/about.py``): the same builders in the same order, the
same slugs, keys, minutes, answers and scores, the same HTML tags; and every text a person
reads is different from the English one (no untranslated leftovers).
"""
import dataclasses
import importlib
import re
from decimal import Decimal

import pytest

from courses.demo import family, family_es
from courses.demo.family import communication as en_communication
from courses.demo.family import wellbeing as en_wellbeing
from courses.demo.family_es import communication as es_communication
from courses.demo.family_es import wellbeing as es_wellbeing
from courses.demo.markup import (
    Choice, Course, DocumentRef, Lesson, Module, Question, QuestionBank, Quiz, lesson_words,
)
from lms.demo import about, about_es

# Fields of each description that hold text a person reads; every other field is a value
# that identifies or configures (slug, key, minutes, marks...) and must be equal.
TEXT_FIELDS = {
    Course: {"title", "summary", "audience", "outcomes", "description"},
    Module: {"title", "intro"},
    Lesson: {"title"},
    Quiz: {"title", "intro"},
    QuestionBank: {"title", "description"},
    Choice: {"label", "feedback"},
    Question: set(),
    DocumentRef: set(),
}
# Keys of block values and question values that hold text a person reads.
TEXT_KEYS = {"text", "title", "prompt", "scenario", "explanation", "description", "criterion"}
BLOCK_FIELDS = {(Lesson, "body")}

TAG = re.compile(r"<[^>]+>")
# Words that would only be there if a piece of English had been left in.
ENGLISH = re.compile(
    r"\b(the|and|you|your|with|what|when|this|that|for|of|is|are|not|family|friends|meeting|"
    r"course|lesson|loved)\b",
    re.IGNORECASE,
)


class Mismatch(AssertionError):
    pass


class Walk:
    """Compares an English tree with its Spanish one; counts the texts it compared."""

    def __init__(self) -> None:
        self.texts = 0

    def fail(self, path: str, why: str) -> None:
        raise Mismatch(f"{path}: {why}")

    def text(self, en: str, es: str, path: str) -> None:
        if not isinstance(es, str):
            self.fail(path, f"expected text, found {type(es).__name__}")
        if not en:
            if es:
                self.fail(path, "the English is empty, so the Spanish must be too")
            return
        self.texts += 1
        if not es.strip():
            self.fail(path, "the Spanish text is empty")
        if es == en:
            self.fail(path, f"left in English: {en!r}")
        if TAG.findall(es) != TAG.findall(en):
            self.fail(path, f"HTML tags differ: {TAG.findall(en)} != {TAG.findall(es)}")
        if es.count("\n") != en.count("\n"):
            self.fail(path, "a different number of lines")
        leftover = ENGLISH.search(TAG.sub(" ", es))
        if leftover:
            self.fail(path, f"English word {leftover.group(0)!r} in {es!r}")

    def block(self, en, es, path: str) -> None:
        if not (isinstance(es, tuple) and len(es) == len(en) == 2):
            self.fail(path, "not a (type, value) block")
        self.value(en[0], es[0], f"{path}.type", textual=False)
        if isinstance(en[1], str):
            self.text(en[1], es[1], f"{path}[{en[0]}]")
        else:
            self.value(en[1], es[1], f"{path}[{en[0]}]", textual=False)

    def accepted(self, en: list, es: list, path: str) -> None:
        """Short-text answers: one key across languages, the same list in the same order
        (the English course accepts the Spanish forms too)."""
        if es != en:
            self.fail(path, f"the accepted answers must stay one set: {en} / {es}")
            if answer in en:
                self.fail(path, f"{answer!r} repeats an English answer")

    def value(self, en, es, path: str, *, textual: bool) -> None:
        if type(es) is not type(en):
            self.fail(path, f"{type(en).__name__} in English, {type(es).__name__} in Spanish")
        if dataclasses.is_dataclass(en):
            texts = TEXT_FIELDS[type(en)]
            for f in dataclasses.fields(en):
                a, b, where = getattr(en, f.name), getattr(es, f.name), f"{path}.{f.name}"
                if (type(en), f.name) in BLOCK_FIELDS:
                    self.blocks(a, b, where)
                else:
                    self.value(a, b, where, textual=f.name in texts)
        elif isinstance(en, dict):
            if set(es) != set(en):
                self.fail(path, f"keys {sorted(en)} != {sorted(es)}")
            for k in en:
                if k == "accepted":
                    self.accepted(en[k], es[k], f"{path}.{k}")
                else:
                    self.value(en[k], es[k], f"{path}.{k}", textual=k in TEXT_KEYS)
        elif isinstance(en, (list, tuple)):
            if len(es) != len(en):
                self.fail(path, f"{len(en)} items in English, {len(es)} in Spanish")
            for i, (a, b) in enumerate(zip(en, es)):
                self.value(a, b, f"{path}[{i}]", textual=textual)
        elif isinstance(en, str) and textual:
            self.text(en, es, path)
        elif es != en:
            self.fail(path, f"{en!r} != {es!r}")

    def blocks(self, en: list, es: list, path: str) -> None:
        if len(es) != len(en):
            self.fail(path, f"{len(en)} blocks in English, {len(es)} in Spanish")
        for i, (a, b) in enumerate(zip(en, es)):
            self.block(a, b, f"{path}[{i}]")


def test_the_spanish_course_has_the_english_structure_and_only_spanish_text():
    walk = Walk()
    walk.value(family.COURSE, family_es.COURSE, "COURSE", textual=False)
    # Every lesson, module, quiz and question was reached (113 texts today).
    assert walk.texts > 100


def test_the_answer_keys_and_scores_are_the_english_ones():
    def keys(course: Course) -> list:
        return [
            (quiz.slug, quiz.pass_mark, question.key, question.kind, question.value.get("points"),
             question.value.get("answer"), question.value.get("scoring"),
             [option.correct for option in question.value.get("options", [])])
            for quiz in course.quizzes for question in quiz.questions
        ]

    assert keys(family_es.COURSE) == keys(family.COURSE)
    assert [o.correct for o in family_es.communication.CHECK.questions[0].value["options"]] == [
        True, False, False, False,
    ]


@pytest.mark.parametrize(
    "english, spanish",
    [(family, family_es), (en_communication, es_communication), (en_wellbeing, es_wellbeing)],
    ids=["__init__", "communication", "wellbeing"],
)
def test_each_spanish_module_file_names_what_the_english_one_names(english, spanish):
    def described(module) -> dict:
        return {
            name: type(value) for name, value in vars(module).items()
            if name.isupper() and isinstance(value, (Course, Module, Lesson, Quiz))
        }

    assert described(spanish) == described(english)
    walk = Walk()
    for name in described(english):
        walk.value(getattr(english, name), getattr(spanish, name), name, textual=False)


def test_the_spanish_course_keeps_its_english_slugs_and_values():
    course = family_es.COURSE
    assert course.slug == "family-and-friends-facilitator-training"
    assert [m.slug for m in course.modules] == [m.slug for m in family.COURSE.modules]
    assert [item.slug for item in course.lessons + course.quizzes] == [
        item.slug for item in family.COURSE.lessons + family.COURSE.quizzes
    ]
    assert (course.fee, course.currency, course.estimated_hours, course.sequential) == (
        None, "USD", Decimal("3.0"), False,
    )
    # Spanish runs longer than English: the lessons stay within the demo's bounds.
    assert all(200 <= lesson_words(lesson) <= 500 for lesson in course.lessons)


def test_the_spanish_site_pages_follow_the_english_ones():
    walk = Walk()
    assert about_es.SLUG == about.SLUG
    walk.text(about.TITLE, about_es.TITLE, "TITLE")
    walk.text(about.SEARCH_DESCRIPTION, about_es.SEARCH_DESCRIPTION, "SEARCH_DESCRIPTION")
    walk.blocks(about.BODY, about_es.BODY, "BODY")

    site = importlib.import_module("lms.migrations.0002_site_structure")
    walk.text(site.HOME_INTRO, about_es.HOME_INTRO, "HOME_INTRO")
    walk.text("Facilitator Training", about_es.HOME_TITLE, "HOME_TITLE")
    walk.text("Courses", about_es.CATALOGUE_TITLE, "CATALOGUE_TITLE")
    walk.text(
        "<p>Choose a course and work through it at your own pace.</p>",
        about_es.CATALOGUE_INTRO,
        "CATALOGUE_INTRO",
    )
    assert walk.texts > 15


# --------------------------------------------------------------------------- the walk itself


def _lesson(**changes) -> Lesson:
    return dataclasses.replace(family_es.RUNNING, **changes)


def _swap(index: int, block: tuple) -> list:
    """The Spanish lesson's blocks with one of them replaced."""
    body = list(family_es.RUNNING.body)
    body[index] = block
    return body


@pytest.mark.parametrize(
    "spanish, found",
    [
        (_lesson(slug="como-llevar-una-reunion"), "slug"),
        (_lesson(minutes=15), "minutes"),
        (_lesson(title=family.RUNNING.title), "left in English"),
        (_lesson(body=family_es.RUNNING.body[:-1]), "blocks"),
        (_lesson(body=_swap(1, ("heading", {"text": "Hola", "level": "h3"}))), "level"),
        (_lesson(body=[family_es.RUNNING.body[0]] * len(family.RUNNING.body)), "type"),
        (_lesson(body=_swap(0, ("text", "<p>Hola <strong>y adiós</strong></p>"))), "HTML tags"),
        (_lesson(body=_swap(0, ("text", "<p>Hola, the meeting</p>"))), "English word"),
        (_lesson(body=_swap(0, ("text", "<p>Hola\nadiós</p>"))), "lines"),
    ],
    ids=["slug", "minutes", "title", "block-count", "heading-level", "block-type", "tags", "leftover", "lines"],
)
def test_the_walk_catches_a_lesson_that_is_not_a_translation(spanish, found):
    with pytest.raises(Mismatch, match=found):
        Walk().value(family.RUNNING, spanish, "RUNNING", textual=False)


def test_the_walk_catches_a_changed_answer_or_a_lost_accepted_answer():
    question = family_es.communication.CHECK.questions[0]
    options = question.value["options"]
    flipped = [dataclasses.replace(options[0], correct=False), *options[1:]]
    changed = dataclasses.replace(question, value={**question.value, "options": flipped})
    with pytest.raises(Mismatch, match="correct"):
        Walk().value(family.communication.CHECK.questions[0], changed, "Q", textual=False)

    short = family_es.communication.CHECK.questions[3]
    lost = dataclasses.replace(short, value={**short.value, "accepted": short.value["accepted"][1:]})
    with pytest.raises(Mismatch, match="accepted answers must stay one set"):
        Walk().value(family.communication.CHECK.questions[3], lost, "Q", textual=False)
