"""A demo organisation for ``manage.py seed_demo``: Riverside Recovery Centre, a
treatment service training its staff on the facilitator course.

- its manager (the ``manager@example.org`` demo login, ``courses/demo/people.py``) owns it;
- staff granted it 10 seats by hand against an invoice paid outside the platform;
- four of its staff hold seats and are at different points of the course (one has
  passed the first module's check, one has just started, one has not begun, and one has
  finished everything but the marking of her final assessment's written answer, which
  waits in the reviewers' queue);
- one more invitation is waiting for an answer.

Found by name, people by email, the grant by its note: running the seed again creates
nothing new. Everything goes through the same services as the real thing (seats granted
and taken, lessons completed, a quiz attempt submitted and graded), so the manager's
dashboard shows what it would show for real staff. Staff accounts get no password: they
are there to be seen by their manager, not to sign in.
"""
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from courses import services as learning
from courses.assessment import services as quizzes
from courses.demo.people import ensure_person
from courses.models import Enrollment, LessonPage, QuizAttempt, QuizPage
from courses.outline import build_outline
from courses.selectors import completed_item_ids

from . import services
from .models import Invitation, Membership, Organisation, SeatChange, SeatPool

NAME = "Riverside Recovery Centre"
BILLING_EMAIL = "accounts@riverside-recovery.example"
SEATS = 10
INVOICE_NOTE = "Demo invoice INV-2026-014"


ALL = 1_000  # more items than any course has: take it to the end


@dataclass(frozen=True)
class StaffMember:
    email: str
    name: str
    lessons_done: int  # how many of the course's first items to complete (quizzes passed)
    days_ago: int  # when they were last active


STAFF = [
    StaffMember("priya.raman@riverside-recovery.example", "Priya Raman", lessons_done=6, days_ago=2),
    StaffMember("tomasz.nowak@riverside-recovery.example", "Tomasz Nowak", lessons_done=2, days_ago=9),
    StaffMember("grace.okafor@riverside-recovery.example", "Grace Okafor", lessons_done=0, days_ago=0),
    # Every lesson and check done; the final assessment's written answer waits for a reviewer
    # (the reviewer demo login finds it in the review queue).
    StaffMember("amara.osei@riverside-recovery.example", "Amara Osei", lessons_done=ALL, days_ago=1),
]
PENDING = ("daniel.reyes@riverside-recovery.example", "Daniel Reyes")


def ensure_demo_organisation(*, course, manager: User, granted_by: User) -> int:
    """Create whatever part of the demo organisation is missing; returns 1 if the
    organisation itself was created now, else 0. Call inside a transaction."""
    now = timezone.now()
    organisation = Organisation.objects.filter(name=NAME).first()
    created = organisation is None
    if created:
        organisation = services.organisation_create(
            user=manager, name=NAME, kind=Organisation.Kind.TREATMENT, country="GB", billing_email=BILLING_EMAIL,
        )
        # Set up a few weeks ago, so that its history reads in order.
        Organisation.objects.filter(pk=organisation.pk).update(created_at=now - timedelta(days=35))
        Membership.objects.filter(organisation=organisation, user=manager).update(joined_at=now - timedelta(days=35))
    else:
        services.membership_join(organisation_id=organisation.pk, user=manager, role=Membership.Role.OWNER)

    pool = SeatPool.objects.filter(organisation=organisation, course=course).first()
    if pool is None or not SeatChange.objects.filter(pool=pool, kind=SeatChange.Kind.GRANT, note=INVOICE_NOTE).exists():
        pool = services.seats_grant(
            organisation_id=organisation.pk, course=course, quantity=SEATS, by=granted_by, note=INVOICE_NOTE
        )
        SeatChange.objects.filter(pool=pool, note=INVOICE_NOTE).update(created_at=now - timedelta(days=32))

    for spec in STAFF:
        person = ensure_person(spec.email, spec.name)
        services.membership_join(organisation_id=organisation.pk, user=person, now=now - timedelta(days=30))
        taken = services.seat_take(organisation_id=organisation.pk, user=person, course=course,
                                   now=now - timedelta(days=28))
        _progress(taken.enrollment, course, spec, now=now)

    email, name = PENDING
    invitation = Invitation.objects.filter(
        organisation=organisation, email__iexact=email, course=course, status=Invitation.Status.PENDING
    ).first()
    if invitation is None:
        Invitation.objects.create(
            organisation=organisation, email=email, name=name, course=course, invited_by=manager,
            created_at=now - timedelta(days=3), sent_at=now - timedelta(days=3),
            expires_at=now + timedelta(days=settings.ORGANISATIONS_INVITATION_DAYS - 3),
        )
    elif invitation.is_expired(now):  # an old demo database: keep the link usable
        invitation.expires_at = now + timedelta(days=settings.ORGANISATIONS_INVITATION_DAYS)
        invitation.save(update_fields=["expires_at"])
    return int(created)


