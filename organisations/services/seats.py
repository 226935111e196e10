"""Writes about seats: pools made and changed (with their ledger), seats granted by staff,
taken by staff members and given back by managers."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from courses.models import CoursePage, Enrollment
from courses.services import enrollment_give_place
from payments.models import Order

from .. import selectors
from ..errors import OrganisationError, SeatsGone
from ..models import Invitation, Organisation, Seat, SeatChange, SeatPool


def pool_for(*, organisation_id: int, course_id: int) -> SeatPool:
    """The organisation's pool for the course, made empty the first time."""
    pool = SeatPool.objects.filter(organisation_id=organisation_id, course_id=course_id).first()
    if pool is not None:
        return pool
    try:
        with transaction.atomic():
            return SeatPool.objects.create(organisation_id=organisation_id, course_id=course_id)
    except IntegrityError:
        return SeatPool.objects.get(organisation_id=organisation_id, course_id=course_id)


def pool_change(
    pool: SeatPool, *, quantity: int, kind: str, order: Order | None = None, by: User | None = None,
    note: str = "", now: datetime | None = None,
) -> None:
    """Add (or remove) seats on a pool the caller has locked, with its ledger row."""
    if pool.total + quantity < pool.used:
        raise OrganisationError(
            gettext("%(used)s of the %(total)s seats are taken, so at most %(free)s can be removed.")
            % {"used": pool.used, "total": pool.total, "free": pool.free},
            "quantity",
        )
    pool.total += quantity
    pool.save(update_fields=["total"])
    SeatChange.objects.create(
        pool=pool, kind=kind, quantity=quantity, order=order, by=by if getattr(by, "pk", None) else None,
        note=note[:500], created_at=now or timezone.now(),
    )


def seats_grant(*, organisation_id: int, course: CoursePage, quantity: int, by: User, note: str = "") -> SeatPool:
    """Staff give seats by hand (an invoice paid outside the platform, a grant), or take
    back free ones with a negative quantity."""
    if not quantity:
        raise OrganisationError(gettext("Enter a number of seats other than 0."), "quantity")
    if not note.strip():
        raise OrganisationError(gettext("Say why, for example the invoice number or the grant."), "note")
    if quantity > 0 and course.partners_only and not Organisation.objects.filter(pk=organisation_id, is_partner=True).exists():
        raise OrganisationError(gettext("This course is only for partner organisations: mark the organisation as a partner first."), "course")
    with transaction.atomic():
        # Made inside the transaction: a refused change (removing seats from a course the
        # organisation has none on) leaves no empty pool behind.
        pool = pool_for(organisation_id=organisation_id, course_id=course.pk)
        pool = SeatPool.objects.select_for_update().get(pk=pool.pk)
        kind = SeatChange.Kind.GRANT if quantity > 0 else SeatChange.Kind.REMOVAL
        pool_change(pool, quantity=quantity, kind=kind, by=by, note=note)
    return pool


def _enrol_on_seat(*, user: User, course: CoursePage) -> Enrollment:
    """Enrol (or bring back a withdrawn enrolment) as an organisation seat."""
    return enrollment_give_place(user=user, course=course, source=Enrollment.Source.SEAT)


@dataclass
class SeatTaken:
    seat: Seat | None
    enrollment: Enrollment
    needed_seat: bool  # False: the person already had a place of their own


def seat_take(
    *, organisation_id: int, user: User, course: CoursePage, invitation: Invitation | None = None,
    now: datetime | None = None,
) -> SeatTaken:
    """Give the person a place on the course from the organisation's seats. Call inside a
    transaction. Someone who already has a place (paid themselves, a free course) keeps
    it and uses no seat. Raises ``SeatsGone`` when every seat is taken."""
    now = now or timezone.now()
    if not course.live:
        raise OrganisationError(gettext("This course is no longer open for enrolment. Ask your organisation about it."))
    if course.partners_only and not Organisation.objects.filter(pk=organisation_id, is_partner=True).exists():
        # Checked again here: the organisation may have lost partner status since inviting.
        raise OrganisationError(gettext("This course is only for members of partner organisations. Ask your organisation about it."))
    held = Enrollment.objects.filter(
        user=user, course=course, status__in=[Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED]
    ).first()
    if held is not None:
        return SeatTaken(seat=None, enrollment=held, needed_seat=False)
    if course.is_free:
        pool_for(organisation_id=organisation_id, course_id=course.pk)
    pool = SeatPool.objects.select_for_update().filter(organisation_id=organisation_id, course=course).first()
    if pool is not None:
        seat = Seat.objects.filter(pool=pool, user=user, released_at__isnull=True).first()
        if seat is not None:
            return SeatTaken(seat=seat, enrollment=_enrol_on_seat(user=user, course=course), needed_seat=True)
        if course.is_free and pool.used >= pool.total:
            # A free course has no limit: the place is added as it is taken, so the
            # dashboard and the ledger treat free and paid courses alike.
            pool_change(pool, quantity=1, kind=SeatChange.Kind.GRANT, note="Free course: a place for each person", now=now)
    if pool is None or pool.used >= pool.total:
        raise SeatsGone(gettext(
            "All the places your organisation has on this course have been taken. Your invitation still "
            "works: ask the person who invited you to add a place, then open the link again."
        ))
    SeatPool.objects.filter(pk=pool.pk).update(used=F("used") + 1)
    enrollment = _enrol_on_seat(user=user, course=course)
    seat = Seat.objects.create(pool=pool, user=user, enrollment=enrollment, invitation=invitation, taken_at=now)
    return SeatTaken(seat=seat, enrollment=enrollment, needed_seat=True)


def seat_release(*, organisation_id: int, seat_id: int, by: User, now: datetime | None = None) -> Seat:
    """A manager gives a seat back to the pool (the wrong person accepted, someone left
    before starting). Refused once the learner has made progress."""
    now = now or timezone.now()
    with transaction.atomic():
        seat = Seat.objects.select_for_update().filter(
            pk=seat_id, pool__organisation_id=organisation_id, released_at__isnull=True
        ).first()
        if seat is None:
            raise OrganisationError(gettext("That seat is not in use."))
        pool = SeatPool.objects.select_for_update().get(pk=seat.pool_id)
        enrollment = Enrollment.objects.select_for_update().filter(pk=seat.enrollment_id).first()
        if selectors.has_made_progress(enrollment):
            raise OrganisationError(gettext(
                "This person has started the course, so their place is theirs to keep and the seat cannot be "
                "taken back."
            ))
        seat.released_at = now
        seat.released_by = by if getattr(by, "pk", None) else None
        seat.save(update_fields=["released_at", "released_by"])
        pool.used -= 1
        pool.save(update_fields=["used"])
        if enrollment is not None and enrollment.source == Enrollment.Source.SEAT:
            enrollment.status = Enrollment.Status.WITHDRAWN
            enrollment.save(update_fields=["status"])
        return seat
