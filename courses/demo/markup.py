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


@dataclass(frozen=True)
class Quiz:
    title: str
    slug: str
    intro: str


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
