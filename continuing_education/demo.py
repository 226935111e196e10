"""Continuing education in the demo, for ``manage.py seed_demo``: an example accrediting
body and approval, Meeting Facilitator Training carrying CE hours under it, the course's
evaluation page, and a CE certificate the demo learner holds.

The body is made up and says so in its name, and its provider number (``DEMO-0000``) is
a demo value, not a real approval: printed on a CE certificate, it must not read as one
from a real board. The approval runs for three years around the demo's dates.

The certificate is earned, not written: the learner is given a place on the course by
staff, studies every lesson and quiz over two weeks (time on task from the same
heartbeats the lesson and quiz pages send, every 30 seconds, with the moments set in
the past), passes the module checks and the final assessment (its written answer marked
by the reviewer), submits the evaluation and records a licence; then the real issuing
service (``services.ce_evaluate``) issues the certificate, every rule of the approval
met. Only its code is then fixed, so that the README can name it (a real code is 100
random bits: ``certification/codes.py``).

Found by name (the body), provider number (the approval), slug (the evaluation page) and
holder (the certificate): running the seed again creates nothing new.
"""
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import override

from accounts.models import User
from certification.selectors import invalidate_verification
from courses import services as learning
from courses.assessment import services as quizzes
from courses.demo.build import Builder
from courses.demo.progress import key_answer
from courses.errors import LearningError
from courses.models import CoursePage, Enrollment, LessonPage, QuizAttempt, QuizPage
from courses.outline import build_outline
from courses.selectors import completed_item_ids
from courses.services.study_time import attempt_heartbeat

from . import services
from .blocks import default_questions
from .errors import EvaluationAlreadySubmitted
from .evaluation.services import evaluation_submit
from .models import (
    AccreditingBody, Approval, CECertificate, CourseApproval, EvaluationPage, EvaluationResponse,
    EvaluationSubmission, ProfessionalLicence,
)

BODY_NAME = "Example Board of Addiction Professionals (demo)"
BODY_SHORT_NAME = "EBAP (demo)"
PROVIDER_NUMBER = "DEMO-0000"
STATEMENT = (
    "Demo approval: the Example Board of Addiction Professionals is not a real body and "
    "provider number DEMO-0000 is a demo value, so these hours count towards no licence. "
    "A real approval's statement, as the body words it, is printed here."
)
APPROVAL_YEARS = 3
# The course is 8 hours long (courses/demo/facilitator): one CE hour per hour of it.
HOURS = Decimal("8")

EVALUATION_SLUG = "course-evaluation"
EVALUATION_TITLE = "Course evaluation"
EVALUATION_INTRO = (
    "<p>Tell us how the course went for you. Your answers are anonymous: staff see only "
    "totals and comments, never who wrote them. Submitting it is one of the requirements "
    "for a CE certificate.</p>"
)
# Stable block ids: answers are kept by question id, and ``--update`` must not orphan them.
QUESTION_IDS = uuid.UUID("8f3e1c52-6a0b-4d7e-b1c9-2e5a7d40f613")

LICENCE = {
    "profession": ProfessionalLicence.Profession.COUNSELLOR, "profession_other": "",
    "issuing_board": "Example State Licensing Board (demo)", "region": "Example State",
    "licence_number": "DEMO-LADC-0042",
}
CE_CODE = "DEM0CEHR2026MFT10001"
ENROLLED_DAYS_AGO = 40
STUDY_STARTS_DAYS_AGO = 30  # then an item or two an evening, for about two weeks
ITEMS_PER_EVENING = 2
EVENING_HOUR_UTC = 18
# The pages send one every 30 s and the server counts any gap up to 75 s: one a minute
# is real time on task too, at half the writes for the seed.
HEARTBEAT = timedelta(seconds=60)
QUIZ_MINUTES = {"final-assessment": 25}  # a module check takes about 6
WRITTEN_MARKS_LOST = 1  # the reviewer takes a point off the written answer


class CannotEarn(Exception):
    """The learner's record in an old demo database cannot earn the certificate."""


@dataclass
class DemoCE:
    approval: Approval
    evaluation: EvaluationPage
    certificate: CECertificate | None


def ensure_demo_ce(*, builder: Builder, course: CoursePage, learner: User, reviewer: User) -> DemoCE:
    """The example approval with ``course``'s CE hours, the course's evaluation page and
    ``learner``'s CE certificate (earned now if missing). Call inside a transaction: the
    PDF is rendered after the commit."""
    approval = ensure_approval(course=course)
    evaluation = ensure_evaluation_page(builder=builder, course=course)
    certificate = ensure_demo_ce_certificate(learner=learner, course=course, approval=approval,
                                             evaluation=evaluation, reviewer=reviewer)
    return DemoCE(approval=approval, evaluation=evaluation, certificate=certificate)


