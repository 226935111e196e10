"""Reads for quiz pages, attempts and results, each in a fixed number of queries, and the
rule for whether a learner may start a new attempt (``check_may_start``)."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from accounts.models import User
from accounts.selectors import holders_of

from .. import permissions, scoring
from ..errors import AttemptRefused
from ..models import CoursePage, QuizAttempt, QuizPage
from . import snapshot

Status = QuizAttempt.Status
# Attempts with a result, or waiting for a reviewer's: what a regrade goes over.
FINISHED = (Status.GRADED, Status.NEEDS_REVIEW)


def check_may_start(quiz: QuizPage, previous: list[QuizAttempt], now: datetime) -> None:
    """Raise ``AttemptRefused`` (with ``opens_at`` for a wait) when a learner whose
    attempts at ``quiz`` are ``previous`` (in order) may not start another now."""
    if any(a.passed for a in previous):
        raise AttemptRefused(_("You have already passed this quiz."))
    if any(a.status == Status.NEEDS_REVIEW for a in previous):
        raise AttemptRefused(
            _(
                "A trainer is reading your written answers, which usually takes a few days. "
                "We will email you when your result is ready."
            )
        )
    if any(a.status == Status.SUBMITTED for a in previous):
        raise AttemptRefused(
            _("Your last attempt is being marked. This takes a few seconds: reload the page in a moment.")
        )
    if quiz.attempts_allowed and len(previous) >= quiz.attempts_allowed:
        raise AttemptRefused(
            ngettext(
                "You have used your %(count)s attempt at this quiz. "
                "Please contact the training team if you would like another.",
                "You have used all %(count)s attempts at this quiz. "
                "Please contact the training team if you would like another.",
                quiz.attempts_allowed,
            ) % {"count": quiz.attempts_allowed}
        )
    if previous and quiz.wait_minutes:
        opens_at = next_attempt_opens(quiz, previous[-1])
        if opens_at and opens_at > now:
            minutes = max(1, int((opens_at - now).total_seconds() + 59) // 60)
            raise AttemptRefused(
                ngettext(
                    "Take a break and look back over the lessons: you can try again in %(count)s minute.",
                    "Take a break and look back over the lessons: you can try again in %(count)s minutes.",
                    minutes,
                ) % {"count": minutes},
                opens_at=opens_at,
            )


def next_attempt_opens(quiz: QuizPage, last: QuizAttempt) -> datetime | None:
    if not quiz.wait_minutes or last.submitted_at is None:
        return None
    return last.submitted_at + timedelta(minutes=quiz.wait_minutes)


def learner_attempt(*, attempt_id: int, user: User) -> QuizAttempt | None:
    """The learner's own attempt; another learner's is None (the views answer 404)."""
    if not user.is_authenticated:
        return None
    return QuizAttempt.objects.select_related("quiz").filter(pk=attempt_id, user=user).first()


@dataclass
class QuizOverview:
    """What the quiz page shows a learner: the rules, their attempts, whether they can start."""

    quiz: QuizPage
    attempts: list[QuizAttempt]
    open_attempt: QuizAttempt | None = None
    can_start: bool = False
    reason: str = ""
    opens_at: datetime | None = None
    question_count: int = 0

    @property
    def passed(self) -> bool:
        return any(a.passed for a in self.attempts)

    @property
    def passed_attempt(self) -> QuizAttempt | None:
        """The attempt that passed (a passed quiz takes no more attempts)."""
        return next((a for a in self.attempts if a.passed), None)

    @property
    def attempts_left(self) -> int | None:
        """None when attempts are unlimited, and once passed: nothing is left to try."""
        if not self.quiz.attempts_allowed or self.passed:
            return None
        return max(0, self.quiz.attempts_allowed - len(self.attempts))


def quiz_overview(*, quiz: QuizPage, user: User, now: datetime | None = None) -> QuizOverview:
    now = now or timezone.now()
    attempts = list(QuizAttempt.objects.filter(quiz=quiz, user=user).order_by("number")) if user.is_authenticated else []
    own = len(quiz.questions)
    bank = len(quiz.bank.questions) if quiz.bank_id else 0
    count = own + (min(quiz.draw_count, bank) if quiz.draw_count else bank)
    overview = QuizOverview(quiz=quiz, attempts=attempts, question_count=count)
    overview.open_attempt = next((a for a in attempts if a.status == Status.IN_PROGRESS), None)
    if overview.open_attempt is None:
        try:
            check_may_start(quiz, attempts, now)
            overview.can_start = True
        except AttemptRefused as refusal:
            overview.reason = refusal.message
            overview.opens_at = refusal.opens_at  # only a wait has an end to show
    return overview


def open_attempt_questions(attempt: QuizAttempt) -> list[dict]:
    """The attempt's questions as an open attempt may show them, with the saved answers."""
    questions = snapshot.public(attempt.questions)
    for q in questions:
        q["answer"] = attempt.answers.get(q["id"])
    return questions


def seconds_left(attempt: QuizAttempt, now: datetime | None = None) -> int | None:
    if attempt.deadline is None:
        return None
    return max(0, int((attempt.deadline - (now or timezone.now())).total_seconds()))