def _progress(enrollment: Enrollment, course, spec: StaffMember, *, now) -> None:
    """Complete the course's first ``lessons_done`` items in order (passing quizzes with
    their own answer key), spread over the days before ``days_ago``."""
    if not spec.lessons_done or enrollment.status == Enrollment.Status.WITHDRAWN:
        return
    outline = build_outline(course, course_url="")
    items = outline.items[: spec.lessons_done]
    # Two days apart, or closer for a long stretch: all of it after the seat was taken.
    step = min(2.0, 26 / len(items))
    done = completed_item_ids(enrollment=enrollment)
    for n, item in enumerate(items):
        if item.id in done:
            continue
        when = now - timedelta(days=spec.days_ago + step * (len(items) - 1 - n), hours=len(items) - n)
        if item.kind == "lesson":
            lesson = LessonPage.objects.get(pk=item.id)
            learning.lesson_view_record(enrollment=enrollment, lesson=lesson, now=when - timedelta(minutes=18))
            enrollment.refresh_from_db()
            learning.lesson_complete(enrollment=enrollment, lesson=lesson, now=when)
        elif not _pass_quiz(enrollment, QuizPage.objects.get(pk=item.id), now=when):
            return  # a course taken in order keeps the rest closed until it is passed


def _pass_quiz(enrollment: Enrollment, quiz: QuizPage, *, now) -> bool:
    """Take the quiz once with its own answer key; whether it is passed."""
    attempts = QuizAttempt.objects.filter(user=enrollment.user, quiz=quiz)
    if attempts.filter(passed=True).exists():
        return True
    if attempts.filter(status=QuizAttempt.Status.NEEDS_REVIEW).exists():
        return False  # waiting for a reviewer: a second run of the seed adds no attempt
    attempt = quizzes.attempt_start(user=enrollment.user, quiz=quiz, now=now - timedelta(minutes=6))
    answers = {q["id"]: _key(q) for q in attempt.questions}
    quizzes.attempt_submit(attempt_id=attempt.pk, user=enrollment.user, answers=answers, now=now)
    # Graded here rather than by the queued task (which then finds nothing to do), so
    # the next lessons of a course taken in order open for the rest of the seed.
    attempt = quizzes.attempt_grade(attempt_id=attempt.pk, now=now)
    return bool(attempt and attempt.passed)


def _key(question: dict):
    """The right answer to an objective question, from the attempt's own snapshot."""
    kind = question["type"]
    if kind == "single":
        return next(o["id"] for o in question["options"] if o["correct"])
    if kind == "multiple":
        return [o["id"] for o in question["options"] if o["correct"]]
    if kind == "true_false":
        return question["answer"]
    if kind == "short_text":
        return question["accepted"][0]
    # A written answer waits for a reviewer: the attempt is then not passed (yet).
    return (
        "I would thank them warmly for coming and for saying how hard tonight is. I would remind the group, "
        "gently, that we share experience rather than advice unless it is asked for, and ask whether they "
        "would like to try a tool together, such as listing the costs and benefits of using. After check-out "
        "I would offer a quiet word and make sure they know where to find support tonight."
    )