def approval_period(today: date) -> tuple[date, date]:
    """Three years from the first of the year half a year back: current for the demo's
    dates (its learner studied a month ago) and for long after."""
    start = date((today - timedelta(days=182)).year, 1, 1)
    return start, date(start.year + APPROVAL_YEARS, 1, 1) - timedelta(days=1)


def ensure_approval(*, course: CoursePage) -> Approval:
    """The example body, its approval (made current again in an old demo database whose
    approval has ended) and the course's CE hours under it (hours staff changed stay)."""
    body, _ = AccreditingBody.objects.get_or_create(name=BODY_NAME, defaults={"short_name": BODY_SHORT_NAME})
    today = timezone.localdate()
    approval = Approval.objects.filter(body=body, provider_number=PROVIDER_NUMBER).order_by("-approved_until").first()
    if approval is None:
        approved_from, approved_until = approval_period(today)
        approval = Approval.objects.create(
            body=body, provider_number=PROVIDER_NUMBER, statement=STATEMENT,
            approved_from=approved_from, approved_until=approved_until,
        )
    elif approval.approved_until < today:
        approval.approved_until = approval_period(today)[1]
        approval.save(update_fields=["approved_until"])
    CourseApproval.objects.get_or_create(approval=approval, course=course, defaults={"hours": HOURS})
    return approval


def evaluation_questions() -> list[dict]:
    """The usual questions (``blocks.default_questions``) in the site's language, with
    ids that stay the same from run to run."""
    with override(settings.LANGUAGE_CODE):
        questions = default_questions()
    return [
        {"type": kind, "id": str(uuid.uuid5(QUESTION_IDS, f"{n}/{kind}")), "value": value}
        for n, (kind, value) in enumerate(questions)
    ]


def ensure_evaluation_page(*, builder: Builder, course: CoursePage) -> EvaluationPage:
    return builder.ensure_page(
        course, EvaluationPage, slug=EVALUATION_SLUG, title=EVALUATION_TITLE, intro=EVALUATION_INTRO,
        questions=evaluation_questions(),
    )


def ensure_demo_ce_certificate(
    *, learner: User, course: CoursePage, approval: Approval, evaluation: EvaluationPage, reviewer: User
) -> CECertificate | None:
    """``learner``'s CE certificate for ``course`` under ``approval``, earned now if
    missing (see the module). None if the learner's record cannot earn it (an old demo
    database where they left the course or used up a quiz's attempts)."""
    held = CECertificate.objects.filter(holder=learner, course=course, approval=approval).first()
    if held is not None:
        return held
    now = timezone.now()
    enrollment = learning.enrollment_give_place(user=learner, course=course, source=Enrollment.Source.STAFF)
    if enrollment.status == Enrollment.Status.WITHDRAWN:
        return None
    if enrollment.enrolled_at > now - timedelta(days=ENROLLED_DAYS_AGO):
        Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=now - timedelta(days=ENROLLED_DAYS_AGO))
    try:
        finished_at = study_the_course(enrollment=enrollment, course=course, reviewer=reviewer, now=now)
    except (LearningError, CannotEarn):
        return None
    enrollment.refresh_from_db()
    if enrollment.status != Enrollment.Status.COMPLETED:
        return None
    # What a learner would long since have been told: no "well done" email from the seed.
    Enrollment.objects.filter(pk=enrollment.pk, completion_notified_at__isnull=True).update(
        completion_notified_at=enrollment.completed_at
    )
    evaluated_at = finished_at + timedelta(minutes=20)
    submit_evaluation(learner=learner, course=course, evaluation=evaluation, at=evaluated_at)
    if not ProfessionalLicence.objects.filter(user=learner).exists():
        services.licence_save(user=learner, **LICENCE)
    services.ce_evaluate(user_id=learner.pk, course_id=course.pk, now=evaluated_at + timedelta(minutes=2))
    certificate = CECertificate.objects.filter(holder=learner, course=course, approval=approval).first()
    if certificate is None:
        return None
    certificate.code = CE_CODE
    certificate.issued_notified_at = certificate.issued_at  # emailed when issued, as far as the demo goes
    certificate.save(update_fields=["code", "issued_notified_at"])
    invalidate_verification([CE_CODE])
    return certificate


