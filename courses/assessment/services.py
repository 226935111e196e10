"""Writes for quiz attempts: start, save answers, submit, grade, review, notify, sweep.

The only code that moves an attempt through its states (see ``courses.models.attempts``).
Each step locks the attempt row and checks the state it expects first, so a repeated or
concurrent call (two browser tabs, a redelivered Celery message, the sweeper racing a
worker) finds the work done and changes nothing.
"""
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import emails

from .. import jobs, restrictions, scoring
from ..models import Enrollment, QuizAttempt, QuizPage
from ..outline import build_outline
from ..selectors import completed_item_ids, course_for_page
from ..services import LearningError, LessonLocked, PartnersOnly, enrollment_refresh_progress
from . import snapshot
from .answers import clean_answer

# The network and a slow phone get this long after the time limit before answers are refused.
GRACE = timedelta(seconds=30)
# A submitted attempt not graded within this long is enqueued again by the sweeper ...
STUCK_AFTER = timedelta(minutes=2)
# ... at most this many times in all, then it is marked failed for staff to look at.
MAX_GRADING_TRIES = 5

Status = QuizAttempt.Status


class AttemptClosed(LearningError):
    """The attempt is no longer open (already submitted, or its time is over)."""


class AttemptRefused(LearningError):
    """A new attempt cannot start now (limit reached, waiting time, grading under way).
    ``opens_at``: when the waiting time ends, for a refusal that is only a wait."""

    def __init__(self, message: str, *, opens_at: datetime | None = None):
        super().__init__(message)
        self.opens_at = opens_at


class AnswerError(LearningError):
    def __init__(self, message: str, *, question_id: str | None = None):
        super().__init__(message)
        self.question_id = question_id


def _now(now):
    return now or timezone.now()


# --- starting ----------------------------------------------------------------------------


def attempt_start(*, user, quiz: QuizPage, now: datetime | None = None) -> QuizAttempt:
    """Open an attempt (or return the one already open) for an enrolled learner.

    The enrolment row is locked while the limits are checked, so two "start" requests at
    the same moment queue: the second finds the first's open attempt and resumes it.
    """
    now = _now(now)
    course = course_for_page(quiz)
    if course is None or not quiz.live:
        raise LearningError("This quiz is not open.")
    with transaction.atomic():
        enrollment = (
            Enrollment.objects.select_for_update()
            .filter(user=user, course=course)
            .exclude(status=Enrollment.Status.WITHDRAWN)
            .first()
        )
        if enrollment is None:
            raise LearningError("Enrol in the course to take this quiz.")
        outline = build_outline(course, course_url="")
        if quiz.id not in outline.by_id:
            raise LearningError("This quiz is not open.")
        closed = restrictions.closed_item_ids(outline, user)  # no query without partners-only modules
        if quiz.id in closed:
            raise PartnersOnly(restrictions.MODULE_MESSAGE)
        done = completed_item_ids(enrollment=enrollment)
        # A completed course locks nothing: what was published since is optional for the learner.
        finished = enrollment.status == Enrollment.Status.COMPLETED
        if not finished and quiz.id in outline.locked_ids(sequential=course.sequential, completed_ids=done, skip=closed):
            raise LessonLocked("Complete the lessons before this quiz first.")

        previous = list(QuizAttempt.objects.filter(user=user, quiz=quiz).order_by("number"))
        for attempt in previous:
            if attempt.status == Status.IN_PROGRESS:
                return attempt
        check_may_start(quiz, previous, now)
        questions = snapshot.take(quiz)
        deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
        try:
            with transaction.atomic():
                return QuizAttempt.objects.create(
                    user=user,
                    enrollment=enrollment,
                    quiz=quiz,
                    number=len(previous) + 1,
                    questions=questions,
                    pass_mark=quiz.pass_mark,
                    feedback=quiz.feedback,
                    deadline=deadline,
                )
        except IntegrityError:
            # Only reachable without the enrolment lock (e.g. a learner re-enrolled in
            # between); the constraint still keeps one open attempt.
            return QuizAttempt.objects.get(user=user, quiz=quiz, status=Status.IN_PROGRESS)


