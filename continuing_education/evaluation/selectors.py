"""Reads about course evaluations for learners' pages: the questions of an evaluation
page, the evaluation of a course (and where to read it in the active language), who may
fill one in and who has.

An evaluation belongs to its course's source page (``courses.languages``): a Spanish
evaluation under a Spanish course counts for the English course, and its questions keep
the source's block ids.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest
from wagtail.models import Page

from courses import content_cache, languages
from courses.content_cache import CACHE_SECONDS, content_version
from courses.models import CoursePage, Enrollment

from ..models import EvaluationPage, EvaluationSubmission

RATING, YES_NO, TEXT = "rating", "yes_no", "text"
MISSING = "missing"


@dataclass(frozen=True)
class Question:
    id: str  # the block's id: the same in every translation
    kind: str  # RATING, YES_NO or TEXT
    text: str
    required: bool


@dataclass(frozen=True)
class EvaluationLink:
    """A course's published evaluation, and its address in the active language."""

    page_id: int
    url: str


def evaluation_questions(page: EvaluationPage) -> list[Question]:
    """The page's questions in order (no query: they are the page's own field)."""
    return [
        Question(id=block.id, kind=block.block_type, text=block.value["question"], required=bool(block.value["required"]))
        for block in page.questions
        if block.id and block.block_type in (RATING, YES_NO, TEXT)
    ]


def evaluation_course(page: EvaluationPage, request: HttpRequest | None = None) -> tuple[CoursePage | None, CoursePage | None]:
    """The course the evaluation page sits in (as read: perhaps a translation) and that
    course's source page (None when its source was deleted)."""
    parent = page.get_parent()
    if parent is None:
        return None, None
    course = parent.specific
    if not isinstance(course, CoursePage):
        return None, None
    return course, languages.source_page(course, request)


def course_evaluation(course: CoursePage, request: HttpRequest | None = None) -> EvaluationLink | None:
    """The published evaluation of ``course`` (a source page) and its address in the
    active language (its published translation, else the page under the language's
    prefix), or None. Kept under the content version: nothing is asked of the database
    on a warm page."""
    key = f"ce:evaluation:{course.pk}:{languages.active_locale_id(request)}:{content_version(request)}"
    found = content_cache.get_or_build(key, lambda: _evaluation_of(course, request) or MISSING, CACHE_SECONDS)
    return None if found == MISSING else found


def _evaluation_of(course: CoursePage, request: HttpRequest | None) -> EvaluationLink | None:
    page = (
        Page.objects.live().child_of(course).type(EvaluationPage).only("id", "translation_key", "url_path", "path")
        .order_by("path").first()
    )
    if page is None:
        return None
    return EvaluationLink(page_id=page.pk, url=languages.localized_url(page, request))


def is_enrolled(*, user_id: int, course_id: int) -> bool:
    """An enrolment in the course that is still a place (a withdrawn one is not)."""
    return (
        Enrollment.objects.filter(user_id=user_id, course_id=course_id)
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .exists()
    )


def has_submitted(*, user_id: int, course_id: int) -> bool:
    return EvaluationSubmission.objects.filter(user_id=user_id, course_id=course_id).exists()


def submitted_on(*, user_id: int, course_id: int) -> datetime | None:
    """When the learner submitted the course's evaluation (shown to them only), or None."""
    return (
        EvaluationSubmission.objects.filter(user_id=user_id, course_id=course_id)
        .values_list("submitted_at", flat=True)
        .first()
    )
