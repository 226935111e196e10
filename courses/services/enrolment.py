"""Places on courses: a learner enrolling in a free course, and places decided elsewhere
(a paid or waived order, an organisation's seat, staff)."""
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User

from .. import restrictions
from ..errors import LearningError, PartnersOnly, PaymentRequired
from ..events import place_given
from ..models import CoursePage, Enrollment


def enrollment_create(
    *, user: User, course: CoursePage, source: str = Enrollment.Source.FREE
) -> tuple[Enrollment, bool]:
    """Enrol ``user`` in ``course``; returns (enrollment, created). Enrolling twice is a no-op.

    A partners-only course takes only members of partner organisations, except for a
    place decided by an organisation (a seat: the invitation made them a member) or by
    staff.
    """
    if not course.live:
        raise LearningError(_("This course is not open for enrolment."))
    if source == Enrollment.Source.FREE and not course.is_free:
        raise PaymentRequired(
            _("This course has a fee: please pay at checkout, or use a discount or scholarship code there.")
        )
    existing = Enrollment.objects.filter(user=user, course=course).first()
    if existing:
        return existing, False
    if source not in (Enrollment.Source.SEAT, Enrollment.Source.STAFF) and not restrictions.may_enrol(course, user):
        raise PartnersOnly(str(restrictions.COURSE_MESSAGE))
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(user=user, course=course, source=source)
            _announce_place(enrollment)
            return enrollment, True
    except IntegrityError:
        # A concurrent request enrolled the same person first: theirs stands.
        return Enrollment.objects.get(user=user, course=course), False


def _announce_place(enrollment: Enrollment) -> None:
    """Tell other apps (``events.place_given``), in the transaction that gave the place."""
    place_given.send(
        sender=Enrollment, enrollment_id=enrollment.pk, user_id=enrollment.user_id,
        course_id=enrollment.course_id, source=enrollment.source,
    )


def enrollment_give_place(*, user: User, course: CoursePage, source: str) -> Enrollment:
    """A place decided elsewhere: a paid or waived order, an organisation's seat, staff.
    Makes the enrolment, or brings back a withdrawn one with ``source``; one already held
    is returned as it is. No check of the course's state or partner rule: the caller
    decided (a place paid for stays the learner's even if the course was withdrawn in
    the meantime). Call inside a transaction: the enrolment row is locked."""
    enrollment = Enrollment.objects.select_for_update().filter(user=user, course=course).first()
    if enrollment is None:
        try:
            with transaction.atomic():
                enrollment = Enrollment.objects.create(user=user, course=course, source=source)
        except IntegrityError:  # made a moment ago by a concurrent request: lock theirs
            enrollment = Enrollment.objects.select_for_update().get(user=user, course=course)
        else:
            _announce_place(enrollment)
            return enrollment
    if enrollment.status == Enrollment.Status.WITHDRAWN:
        enrollment.status = Enrollment.Status.COMPLETED if enrollment.completed_at else Enrollment.Status.ACTIVE
        enrollment.source = source
        enrollment.save(update_fields=["status", "source"])
        _announce_place(enrollment)
    return enrollment