def study_the_course(*, enrollment: Enrollment, course: CoursePage, reviewer: User, now: datetime) -> datetime:
    """Every item of the course in order, an item or two an evening from a month ago
    (items done already are skipped); returns when the last one was done."""
    outline = build_outline(course, course_url="")
    done = completed_item_ids(enrollment=enrollment)
    first_evening = (now - timedelta(days=STUDY_STARTS_DAYS_AGO)).replace(
        hour=EVENING_HOUR_UTC, minute=0, second=0, microsecond=0
    )
    finished = first_evening
    for n, item in enumerate(outline.items):
        starts = first_evening + timedelta(days=n // ITEMS_PER_EVENING) + (n % ITEMS_PER_EVENING) * timedelta(minutes=50)
        if item.id in done:
            continue
        if item.kind == "lesson":
            lesson = LessonPage.objects.get(pk=item.id)
            finished = study_lesson(enrollment, lesson, starts=starts)
        else:
            finished = take_quiz(enrollment, QuizPage.objects.get(pk=item.id), starts=starts, reviewer=reviewer)
    return finished


def study_lesson(enrollment: Enrollment, lesson: LessonPage, *, starts: datetime) -> datetime:
    """Open the lesson, read it for half as long again as its estimate (the reflection
    and the worksheet take time), heartbeats as the page sends them, then complete it."""
    learning.lesson_view_record(enrollment=enrollment, lesson=lesson, now=starts)
    ends = starts + timedelta(minutes=(lesson.estimated_minutes or 15) * 1.5)
    beat = starts + HEARTBEAT
    while beat <= ends:
        learning.lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.pk, now=beat)
        beat += HEARTBEAT
    learning.lesson_complete(enrollment=Enrollment.objects.get(pk=enrollment.pk), lesson=lesson, now=ends)
    return ends


def take_quiz(enrollment: Enrollment, quiz: QuizPage, *, starts: datetime, reviewer: User) -> datetime:
    """One attempt answered from the quiz's own key (a written answer marked by the
    reviewer, a point short of full marks), with heartbeats while it is open."""
    user = enrollment.user
    attempts = QuizAttempt.objects.filter(user=user, quiz=quiz)
    passed = attempts.filter(passed=True).order_by("graded_at").first()
    if passed is not None:
        return passed.graded_at
    waiting = attempts.filter(status=QuizAttempt.Status.NEEDS_REVIEW).first()
    if waiting is None:
        attempt = quizzes.attempt_start(user=user, quiz=quiz, now=starts)
        # Started then (the column takes the clock's time): heartbeats count from there.
        QuizAttempt.objects.filter(pk=attempt.pk).update(started_at=starts)
        ends = starts + timedelta(minutes=QUIZ_MINUTES.get(quiz.slug, 6))
        beat = starts + HEARTBEAT
        while beat <= ends:
            attempt_heartbeat(attempt_id=attempt.pk, user_id=user.pk, now=beat)
            beat += HEARTBEAT
        answers = {q["id"]: key_answer(q) for q in attempt.questions}
        quizzes.attempt_submit(attempt_id=attempt.pk, user=user, answers=answers, now=ends)
        waiting = quizzes.attempt_grade(attempt_id=attempt.pk, now=ends)
    if waiting.status == QuizAttempt.Status.NEEDS_REVIEW:
        marked_at = max(waiting.submitted_at or starts, starts) + timedelta(hours=20)
        waiting = quizzes.attempt_review(
            attempt_id=waiting.pk, reviewer=reviewer, comment="A warm, safe answer: well done.",
            scores=written_marks(waiting), now=marked_at,
        )
        # Told when it was marked, as far as the demo goes: no result email from the seed.
        QuizAttempt.objects.filter(pk=waiting.pk).update(result_notified_at=marked_at)
    if not waiting.passed:
        raise CannotEarn(quiz.title)
    return waiting.graded_at


def written_marks(attempt: QuizAttempt) -> dict[str, list[int]]:
    marks = {}
    for question in attempt.questions:
        if "rubric" in question:
            points = [criterion["points"] for criterion in question["rubric"]]
            points[-1] = max(points[-1] - WRITTEN_MARKS_LOST, 0)
            marks[question["id"]] = points
    return marks


def submit_evaluation(*, learner: User, course: CoursePage, evaluation: EvaluationPage, at: datetime) -> None:
    """The learner's answers to the evaluation, sent through the real service and dated
    when they were sent (an evaluation already received is left as it is)."""
    answers: dict[str, int | bool | str] = {}
    for block in evaluation.questions:
        if block.block_type == "rating":
            answers[block.id] = 5 if not answers else 4
        elif block.block_type == "yes_no":
            answers[block.id] = True
        elif not any(isinstance(a, str) for a in answers.values()):
            answers[block.id] = "More practice with difficult moments in meetings, please."
    try:
        response = evaluation_submit(user=learner, course=course, language=settings.LANGUAGE_CODE, answers=answers)
    except EvaluationAlreadySubmitted:
        return
    EvaluationSubmission.objects.filter(user=learner, course=course).update(submitted_at=at)
    EvaluationResponse.objects.filter(pk=response.pk).update(submitted_on=timezone.localdate(at))
