"""Shared builders for the organisation tests: two
organisations, each with an owner; the first with a manager, a staff member holding a
seat, a pending invitation and a paid seat order; and a snapshot of every row a manager
action could change, to show that a refused request changed nothing."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from courses.models import CoursePage, Enrollment
from organisations import selectors, services
from organisations.models import Invitation, Membership, Organisation, Seat, SeatChange, SeatPool, SeatPurchase
from payments import money
from payments import services as payments
from payments.models import Order
from tests.factories import UserFactory, build_course

Role = Membership.Role
# A pasted list's usual mix: a named address, a line that is not an address, "address, name",
# a blank line, and the first address again in capitals.
PASTED = ["Ana Silva <ana@example.org>", "not-an-address", "ben@example.org, Ben Okafor", "", "ANA@example.org"]


def messages_of(response) -> list[str]:
    return [m.message for m in response.wsgi_request._messages]


def make_org(owner, name="Riverside Recovery Centre", billing="accounts@riverside.example") -> Organisation:
    return services.organisation_create(user=owner, name=name, kind="treatment", country="GB", billing_email=billing)


def invite(org, by, course, *emails, role=Role.MEMBER) -> list[Invitation]:
    preview = selectors.invitation_preview(organisation=org, course=course, role=role, text="\n".join(emails))
    return services.invitations_create(organisation=org, by=by, rows=preview.good, course=course, role=role)


def seat_order(org, course, buyer, quantity=3) -> Order:
    """What ``seats_buy_start`` records before Checkout (without calling Stripe)."""
    with transaction.atomic():
        order = payments.seat_order_create(user=buyer, email=org.billing_email, course=course, quantity=quantity)
        pool = services.pool_for(organisation_id=org.pk, course_id=course.pk)
        SeatPurchase.objects.create(order=order, pool=pool, quantity=quantity)
    return order


def pay(order: Order) -> str:
    return payments.order_fulfil(
        order_id=order.pk, paid_amount=money.to_minor(order.total_amount, order.currency), currency=order.currency,
        payment_intent_id=f"pi_seats_{order.pk}", via="test",
    )


@dataclass
class World:
    owner: object
    manager: object
    member: object
    org: Organisation
    course: CoursePage
    pool: SeatPool
    seat: Seat
    invitation: Invitation
    order: Order
    other_owner: object
    other_org: Organisation
    other_invitation: Invitation
    other_seat: Seat
    other_order: Order


def staffed(org, owner, course, *, places: int, member_email: str, invited_email: str):
    """A paid order of ``places`` seats, a staff member holding one of them, and an
    invitation waiting: (order, member, seat, invitation)."""
    order = seat_order(org, course, owner, quantity=places)
    pay(order)
    member = UserFactory(email=member_email)
    services.membership_join(organisation_id=org.pk, user=member)
    with transaction.atomic():
        taken = services.seat_take(organisation_id=org.pk, user=member, course=course)
    [invitation] = invite(org, owner, course, invited_email)
    return order, member, taken.seat, invitation


def build_world(settings) -> World:
    """Stripe is "configured" (a test key) so that seat orders can be made; nothing here
    calls it."""
    settings.STRIPE_SECRET_KEY = "sk_test_views"
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # never the real Stripe from a test
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    course = build_course(title="Meeting Facilitation", price=Decimal("40.00"))
    owner = UserFactory(email="owner@riverside.example", certificate_name="Olu Owner")
    org = make_org(owner)
    manager = UserFactory(email="manager@riverside.example")
    services.membership_join(organisation_id=org.pk, user=manager, role=Role.MANAGER)
    order, member, seat, invitation = staffed(
        org, owner, course, places=3, member_email="staff@riverside.example", invited_email="waiting@example.org"
    )

    other_owner = UserFactory(email="owner@hillside.example")
    other_org = make_org(other_owner, name="Hillside Clinic", billing="billing@hillside.example")
    other_order, _, other_seat, other_invitation = staffed(
        other_org, other_owner, course, places=2, member_email="staff@hillside.example", invited_email="hill@example.org"
    )
    return World(
        owner=owner, manager=manager, member=member, org=org, course=course,
        pool=SeatPool.objects.get(organisation=org, course=course), seat=seat, invitation=invitation,
        order=order, other_owner=other_owner, other_org=other_org, other_invitation=other_invitation,
        other_seat=other_seat, other_order=other_order,
    )


def snapshot():
    """Every row a manager's action could change, in a comparable form."""
    return {
        "organisations": list(Organisation.objects.order_by("pk").values_list("pk", "name")),
        "memberships": list(Membership.objects.order_by("pk").values_list("pk", "role", "left_at")),
        "pools": list(SeatPool.objects.order_by("pk").values_list("pk", "total", "used")),
        "changes": SeatChange.objects.count(),
        "seats": list(Seat.objects.order_by("pk").values_list("pk", "released_at")),
        "invitations": list(Invitation.objects.order_by("pk").values_list("pk", "status", "nonce", "expires_at")),
        "orders": list(Order.objects.order_by("pk").values_list("pk", "status")),
        "enrollments": list(Enrollment.objects.order_by("pk").values_list("pk", "status", "source")),
    }
