"""N seats and N+5 people accepting their invitations at the same moment, against
PostgreSQL with a connection per person: exactly N places, the others told the seats
are gone, and nothing half-done left behind for them."""
from decimal import Decimal

import pytest

from courses.models import Enrollment
from organisations import selectors, services
from organisations.models import Invitation, Membership, Seat, SeatPool
from tests.concurrency import run_together
from tests.factories import UserFactory, build_course

SEATS = 3
PEOPLE = SEATS + 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_n_seats_and_n_plus_five_acceptances_at_once_give_exactly_n_places(catalogue):
    owner = UserFactory()
    org = services.organisation_create(user=owner, name="Harbour Clinic", kind="health", country="NZ",
                                       billing_email="office@harbour.example")
    course = build_course(title="Family Facilitation", price=Decimal("25.00"))
    services.seats_grant(organisation_id=org.pk, course=course, quantity=SEATS, by=None, note="Grant")
    people = [UserFactory() for _ in range(PEOPLE)]
    preview = selectors.invitation_preview(
        organisation=org, course=course, text="\n".join(p.email for p in people)
    )
    made = services.invitations_create(organisation=org, by=owner, rows=preview.good, course=course)
    tokens = {inv.email: selectors.invitation_token(inv) for inv in made}

    def accept(i):
        person = people[i]
        try:
            services.invitation_accept(token=tokens[person.email], user=person)
            return "enrolled"
        except services.SeatsGone:
            return "gone"

    results, errors = run_together(PEOPLE, accept)

    assert errors == []
    assert sorted(results) == ["enrolled"] * SEATS + ["gone"] * (PEOPLE - SEATS)
    pool = SeatPool.objects.get(organisation=org, course=course)
    assert (pool.total, pool.used) == (SEATS, SEATS)
    assert Seat.objects.filter(pool=pool).count() == SEATS
    assert Enrollment.objects.filter(course=course, source=Enrollment.Source.SEAT).count() == SEATS
    assert Invitation.objects.filter(status="accepted").count() == SEATS
    # Those turned away were not made members and keep a usable invitation.
    assert Membership.objects.filter(organisation=org, role="member").count() == SEATS
    assert Invitation.objects.filter(status="pending").count() == PEOPLE - SEATS
