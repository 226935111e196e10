"""Taking a quiz: starting an attempt, saving answers, submitting, and the sweep that
keeps attempts moving (time limits that ran out, grading that went missing).

Each step locks the attempt row and checks the state it expects first, so a repeated or
concurrent call (two browser tabs, a redelivered Celery message, the sweeper racing a
worker) finds the work done and changes nothing.
"""
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ... import jobs, scoring
from ...errors import AnswerError, AttemptClosed, LearningError
from ...models import Enrollment, QuizAttempt, QuizPage
from ...outline import build_outline
from ...selectors import course_for_page
from ...services import item_check_open
from .. import snapshot
from ..answers import answer_message, clean_answer
from ..selectors import check_may_start

# The network and a slow phone get this long after the time limit before answers are refused.
GRACE = timedelta(seconds=30)
# A submitted attempt not graded within this long is enqueued again by the sweeper ...
STUCK_AFTER = timedelta(minutes=2)
# ... at most this many times in all, then it is marked failed for staff to look at.
MAX_GRADING_TRIES = 5

Status = QuizAttempt.Status


# --- starting ----------------------------------------------------------------------------


def attempt_start(*, user: User, quiz: QuizPage, now: datetime | None = None) -> QuizAttempt:
    """Open an attempt (or return the one already open) for an enrolled learner.

    The enrolment row is locked while the limits are checked, so two "start" requests at
    the same moment queue: the second finds the first's open attempt and resumes it.
    """
    now = now or timezone.now()
    course = course_for_page(quiz)
    if course is None or not quiz.live:
        raise LearningError(_("This quiz is not open."))
    with transaction.atomic():
        enrollment = (
            Enrollment.objects.select_for_update()
            .filter(user=user, course=course)
            .exclude(status=Enrollment.Status.WITHDRAWN)
            .first()
        )
        if enrollment is None:
            raise LearningError(_("Enrol in the course to take this quiz."))
        outline = build_outline(course, course_url="")
        if quiz.id not in outline.by_id:
            raise LearningError(_("This quiz is not open."))
        item_check_open(
            enrollment=enrollment, course=course, outline=outline, item_id=quiz.id, user=user,
            locked_message=_("Complete the lessons before this quiz first."),
        )

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


# --- answering ---------------------------------------------------------------------------


def _locked_open_attempt(*, attempt_id: int, user: User, closed: str) -> QuizAttempt:
    """The learner's attempt, locked; ``AttemptClosed`` (``closed``) once it is submitted."""
    attempt = QuizAttempt.objects.select_for_update().filter(pk=attempt_id, user=user).first()
    if attempt is None:
        # Someone else's attempt is reported exactly like one that does not exist.
        raise QuizAttempt.DoesNotExist
    if not attempt.is_open:
        raise AttemptClosed(closed)
    return attempt


def _time_is_up(attempt: QuizAttempt, now: datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + GRACE


def _with_answers(attempt: QuizAttempt, raw: dict) -> dict:
    """The attempt's answers with ``raw`` (question id → raw answer) cleaned and laid over
    them; an empty answer clears one. Bad input raises ``AnswerError``."""
    by_id = {q["id"]: q for q in attempt.questions}
    cleaned = {}
    for qid, value in raw.items():
        question = by_id.get(qid)
        if question is None:
            raise AnswerError(_("This question is not part of your attempt."), question_id=qid)
        try:
            cleaned[qid] = clean_answer(question, value)
        except scoring.InvalidAnswer as error:
            raise AnswerError(answer_message(error), question_id=qid) from error
    merged = {**attempt.answers, **cleaned}
    return {k: v for k, v in merged.items() if v is not None}


def attempt_save_answers(*, attempt_id: int, user: User, answers: dict, now: datetime | None = None) -> QuizAttempt:
    """Keep the learner's answers so far (a reload or a lost connection loses nothing).

    ``answers`` maps question ids to raw answers (as a form or the page's script sends
    them); an empty answer clears one. Bad input raises ``AnswerError`` and stores nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked_open_attempt(
            attempt_id=attempt_id, user=user,
            closed=_("This attempt has been submitted, so its answers can no longer change."),
        )
        if _time_is_up(attempt, now):
            raise AttemptClosed(_("The time for this attempt is over; your saved answers have been kept."))
        attempt.answers = _with_answers(attempt, answers)
        attempt.save(update_fields=["answers"])
        return attempt


def attempt_submit(
    *, attempt_id: int, user: User, answers: dict | None = None, now: datetime | None = None
) -> QuizAttempt:
    """Store the final answers, mark the attempt submitted and enqueue grading on commit.

    Every question must be answered (``AnswerError`` names the first that is not, and
    nothing is stored). After the time limit (and its grace), the answers saved in time
    are submitted as they are and new ones are ignored.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked_open_attempt(
            attempt_id=attempt_id, user=user, closed=_("This attempt has already been submitted.")
        )
        if _time_is_up(attempt, now):
            _mark_submitted(attempt, now=now, timed_out=True)
            return attempt
        merged = _with_answers(attempt, answers or {})
        try:
            scoring.score_attempt(attempt.questions, merged)  # every answer present and valid
        except scoring.InvalidAnswer as error:
            raise AnswerError(answer_message(error), question_id=error.question_id) from error
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


# --- keeping work moving -----------------------------------------------------------------


def attempts_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Periodic: submit open attempts whose time is over, re-enqueue attempts stuck in
    "submitted" (a lost message, a broker restart), and give up on those that have been
    enqueued ``MAX_GRADING_TRIES`` times. Returns counts for the log."""
    now = now or timezone.now()
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