@dataclass
class QuestionResult:
    question: dict
    answer: object
    # Per-question marks are feedback too (on a true-or-false question, "not right" is the
    # answer key): None unless the quiz's feedback policy allows it for this learner.
    awarded: Decimal | None
    possible: Decimal
    correct: bool | None
    # Only filled when the quiz's feedback policy allows it for this learner:
    explanation: str = ""
    option_feedback: list[str] = field(default_factory=list)
    correct_answer: str = ""
    marks: list[tuple[str, int, int]] = field(default_factory=list)  # reviewer's rubric marks


def shows_feedback(attempt: QuizAttempt, *, learner_passed: bool) -> bool:
    if attempt.status != Status.GRADED:
        return False
    if attempt.feedback == QuizPage.Feedback.AFTER_EACH:
        return True
    if attempt.feedback == QuizPage.Feedback.ONCE_PASSED:
        return learner_passed
    return False


def answer_text(question: dict, answer: scoring.Answer) -> str:
    if answer is None:
        return _("No answer")
    if question["type"] in (scoring.SINGLE, scoring.MULTIPLE):
        chosen = [answer] if isinstance(answer, str) else answer
        labels = {o["id"]: o["label"] for o in question["options"]}
        return "; ".join(labels.get(c, "?") for c in chosen)
    if question["type"] == scoring.TRUE_FALSE:
        return _("True") if answer else _("False")
    return str(answer)


def _correct_text(question: dict) -> str:
    kind = question["type"]
    if kind in (scoring.SINGLE, scoring.MULTIPLE):
        return "; ".join(o["label"] for o in question["options"] if o["correct"])
    if kind == scoring.TRUE_FALSE:
        return _("True") if question["answer"] else _("False")
    if kind == scoring.SHORT_TEXT:
        # The first accepted answer is the author's wording; the rest are spellings and
        # abbreviations the marking also takes, not answers to learn.
        return question["accepted"][0] if question["accepted"] else ""
    return ""


def attempt_results(attempt: QuizAttempt, *, with_feedback: bool) -> list[QuestionResult]:
    rows = []
    marked = with_feedback and attempt.status == Status.GRADED
    for q in attempt.questions:
        answer = attempt.answers.get(q["id"])
        result = attempt.results.get(q["id"], {})
        row = QuestionResult(
            question=snapshot.public([q])[0],
            answer=answer_text(q, answer),
            awarded=Decimal(result["awarded"]) if "awarded" in result and marked else None,
            possible=Decimal(q["points"]),
            correct=result.get("correct") if marked else None,
        )
        if q["type"] == scoring.WRITTEN and q["id"] in attempt.review:
            row.marks = [
                (c["criterion"], m, c["points"]) for c, m in zip(q["rubric"], attempt.review[q["id"]])
            ]
        if with_feedback:
            row.explanation = q.get("explanation", "")
            row.correct_answer = _correct_text(q)
            chosen = [answer] if isinstance(answer, str) else (answer or [])
            if "options" in q:
                row.option_feedback = [o["feedback"] for o in q["options"] if o["id"] in chosen and o["feedback"]]
        rows.append(row)
    return rows


# --- staff: the review queue ---------------------------------------------------------------


def waiting_for_review_count() -> int:
    return QuizAttempt.objects.filter(status=Status.NEEDS_REVIEW).count()


def queued_attempts(
    *, status: str, course: CoursePage | None = None, days: int | None = None, now: datetime
) -> QuerySet[QuizAttempt]:
    """Attempts in ``status``, oldest submission first (first come, first reviewed).

    Only the columns a row shows are loaded: an attempt's questions and answers, and a
    quiz page's own questions, are large JSON the queue never needs.
    """
    attempts = (
        QuizAttempt.objects.filter(status=status)
        .select_related("user", "quiz", "enrollment__course")
        .only(
            "number", "status", "submitted_at", "grading_error", "grading_tries",
            "user__email", "user__certificate_name",
            "quiz__title", "enrollment__course__title",
        )
        .order_by("submitted_at", "pk")
    )
    if course is not None:
        attempts = attempts.filter(enrollment__course=course)
    if days:
        attempts = attempts.filter(submitted_at__lte=now - timedelta(days=days))
    return attempts


def reviewers() -> QuerySet[User]:
    """Active people who hold the review permission through a group or directly."""
    return holders_of(permissions.REVIEW)


# --- staff: a quiz's attempts ------------------------------------------------------------


def attempts_to_regrade(*, quiz_id: int) -> list[int]:
    """The finished attempts at a quiz (``FINISHED``), oldest first."""
    return list(
        QuizAttempt.objects.filter(quiz_id=quiz_id, status__in=FINISHED).order_by("pk").values_list("pk", flat=True)
    )


def attempts_count(*, quiz_id: int, statuses: tuple[str, ...]) -> int:
    """How many attempts at a quiz are in one of ``statuses``."""
    return QuizAttempt.objects.filter(quiz_id=quiz_id, status__in=statuses).count()