def check_may_start(quiz: QuizPage, previous: list[QuizAttempt], now: datetime) -> None:
    if any(a.passed for a in previous):
        raise AttemptRefused("You have already passed this quiz.")
    if any(a.status == Status.NEEDS_REVIEW for a in previous):
        raise AttemptRefused(
            "A trainer is reading your written answers, which usually takes a few days. "
            "We will email you when your result is ready."
        )
    if any(a.status == Status.SUBMITTED for a in previous):
        raise AttemptRefused("Your last attempt is being marked. This takes a few seconds: reload the page in a moment.")
    if quiz.attempts_allowed and len(previous) >= quiz.attempts_allowed:
        raise AttemptRefused(
            f"You have used all {quiz.attempts_allowed} attempts at this quiz. "
            "Please contact the training team if you would like another."
        )
    if previous and quiz.wait_minutes:
        opens_at = next_attempt_opens(quiz, previous[-1])
        if opens_at and opens_at > now:
            minutes = max(1, int((opens_at - now).total_seconds() + 59) // 60)
            raise AttemptRefused(
                f"Take a break and look back over the lessons: you can try again in {minutes} "
                f"minute{'s' if minutes != 1 else ''}.",
                opens_at=opens_at,
            )


def next_attempt_opens(quiz: QuizPage, last: QuizAttempt) -> datetime | None:
    if not quiz.wait_minutes or last.submitted_at is None:
        return None
    return last.submitted_at + timedelta(minutes=quiz.wait_minutes)


# --- answering ---------------------------------------------------------------------------


def _locked_open_attempt(*, attempt_id: int, user) -> QuizAttempt:
    attempt = QuizAttempt.objects.select_for_update().filter(pk=attempt_id, user=user).first()
    if attempt is None:
        # Someone else's attempt is reported exactly like one that does not exist.
        raise QuizAttempt.DoesNotExist
    return attempt


def _time_is_up(attempt: QuizAttempt, now: datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + GRACE


def _clean_answers(attempt: QuizAttempt, raw: dict) -> dict:
    by_id = {q["id"]: q for q in attempt.questions}
    cleaned = {}
    for qid, value in raw.items():
        question = by_id.get(qid)
        if question is None:
            raise AnswerError("This question is not part of your attempt.", question_id=qid)
        try:
            cleaned[qid] = clean_answer(question, value)
        except scoring.InvalidAnswer as error:
            raise AnswerError(error.message, question_id=qid) from error
    return cleaned


def attempt_save_answers(*, attempt_id: int, user, answers: dict, now: datetime | None = None) -> QuizAttempt:
    """Keep the learner's answers so far (a reload or a lost connection loses nothing).

    ``answers`` maps question ids to raw answers (as a form or the page's script sends
    them); an empty answer clears one. Bad input raises ``AnswerError`` and stores nothing.
    """
    now = _now(now)
    with transaction.atomic():
        attempt = _locked_open_attempt(attempt_id=attempt_id, user=user)
        if not attempt.is_open:
            raise AttemptClosed("This attempt has been submitted, so its answers can no longer change.")
        if _time_is_up(attempt, now):
            raise AttemptClosed("The time for this attempt is over; your saved answers have been kept.")
        merged = {**attempt.answers, **_clean_answers(attempt, answers)}
        attempt.answers = {k: v for k, v in merged.items() if v is not None}
        attempt.save(update_fields=["answers"])
        return attempt


def attempt_submit(*, attempt_id: int, user, answers: dict | None = None, now: datetime | None = None) -> QuizAttempt:
    """Store the final answers, mark the attempt submitted and enqueue grading on commit.

    Every question must be answered (``AnswerError`` names the first that is not, and
    nothing is stored). After the time limit (and its grace), the answers saved in time
    are submitted as they are and new ones are ignored.
    """
    now = _now(now)
    with transaction.atomic():
        attempt = _locked_open_attempt(attempt_id=attempt_id, user=user)
        if not attempt.is_open:
            raise AttemptClosed("This attempt has already been submitted.")
        if _time_is_up(attempt, now):
            _mark_submitted(attempt, now=now, timed_out=True)
            return attempt
        merged = {**attempt.answers, **_clean_answers(attempt, answers or {})}
        merged = {k: v for k, v in merged.items() if v is not None}
        try:
            scoring.score_attempt(attempt.questions, merged)  # every answer present and valid
        except scoring.InvalidAnswer as error:
            raise AnswerError(error.message, question_id=error.question_id) from error
        attempt.answers = merged
        _mark_submitted(attempt, now=now, timed_out=False)
        return attempt


def _mark_submitted(attempt: QuizAttempt, *, now: datetime, timed_out: bool) -> None:

    attempt.status = Status.SUBMITTED
    attempt.submitted_at = now
    attempt.timed_out = timed_out
    attempt.queued_at = now
    attempt.save(update_fields=["answers", "status", "submitted_at", "timed_out", "queued_at"])
    jobs.grade_attempt.enqueue_on_commit(attempt.pk)


# --- grading -----------------------------------------------------------------------------


def results_json(attempt_score: scoring.AttemptScore) -> dict:
    return {
        qid: {"awarded": str(s.awarded), "possible": str(s.possible), "correct": s.correct}
        for qid, s in attempt_score.per_question.items()
    }


def _passes(awarded: Decimal, possible: Decimal, pass_mark: int) -> bool:
    return Fraction(awarded) * 100 >= Fraction(pass_mark) * Fraction(possible)


def attempt_grade(*, attempt_id: int, now: datetime | None = None) -> QuizAttempt | None:
    """Grade a submitted attempt's objective questions.

    Completes the attempt, or hands it to the review queue when written answers wait for
    a person. Only a ``submitted`` attempt is graded: run twice, the second run finds it
    graded and does nothing. A broken question (``InvalidQuestion``) cannot mend by
    retrying, so the attempt is marked failed for staff at once.
    """
    now = _now(now)
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().filter(pk=attempt_id).first()
        if attempt is None or attempt.status != Status.SUBMITTED:
            return attempt
        try:
            result = scoring.score_attempt(attempt.questions, attempt.answers, allow_unanswered=attempt.timed_out)
        except (scoring.InvalidQuestion, scoring.InvalidAnswer) as error:
            attempt.status = Status.FAILED
            attempt.grading_error = f"{type(error).__name__}: {error}"
            attempt.save(update_fields=["status", "grading_error"])
            return attempt
        attempt.results = results_json(result)
        fields = ["results", "status"]
        if result.needs_review:
            attempt.status = Status.NEEDS_REVIEW
        else:
            set_final(attempt, result.awarded, result.possible, now=now)
            fields += ["score_awarded", "score_possible", "percent", "passed", "graded_at"]
        attempt.save(update_fields=fields)
        if attempt.passed:
            enrollment_refresh_progress(enrollment_id=attempt.enrollment_id, now=now)
        return attempt


def totals(results: dict) -> tuple[Decimal, Decimal]:
    """(awarded, possible) over an attempt's per-question results (exact 2-dp sums)."""
    awarded = sum((Decimal(r["awarded"]) for r in results.values()), Decimal("0.00"))
    possible = sum((Decimal(r["possible"]) for r in results.values()), Decimal("0.00"))
    return awarded, possible


def set_final(attempt: QuizAttempt, awarded: Decimal, possible: Decimal, *, now: datetime) -> None:
    attempt.status = Status.GRADED
    attempt.score_awarded = awarded
    attempt.score_possible = possible
    attempt.percent = scoring.round_2dp(Fraction(awarded) * 100 / Fraction(possible))
    attempt.passed = _passes(awarded, possible, attempt.pass_mark)
    attempt.graded_at = now


def attempt_grading_failed(*, attempt_id: int, error: str, final: bool) -> None:
    """Record a grading error; ``final`` (retries used up) marks the attempt failed."""
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().filter(pk=attempt_id, status=Status.SUBMITTED).first()
        if attempt is None:
            return
        attempt.grading_error = error[:2000]
        attempt.grading_tries += 1
        if final:
            attempt.status = Status.FAILED
        attempt.save(update_fields=["grading_error", "grading_tries", "status"])


def attempt_requeue(*, attempt_id: int) -> bool:
    """Staff send a failed attempt back for grading (after fixing what broke it)."""

    with transaction.atomic():
        updated = QuizAttempt.objects.filter(pk=attempt_id, status=Status.FAILED).update(
            status=Status.SUBMITTED, grading_tries=0, grading_error="", queued_at=timezone.now()
        )
        if updated:
            jobs.grade_attempt.enqueue_on_commit(attempt_id)
        return bool(updated)


# --- staff review ------------------------------------------------------------------------


def attempt_review(
    *, attempt_id: int, reviewer, scores: dict[str, list[int]], comment: str, now: datetime | None = None
) -> QuizAttempt:
    """Record a reviewer's rubric marks for every written answer and finish the grade.

    ``scores`` maps each written question's id to the points given per rubric criterion,
    in the rubric's order. The final score is the objective part (already graded) plus the
    rubric points. Refuses (``LearningError``) marks out of range or for the wrong
    questions, and an attempt that is not waiting for review (someone else finished it).
    """

    now = _now(now)
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().filter(pk=attempt_id).first()
        if attempt is None or attempt.status != Status.NEEDS_REVIEW:
            raise AttemptClosed("This attempt is not waiting for review (another reviewer may have finished it).")
        written = {q["id"]: q for q in attempt.questions if q["type"] == scoring.WRITTEN}
        if set(scores) != set(written):
            raise LearningError("Give marks for every written answer.")
        review = {}
        results = dict(attempt.results)
        for qid, question in written.items():
            marks = scores[qid]
            rubric = question["rubric"]
            if len(marks) != len(rubric) or any(
                not isinstance(m, int) or isinstance(m, bool) or not 0 <= m <= c["points"] for m, c in zip(marks, rubric)
            ):
                raise LearningError("Each mark must be a whole number between 0 and the criterion's points.")
            review[qid] = marks
            got = sum(marks)
            results[qid] = {
                "awarded": f"{got}.00",
                "possible": f"{question['points']}.00",
                "correct": got == question["points"],
            }
        awarded, possible = totals(results)
        attempt.review = review
        attempt.results = results
        attempt.reviewer_comment = comment.strip()
        attempt.reviewed_by = reviewer
        attempt.reviewed_at = now
        set_final(attempt, awarded, possible, now=now)
        attempt.save()
        if attempt.passed:
            enrollment_refresh_progress(enrollment_id=attempt.enrollment_id, now=now)
        jobs.attempt_result_email.enqueue_on_commit(attempt.pk)
        return attempt


def attempt_notify_result(*, attempt_id: int) -> bool:
    """Email the learner that a reviewed result is ready, once (marked under the row lock
    in the same transaction as the send, so a failed send is retried and a repeat is not)."""
    with transaction.atomic():
        attempt = (
            QuizAttempt.objects.select_for_update(of=("self",))
            .select_related("user", "quiz")
            .filter(pk=attempt_id, status=Status.GRADED)
            .first()
        )
        if attempt is None or attempt.result_notified_at is not None:
            return False
        emails.send_templated(
            template="courses/email/attempt_result",
            context={"attempt": attempt, "user": attempt.user, "quiz": attempt.quiz},
            to=[attempt.user.email],
        )
        attempt.result_notified_at = timezone.now()
        attempt.save(update_fields=["result_notified_at"])
        return True


# --- keeping work moving -----------------------------------------------------------------


def attempts_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Periodic: submit open attempts whose time is over, re-enqueue attempts stuck in
    "submitted" (a lost message, a broker restart), and give up on those that have been
    enqueued ``MAX_GRADING_TRIES`` times. Returns counts for the log."""

    now = _now(now)
    counts = {"expired": 0, "requeued": 0, "failed": 0}
    overdue = QuizAttempt.objects.filter(status=Status.IN_PROGRESS, deadline__lt=now - GRACE)
    for attempt_id in overdue.values_list("pk", flat=True):
        with transaction.atomic():
            attempt = QuizAttempt.objects.select_for_update().filter(pk=attempt_id, status=Status.IN_PROGRESS).first()
            if attempt is not None:
                _mark_submitted(attempt, now=now, timed_out=True)
                counts["expired"] += 1
    stuck = QuizAttempt.objects.filter(status=Status.SUBMITTED, queued_at__lt=now - STUCK_AFTER)
    for attempt_id in stuck.values_list("pk", flat=True):
        with transaction.atomic():
            attempt = (
                QuizAttempt.objects.select_for_update(skip_locked=True)  # a worker is on it
                .filter(pk=attempt_id, status=Status.SUBMITTED)
                .first()
            )
            # Back off: wait longer after each try, so that a broker outage of some
            # minutes does not use up every try while nothing can be delivered anyway.
            if attempt is None or attempt.queued_at > now - STUCK_AFTER * (attempt.grading_tries + 1):
                continue
            attempt.grading_tries += 1
            attempt.queued_at = now
            if attempt.grading_tries >= MAX_GRADING_TRIES:
                attempt.status = Status.FAILED
                attempt.grading_error = attempt.grading_error or "Grading did not finish after repeated tries."
                counts["failed"] += 1
            else:
                jobs.grade_attempt.enqueue_on_commit(attempt.pk)
                counts["requeued"] += 1
            attempt.save(update_fields=["grading_tries", "queued_at", "status", "grading_error"])
    return counts
