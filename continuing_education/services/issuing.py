"""Issuing CE certificates: one per learner, course and approval, once every rule of the
approval is met (``selectors.eligibility``, ``credit.py``).

- ``ce_request`` asks for an evaluation in the caller's transaction (a completed course,
  a passed quiz, an evaluation submitted, a licence saved); the task follows on commit,
  and the request's ``CECheck.due_at`` lets the sweep find it if the message is lost.
- ``ce_evaluate`` issues what the learner qualifies for, then settles the check: when to
  look again (the moment the daily cap lets the rest be credited) and, once the course is
  completed, one email about what is still unmet (never twice for the same state).
- ``ce_certificate_issue`` copies the figures as they are at issue, backed by the
  one-certificate-per-learner-course-approval constraint: two tasks at once issue one.
"""
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from certification import codes
from courses.models import CoursePage, Enrollment

from .. import jobs
from ..events import ce_certificate_changed
from ..models import Approval, CECertificate, CECertificateEvent, CECheck, CourseApproval, ProfessionalLicence
from ..selectors import READY, ApprovalStanding, CourseStanding, ce_standing
from .notices import ce_notify_unmet
from .staff import certificate_figures

STUCK_AFTER = timedelta(minutes=10)
LONGEST_WAIT = timedelta(days=1)

Kind = CECertificateEvent.Kind


def backoff(tries: int) -> timedelta:
    """How long the sweep waits after its ``tries``-th try before the next."""
    return min(STUCK_AFTER * 2 ** min(tries, 10), LONGEST_WAIT)


def ce_request(*, user_id: int, course_id: int) -> None:
    """Ask for the learner's CE in a course (its source page) to be evaluated: in the
    caller's transaction, the task after commit. Courses without approvals are skipped."""
    if not CourseApproval.objects.filter(course_id=course_id).exists():
        return
    _mark_due(user_id=user_id, course_ids=[course_id])


def ce_request_for_user(*, user_id: int) -> None:
    """Every course with CE approvals the learner is enrolled in (their licence changed)."""
    course_ids = sorted(set(
        CourseApproval.objects.filter(course__enrollments__user_id=user_id).values_list("course_id", flat=True)
    ))
    if course_ids:
        _mark_due(user_id=user_id, course_ids=course_ids)


def _mark_due(*, user_id: int, course_ids: list[int]) -> None:
    due = timezone.now() + STUCK_AFTER
    # One statement (INSERT ... ON CONFLICT DO UPDATE): requests at once leave one row.
    CECheck.objects.bulk_create(
        [CECheck(user_id=user_id, course_id=course_id, due_at=due, tries=0) for course_id in course_ids],
        update_conflicts=True, unique_fields=["user", "course"], update_fields=["due_at", "tries"],
    )
    for course_id in course_ids:
        jobs.evaluate_ce.enqueue_on_commit(user_id, course_id)


def ce_evaluate(*, user_id: int, course_id: int, now: datetime | None = None) -> list[CECertificate]:
    """Issue every CE certificate of the course the learner now qualifies for; returns
    those this call created. Safe to repeat and to run at once (see the module)."""
    now = now or timezone.now()
    seen_at = CECheck.objects.filter(user_id=user_id, course_id=course_id).values_list("due_at", flat=True).first()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    course = CoursePage.objects.filter(pk=course_id).first()
    if user is None or course is None:
        return []
    standing = ce_standing(user=user, course=course, now=now)
    if standing is None:
        return []
    issued = []
    for approval_standing in standing.approvals:
        if approval_standing.status == READY:
            certificate, created = ce_certificate_issue(user=user, standing=approval_standing, enrollment=standing.enrollment, now=now)
            if created:
                issued.append(certificate)
    if issued:  # what is left to say is said by the "issued" email
        standing = ce_standing(user=user, course=course, now=now) or standing
    _settle(user=user, course=course, standing=standing, seen_at=seen_at, now=now)
    return issued


def _settle(*, user: User, course: CoursePage, standing: CourseStanding, seen_at: datetime | None, now: datetime) -> None:
    waits = [a.rest_at for a in standing.approvals if a.rest_at is not None]
    with transaction.atomic():
        CECheck.objects.bulk_create([CECheck(user=user, course=course)], ignore_conflicts=True)
        check = CECheck.objects.select_for_update().get(user=user, course=course)
        # A request made since this run read the row has its own task: leave its time.
        if check.due_at == seen_at or check.due_at is None:
            check.due_at = min(waits) if waits else None
            check.tries = 0
        check.save(update_fields=["due_at", "tries"])
        if standing.completed:
            ce_notify_unmet(check=check, standing=standing, now=now)


def _already_issued(*, user: User, course: CoursePage, approval: Approval) -> CECertificate | None:
    # Saves work in the usual case; two tasks that both pass it meet at the constraint.
    return CECertificate.objects.filter(holder=user, course=course, approval=approval).first()


def ce_certificate_issue(
    *, user: User, standing: ApprovalStanding, enrollment: Enrollment | None, now: datetime
) -> tuple[CECertificate, bool]:
    """Create the CE certificate for one learner, course and approval (or find the one a
    concurrent task created), with the figures as they are now: editing the course's
    hours or the approval later never changes it. The PDF and the email follow in tasks."""
    course_approval = standing.course_approval
    approval = course_approval.approval
    course = course_approval.course
    existing = _already_issued(user=user, course=course, approval=approval)
    if existing is not None:
        return existing, False
    licence = ProfessionalLicence.objects.filter(user=user).first()
    if licence is None:  # removed since the standing was read: the next evaluation says so
        raise LookupError("The learner's professional licence is gone.")
    # The same figures staff's partial credit copies (services.staff.certificate_figures).
    fields = certificate_figures(
        user=user, course=course, approval=approval, licence=licence, hours=course_approval.hours,
        completed_at=standing.completed_at, issued_at=now,
        time_on_task_seconds=getattr(enrollment, "time_spent_seconds", 0) or standing.credit.studied_seconds,
    )
    for _ in range(3):  # a code collision (2^-100) is retried, a second certificate is not
        try:
            with transaction.atomic():
                certificate = CECertificate.objects.create(code=codes.new_code(), **fields)
                CECertificateEvent.objects.create(
                    certificate=certificate, kind=Kind.ISSUED, at=now,
                    detail={
                        "hours": str(certificate.hours), "approval": approval.pk,
                        "completed_at": certificate.completed_at.isoformat(), "holder_name": certificate.holder_name,
                    },
                )
                ce_certificate_changed.send(
                    sender=CECertificate, certificate_id=certificate.pk, code=certificate.code, kind=Kind.ISSUED
                )
                jobs.render_ce_certificate.enqueue_on_commit(certificate.pk)
                jobs.ce_certificate_issued_email.enqueue_on_commit(certificate.pk)
                return certificate, True
        except IntegrityError:
            existing = CECertificate.objects.filter(holder=user, course=course, approval=approval).first()
            if existing is not None:
                return existing, False
    raise RuntimeError("Could not allocate a CE certificate code")
