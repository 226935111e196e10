"""What staff read of a course's evaluations: totals and anonymous comments, never a
person, an order of submission or a date finer than the month.

For a course (its source page) and an optional period (days, inclusive): the number of
responses; for each rating question, how many chose each of 1–5 and the mean; for each
yes/no question, the yes and no counts; for each free-text question, its answers as
comments with the month they were given, ordered by their text (so the order says
nothing about who answered when). The questions are the source evaluation's, by block
id: answers given in any language count together. One query for the answers, whatever
their number (they are added up here: a course has hundreds of responses, not millions).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet
from wagtail.models import Page

from courses.languages import default_locale_id
from courses.models import CoursePage

from ..models import EvaluationPage, EvaluationResponse
from .selectors import RATING, TEXT, YES_NO, Question, evaluation_questions


@dataclass
class RatingResult:
    question: Question
    counts: list[int] = field(default_factory=lambda: [0] * 5)  # answers 1..5

    @property
    def answered(self) -> int:
        return sum(self.counts)

    @property
    def mean(self) -> Decimal | None:
        if not self.answered:
            return None
        total = sum(score * count for score, count in zip(range(1, 6), self.counts))
        return (Decimal(total) / self.answered).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def distribution(self) -> list[tuple[int, int]]:
        return list(zip(range(1, 6), self.counts))


@dataclass
class YesNoResult:
    question: Question
    yes: int = 0
    no: int = 0


@dataclass(frozen=True)
class Comment:
    text: str
    month: date  # the first of the month it was given in: nothing finer


@dataclass
class TextResult:
    question: Question
    comments: list[Comment] = field(default_factory=list)


@dataclass
class EvaluationResults:
    course: CoursePage
    since: date | None
    until: date | None
    responses: int
    questions: list[RatingResult | YesNoResult | TextResult]


def evaluated_courses() -> QuerySet:
    """Source courses with an evaluation page (published or not) or answers kept, by title."""
    paths = [path[: -Page.steplen] for path in EvaluationPage.objects.values_list("path", flat=True)]
    answered = EvaluationResponse.objects.values("course_id")
    return CoursePage.objects.filter(Q(path__in=paths) | Q(pk__in=answered)).filter(
        pk__in=_sources()
    ).order_by("title", "pk")


def _sources() -> QuerySet:
    # A translation's evaluation stores against the source: list only source courses.
    return CoursePage.objects.filter(locale_id=default_locale_id()).values("pk")


def evaluation_results(*, course: CoursePage, since: date | None = None, until: date | None = None) -> EvaluationResults:
    page = EvaluationPage.objects.child_of(course).order_by("path").first()
    questions = evaluation_questions(page) if page is not None else []
    results: dict[str, RatingResult | YesNoResult | TextResult] = {}
    for question in questions:
        kind = {RATING: RatingResult, YES_NO: YesNoResult, TEXT: TextResult}[question.kind]
        results[question.id] = kind(question)
    responses = EvaluationResponse.objects.filter(course=course)
    if since:
        responses = responses.filter(submitted_on__gte=since)
    if until:
        responses = responses.filter(submitted_on__lte=until)
    count = 0
    for answers, day in responses.order_by().values_list("answers", "submitted_on"):
        count += 1
        for question_id, value in (answers or {}).items():
            _count(results.get(question_id), value, day)
    for result in results.values():
        if isinstance(result, TextResult):
            result.comments.sort(key=lambda comment: (comment.text.casefold(), comment.text, comment.month))
    return EvaluationResults(course=course, since=since, until=until, responses=count, questions=list(results.values()))


def _count(result: RatingResult | YesNoResult | TextResult | None, value: object, day: date) -> None:
    """Add one answer; an answer to a question since removed, or of a kind that no longer
    matches (staff changed the form), is left out."""
    if isinstance(result, RatingResult) and type(value) is int and 1 <= value <= 5:
        result.counts[value - 1] += 1
    elif isinstance(result, YesNoResult) and type(value) is bool:
        if value:
            result.yes += 1
        else:
            result.no += 1
    elif isinstance(result, TextResult) and isinstance(value, str) and value.strip():
        result.comments.append(Comment(text=value.strip(), month=day.replace(day=1)))
