"""Staff review of written answers: the reviewer's rubric marks finish the grade, and the
learner is emailed their result once."""
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from kernel import emails

from ... import jobs, scoring
from ...errors import AttemptClosed, LearningError
from ...models import QuizAttempt
from ...services import enrollment_refresh_progress
from .grading import set_final, totals

Status = QuizAttempt.Status


def attempt_review(
    *, attempt_id: int, reviewer: User, scores: dict[str, list[int]], comment: str, now: datetime | None = None
) -> QuizAttempt:
    """Record a reviewer's rubric marks for every written answer and finish the grade.

    ``scores`` maps each written question's id to the points given per rubric criterion,
    in the rubric's order. The final score is the objective part (already graded) plus the
    rubric points. Refuses (``LearningError``) marks out of range or for the wrong
    questions, and an attempt that is not waiting for review (someone else finished it).
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().filter(pk=attempt_id).first()
        if attempt is None or attempt.status != Status.NEEDS_REVIEW:
            raise AttemptClosed(_("This attempt is not waiting for review (another reviewer may have finished it)."))
        written = {q["id"]: q for q in attempt.questions if q["type"] == scoring.WRITTEN}
        if set(scores) != set(written):
            raise LearningError(_("Give marks for every written answer."))
        review = {}
        results = dict(attempt.results)
        for qid, question in written.items():
            marks = scores[qid]
            rubric = question["rubric"]
            if len(marks) != len(rubric) or any(
                not isinstance(m, int) or isinstance(m, bool) or not 0 <= m <= c["points"] for m, c in zip(marks, rubric)
            ):
                raise LearningError(_("Each mark must be a whole number between 0 and the criterion's points."))
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
