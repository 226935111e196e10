"""Small helpers to write demo content as data: lessons, quizzes, modules, courses.

Content files describe *what* the demo holds with these helpers; ``build.py`` turns the
descriptions into published Wagtail pages. Text helpers accept light inline HTML
(``<strong>``, ``<em>``); a bare ``&`` is escaped for you.
"""
import re
from dataclasses import dataclass
from decimal import Decimal

_BARE_AMPERSAND = re.compile(r"&(?![a-zA-Z]+;|#\d+;)")


def _html(text: str) -> str:
    return _BARE_AMPERSAND.sub("&amp;", text)


def _paragraphs(parts) -> str:
    return "".join(f"<p>{_html(part)}</p>" for part in parts)


def paragraph(text: str) -> str:
    """Plain text as one rich-text paragraph (for intro fields)."""
    return _paragraphs([text])


# --- Lesson blocks (StreamField data: (block type, value) pairs) ----------------------

def p(*paragraphs: str):
    """One text block of one or more paragraphs."""
    return ("text", _paragraphs(paragraphs))


def bullets(intro: str | None, *items: str, ordered: bool = False):
    """A text block holding an optional lead-in paragraph and a list."""
    tag = "ol" if ordered else "ul"
    lead = _paragraphs([intro]) if intro else ""
    rows = "".join(f"<li>{_html(item)}</li>" for item in items)
    return ("text", f"{lead}<{tag}>{rows}</{tag}>")


def steps(intro: str | None, *items: str):
    return bullets(intro, *items, ordered=True)


def h2(text: str):
    return ("heading", {"text": text, "level": "h2"})


def h3(text: str):
    return ("heading", {"text": text, "level": "h3"})


def _callout(kind: str, title: str, *paragraphs: str):
    return ("callout", {"kind": kind, "title": title, "text": _paragraphs(paragraphs)})


def tip(title: str, *paragraphs: str):
    return _callout("tip", title, *paragraphs)


def warning(title: str, *paragraphs: str):
    return _callout("warning", title, *paragraphs)


def key(title: str, *paragraphs: str):
    return _callout("key", title, *paragraphs)


def reflect(prompt: str):
    return ("reflection", {"prompt": prompt})


@dataclass(frozen=True)
class DocumentRef:
    """A demo document by its key in ``media.DOCUMENTS``; resolved when pages are built."""

    key: str


def worksheet(document_key: str, description: str = ""):
    return ("worksheet", {"document": DocumentRef(document_key), "description": description})


# --- Page descriptions ------------------------------------------------------------------

@dataclass(frozen=True)
class Lesson:
    title: str
    slug: str
    body: list
    minutes: int = 15
    required: bool = True


# --- Quiz questions -----------------------------------------------------------------------
#
# Each question has a ``key``, unique within its quiz or bank: ``build.py`` derives the
# question's StreamField id (and its options' ids) from it, so running ``seed_demo --update``
# keeps the ids that attempts have snapshotted (and regrading relies on).


@dataclass(frozen=True)
class Choice:
    label: str
    correct: bool = False
    feedback: str = ""  # shown to a learner who chose it, when the quiz shows feedback


def right(label: str, feedback: str = "") -> Choice:
    return Choice(label, True, feedback)


def wrong(label: str, feedback: str = "") -> Choice:
    return Choice(label, False, feedback)


@dataclass(frozen=True)
class Question:
    key: str
    kind: str  # a block type of ``courses.quiz_blocks.QuestionStreamBlock``
    value: dict  # the block's value; lists of options, accepted answers or criteria inside


def _base(prompt: str, scenario: str, explanation: str) -> dict:
    return {"scenario": scenario, "prompt": prompt, "explanation": explanation}


def single(key: str, prompt: str, *choices: Choice, scenario: str = "", explanation: str = "", points: int = 1):
    return Question(key, "single", {**_base(prompt, scenario, explanation), "points": points, "options": list(choices)})


def multiple(
    key: str, prompt: str, *choices: Choice, scoring: str = "all_or_nothing", scenario: str = "",
    explanation: str = "", points: int = 1,
):
    value = {**_base(prompt, scenario, explanation), "points": points, "options": list(choices), "scoring": scoring}
    return Question(key, "multiple", value)


def true_false(key: str, prompt: str, answer: bool, *, scenario: str = "", explanation: str = "", points: int = 1):
    value = {**_base(prompt, scenario, explanation), "points": points, "answer": "true" if answer else "false"}
    return Question(key, "true_false", value)


def short_text(
    key: str, prompt: str, accepted: list[str], *, scenario: str = "", explanation: str = "", points: int = 1
):
    value = {**_base(prompt, scenario, explanation), "points": points, "accepted": list(accepted)}
    return Question(key, "short_text", value)


def written(
    key: str, prompt: str, *rubric: tuple[str, int], min_length: int = 150, scenario: str = "",
    explanation: str = "",
):
    """Reviewed by staff: ``rubric`` is (what the reviewer looks for, points) pairs."""
    value = {
        **_base(prompt, scenario, explanation),
        "min_length": min_length,
        "rubric": [{"criterion": criterion, "points": points} for criterion, points in rubric],
    }
    return Question(key, "written", value)


@dataclass(frozen=True)
class QuestionBank:
    """A question bank snippet, found by its (unique) title."""

    title: str
    description: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Quiz:
    title: str
    slug: str
    intro: str
    questions: tuple[Question, ...] = ()
    bank: QuestionBank | None = None
    draw_count: int | None = None
    pass_mark: int = 70
    attempts_allowed: int | None = None
    wait_minutes: int = 0
    time_limit_minutes: int | None = None
    feedback: str = "after_each"  # or "once_passed", "never"
    required: bool = True
    shuffle_questions: bool = False
    shuffle_options: bool = False


@dataclass(frozen=True)
class Module:
    title: str
    slug: str
    intro: str
    items: list  # of Lesson and Quiz, in reading order

    @property
    def lessons(self) -> list[Lesson]:
        return [item for item in self.items if isinstance(item, Lesson)]


@dataclass(frozen=True)
class Course:
    title: str
    slug: str
    summary: str
    audience: str
    outcomes: list[str]
    description: str
    estimated_hours: Decimal
    sequential: bool
    modules: list[Module]
    final_quiz: Quiz | None = None
    cover: str | None = None  # key in ``media.COVERS``
    fee: Decimal | None = None  # None: a free course
    currency: str = "USD"
    # Slugs of empty placeholder quizzes that earlier versions of the demo created
    # directly in the course: removed when they have no questions and no attempts.
    retired_quizzes: tuple[str, ...] = ()

    @property
    def quizzes(self) -> list[Quiz]:
        found = [item for module in self.modules for item in module.items if isinstance(item, Quiz)]
        return found + ([self.final_quiz] if self.final_quiz else [])

    @property
    def lessons(self) -> list[Lesson]:
        return [lesson for module in self.modules for lesson in module.lessons]


def block_words(block) -> int:
    """Words a learner reads in one block (used to keep lessons a sensible length)."""
    kind, value = block
    if kind == "text":
        text = value
    elif kind == "heading":
        text = value["text"]
    elif kind == "callout":
        text = f"{value['title']} {value['text']}"
    elif kind == "reflection":
        text = value["prompt"]
    elif kind == "worksheet":
        text = value["description"]
    else:
        text = ""
    return len(re.sub(r"<[^>]+>", " ", text).split())


def lesson_words(lesson: Lesson) -> int:
    return sum(block_words(block) for block in lesson.body)
