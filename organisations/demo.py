"""A demo organisation for ``manage.py seed_demo``: Riverside Recovery Centre, a
treatment service training its staff on the facilitator course.

- its manager (the ``manager@example.org`` demo login, ``courses/demo/people.py``) owns it;
- staff granted it 10 seats by hand against an invoice paid outside the platform;
- four of its staff hold seats and are at different points of the course (one has
  passed the first module's check, one has just started, one has not begun, and one has
  finished everything but the marking of her final assessment's written answer, which
  waits in the reviewers' queue: she can sign in, the others cannot);
- one more invitation is waiting for an answer.

Found by name, people by email, the grant by its note: running the seed again creates
nothing new. Everything goes through the same services as the real thing (seats granted
and taken, lessons completed, a quiz attempt submitted and graded), so the manager's
dashboard shows what it would show for real staff. Staff accounts get no password (they
are there to be seen by their manager), except the one whose answer waits for review.
"""
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from courses.demo.people import ensure_person
from courses.demo.progress import ALL, complete_items

from . import services
from .models import Invitation, Membership, Organisation, SeatChange, SeatPool

NAME = "Riverside Recovery Centre"
BILLING_EMAIL = "accounts@riverside-recovery.example"
SEATS = 10
INVOICE_NOTE = "Demo invoice INV-2026-014"


@dataclass(frozen=True)
class StaffMember:
    email: str
    name: str
    lessons_done: int  # how many of the course's first items to complete (quizzes passed)
    days_ago: int  # when they were last active
    password: str = ""  # only for someone whose side of the demo is worth seeing


STAFF = [
    StaffMember("priya.raman@riverside-recovery.example", "Priya Raman", lessons_done=6, days_ago=2),
    StaffMember("tomasz.nowak@riverside-recovery.example", "Tomasz Nowak", lessons_done=2, days_ago=9),
    StaffMember("grace.okafor@riverside-recovery.example", "Grace Okafor", lessons_done=0, days_ago=0),
    # Every lesson and check done; the final assessment's written answer waits for a reviewer
    # (the reviewer demo login finds it in the review queue). She can sign in, to see the
    # learner's side of an answer waiting to be marked.
    StaffMember("amara.osei@riverside-recovery.example", "Amara Osei", lessons_done=ALL, days_ago=1,
                password="demo-staff-pass"),
]
WAITING_FOR_REVIEW = STAFF[-1]
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
        person = ensure_person(spec.email, spec.name, password=spec.password)
        services.membership_join(organisation_id=organisation.pk, user=person, now=now - timedelta(days=30))
        taken = services.seat_take(organisation_id=organisation.pk, user=person, course=course,
                                   now=now - timedelta(days=28))
        complete_items(taken.enrollment, course, count=spec.lessons_done, days_ago=spec.days_ago, now=now)

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
