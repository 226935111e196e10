"""Organisation services: creating, roles, leaving, seats granted, taken, released, and
seats that follow a seat order's payment and refunds (orders settled through payments'
own fulfilment and refund services, as Stripe's events would)."""
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from courses.models import Enrollment, LessonProgress
from organisations import services
from organisations.models import Membership, SeatChange, SeatPool, SeatPurchase
from payments import money
from payments import services as payments
from payments.models import Order
from tests.factories import UserFactory, build_course, lessons_of

pytestmark = pytest.mark.django_db
Role = Membership.Role


def test_creating_an_organisation_makes_its_creator_the_owner(org, owner):
    assert org.name == "Riverside Recovery Centre"
    membership = Membership.objects.get(organisation=org)
    assert (membership.user, membership.role, membership.left_at) == (owner, Role.OWNER, None)


def test_the_only_owner_cannot_leave_but_can_after_naming_another(org, owner):
    mine = Membership.objects.get(organisation=org, user=owner)
    with pytest.raises(services.OrganisationError, match="only owner"):
        services.membership_leave(membership_id=mine.pk, user=owner)
    other = UserFactory()
    theirs = services.membership_join(organisation_id=org.pk, user=other, role=Role.MANAGER)
    services.manager_set_role(organisation_id=org.pk, membership_id=theirs.pk, role=Role.OWNER, by=owner)
    services.membership_leave(membership_id=mine.pk, user=owner)
    assert Membership.objects.get(pk=mine.pk).left_at is not None


def test_only_an_owner_changes_roles_and_never_removes_the_last_owner(org, owner):
    manager = UserFactory()
    membership = services.membership_join(organisation_id=org.pk, user=manager, role=Role.MANAGER)
    mine = Membership.objects.get(organisation=org, user=owner)
    with pytest.raises(services.OrganisationError, match="Only an owner"):
        services.manager_set_role(organisation_id=org.pk, membership_id=mine.pk, role=Role.MEMBER, by=manager)
    with pytest.raises(services.OrganisationError, match="at least one owner"):
        services.manager_set_role(organisation_id=org.pk, membership_id=mine.pk, role=Role.MEMBER, by=owner)
    assert Membership.objects.get(pk=mine.pk).role == Role.OWNER
    assert Membership.objects.get(pk=membership.pk).role == Role.MANAGER


def test_someone_else_cannot_make_a_person_leave(org, owner):
    mine = Membership.objects.get(organisation=org, user=owner)
    with pytest.raises(services.OrganisationError):
        services.membership_leave(membership_id=mine.pk, user=UserFactory())
    assert Membership.objects.get(pk=mine.pk).left_at is None


def test_joining_again_after_leaving_comes_back_and_never_lowers_a_role(org, owner):
    person = UserFactory()
    first = services.membership_join(organisation_id=org.pk, user=person)
    services.membership_leave(membership_id=first.pk, user=person)
    again = services.membership_join(organisation_id=org.pk, user=person)
    assert again.pk == first.pk and again.left_at is None
    assert services.membership_join(organisation_id=org.pk, user=owner, role=Role.MEMBER).role == Role.OWNER


def test_staff_grant_and_remove_free_seats_with_a_ledger(org, course, owner):
    staff = UserFactory(is_staff=True)
    with pytest.raises(services.OrganisationError, match="why"):
        services.seats_grant(organisation_id=org.pk, course=course, quantity=5, by=staff, note=" ")
    pool = services.seats_grant(organisation_id=org.pk, course=course, quantity=5, by=staff, note="Invoice INV-7")
    assert (pool.total, pool.used) == (5, 0)
    services.seat_take(organisation_id=org.pk, user=UserFactory(), course=course)
    services.seat_take(organisation_id=org.pk, user=UserFactory(), course=course)
    with pytest.raises(services.OrganisationError, match="at most 3"):
        services.seats_grant(organisation_id=org.pk, course=course, quantity=-4, by=staff, note="Cancelled")
    services.seats_grant(organisation_id=org.pk, course=course, quantity=-3, by=staff, note="Cancelled")
    pool.refresh_from_db()
    assert (pool.total, pool.used) == (2, 2)
    assert list(pool.changes.values_list("kind", "quantity")) == [("grant", 5), ("removal", -3)]


def test_the_database_refuses_more_seats_used_than_bought(org, course):
    pool = services.pool_for(organisation_id=org.pk, course_id=course.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatPool.objects.filter(pk=pool.pk).update(used=1)


def test_taking_a_seat_enrols_once_and_someone_with_a_place_uses_none(org, course):
    services.seats_grant(organisation_id=org.pk, course=course, quantity=1, by=None, note="Grant")
    learner = UserFactory()
    with transaction.atomic():
        taken = services.seat_take(organisation_id=org.pk, user=learner, course=course)
        again = services.seat_take(organisation_id=org.pk, user=learner, course=course)
    assert taken.enrollment.source == Enrollment.Source.SEAT and taken.needed_seat
    assert again.enrollment.pk == taken.enrollment.pk
    payer = UserFactory()
    Enrollment.objects.create(user=payer, course=course, source=Enrollment.Source.PAID)
    own = services.seat_take(organisation_id=org.pk, user=payer, course=course)
    assert own.needed_seat is False and own.seat is None
    assert SeatPool.objects.get(organisation=org, course=course).used == 1
    with pytest.raises(services.SeatsGone):
        services.seat_take(organisation_id=org.pk, user=UserFactory(), course=course)


def test_a_seat_is_given_back_only_before_the_learner_starts(org, course, owner):
    services.seats_grant(organisation_id=org.pk, course=course, quantity=2, by=None, note="Grant")
    newcomer, starter = UserFactory(), UserFactory()
    fresh = services.seat_take(organisation_id=org.pk, user=newcomer, course=course)
    started = services.seat_take(organisation_id=org.pk, user=starter, course=course)
    LessonProgress.objects.create(enrollment=started.enrollment, lesson=lessons_of(course)[0], last_seen_at=started.seat.taken_at)

    with pytest.raises(services.OrganisationError, match="started the course"):
        services.seat_release(organisation_id=org.pk, seat_id=started.seat.pk, by=owner)
    services.seat_release(organisation_id=org.pk, seat_id=fresh.seat.pk, by=owner)
    pool = SeatPool.objects.get(organisation=org, course=course)
    assert pool.used == 1
    assert Enrollment.objects.get(pk=fresh.enrollment.pk).status == Enrollment.Status.WITHDRAWN
    assert Enrollment.objects.get(pk=started.enrollment.pk).status == Enrollment.Status.ACTIVE
    # The seat can be taken again, by anyone, and the same person comes back on it.
    back = services.seat_take(organisation_id=org.pk, user=newcomer, course=course)
    assert back.enrollment.pk == fresh.enrollment.pk
    assert Enrollment.objects.get(pk=fresh.enrollment.pk).status == Enrollment.Status.ACTIVE


def test_a_seat_of_another_organisation_is_not_released(org, course, owner):
    services.seats_grant(organisation_id=org.pk, course=course, quantity=1, by=None, note="Grant")
    taken = services.seat_take(organisation_id=org.pk, user=UserFactory(), course=course)
    other = services.organisation_create(user=UserFactory(), name="Elsewhere", kind="health", country="IE",
                                         billing_email="x@elsewhere.example")
    with pytest.raises(services.OrganisationError):
        services.seat_release(organisation_id=other.pk, seat_id=taken.seat.pk, by=owner)
    assert SeatPool.objects.get(organisation=org).used == 1


# --- seats bought through payments ------------------------------------------------------------


def seat_order(org, course, owner, quantity=3) -> Order:
    """What ``seats_buy_start`` records before Checkout (without calling Stripe)."""
    pool = services.pool_for(organisation_id=org.pk, course_id=course.pk)
    with transaction.atomic():
        order = payments.seat_order_create(user=owner, email=org.billing_email, course=course, quantity=quantity)
        SeatPurchase.objects.create(order=order, pool=pool, quantity=quantity)
    return order


def test_a_seat_order_costs_the_fee_times_the_seats_and_asks_checkout_for_that_quantity(
    org, course, owner, stripe_configured
):
    order = seat_order(org, course, owner, quantity=3)
    assert (order.purpose, order.quantity, order.total_amount, order.unit_amount) == (
        "seats", 3, Decimal("120.00"), Decimal("40.00")
    )
    params = payments.checkout_session_params(order)
    # Stripe's documented shape: one line item, quantity N, unit_amount in the smallest unit.
    assert params["line_items"] == [{
        "quantity": 3,
        "price_data": {
            "currency": "usd", "unit_amount": 4000,
            "product_data": {"name": course.title, "description": "A place on the course for one member of staff"},
        },
    }]
    assert params["metadata"] == {"order_id": str(order.pk), "course_id": str(course.pk), "seats": "3"}
    assert params["customer_email"] == "accounts@riverside.example"


def test_seat_orders_refuse_a_quantity_out_of_range(org, course, owner, stripe_configured, settings):
    settings.ORGANISATIONS_MAX_SEATS_PER_ORDER = 50
    for quantity in (0, -2, 51):
        with pytest.raises(payments.PaymentError, match="between 1 and 50"):
            seat_order(org, course, owner, quantity=quantity)
    assert not Order.objects.exists()


def pay(order: Order, amount_minor: int | None = None) -> str:
    return payments.order_fulfil(
        order_id=order.pk, paid_amount=money.to_minor(order.total_amount, order.currency) if amount_minor is None
        else amount_minor, currency=order.currency, payment_intent_id=f"pi_seats_{order.pk}", via="test",
    )


def test_paying_a_seat_order_adds_its_seats_once_and_enrols_nobody(
    org, course, owner, stripe_configured, django_capture_on_commit_callbacks
):
    order = seat_order(org, course, owner, quantity=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert pay(order) == payments.Fulfilment.FULFILLED
        assert pay(order) == payments.Fulfilment.ALREADY
    pool = SeatPool.objects.get(organisation=org, course=course)
    assert (pool.total, pool.used) == (3, 0)
    assert list(SeatChange.objects.values_list("kind", "quantity", "order")) == [("purchase", 3, order.pk)]
    assert not Enrollment.objects.filter(user=owner).exists()


def test_buying_seats_without_card_payments_is_refused_in_a_managers_words_and_makes_nothing(
    org, course, owner, settings
):
    settings.STRIPE_SECRET_KEY = ""
    with pytest.raises(services.OrganisationError) as refused:
        services.seats_buy_start(organisation_id=org.pk, by=owner, course=course, quantity=3)
    assert refused.value.field is None  # the whole form, not the number of places
    assert refused.value.message.startswith(str(services.SEATS_NOT_SET_UP)) and "Stripe keys" in refused.value.message
    assert "scholarship" not in refused.value.message and "enrolled" not in refused.value.message
    assert not SeatPool.objects.exists() and not Order.objects.exists() and not SeatPurchase.objects.exists()


def test_a_seat_order_payments_refuses_leaves_no_pool(org, owner, catalogue, stripe_configured):
    cheap = build_course(title="Cheap Course", price=Decimal("0.10"))  # below Stripe's smallest charge
    with pytest.raises(services.OrganisationError, match="below the smallest card payment") as refused:
        services.seats_buy_start(organisation_id=org.pk, by=owner, course=cheap, quantity=1)
    assert refused.value.field == "quantity"
    assert not SeatPool.objects.exists() and not Order.objects.exists()


def test_a_manager_may_buy_seats_twice_for_the_same_course(org, course, owner, stripe_configured):
    first, second = seat_order(org, course, owner, 2), seat_order(org, course, owner, 1)
    pay(first), pay(second)
    assert SeatPool.objects.get(organisation=org, course=course).total == 3
    assert Order.objects.filter(status="paid").count() == 2


def test_a_seat_order_paid_the_wrong_amount_adds_no_seats(org, course, owner, stripe_configured):
    order = seat_order(org, course, owner, quantity=3)
    assert pay(order, amount_minor=4000) == payments.Fulfilment.MISMATCH
    assert SeatPool.objects.get(organisation=org, course=course).total == 0


def refund_event(order, amount_minor, status="succeeded", n=1):
    return {"id": f"re_{order.pk}_{n}", "amount": amount_minor, "currency": "usd", "status": status}


def test_refunds_take_whole_free_seats_away_and_flag_seats_in_use(org, course, owner, stripe_configured):
    order = seat_order(org, course, owner, quantity=3)
    pay(order)
    holder = UserFactory()
    services.seat_take(organisation_id=org.pk, user=holder, course=course)
    services.seat_take(organisation_id=org.pk, user=UserFactory(), course=course)

    # Half a seat refunded (a goodwill gesture in Stripe's dashboard): no seat goes.
    payments.order_sync_refunds(order_id=order.pk, refunds=[refund_event(order, 2000)])
    assert SeatPool.objects.get(organisation=org).total == 3
    # Everything refunded: one seat is free and goes; two are held, so the order is flagged.
    payments.order_sync_refunds(order_id=order.pk, refunds=[refund_event(order, 2000), refund_event(order, 10000, n=2)])
    pool = SeatPool.objects.get(organisation=org)
    order.refresh_from_db()
    assert (pool.total, pool.used) == (2, 2)
    assert order.status == Order.Status.REFUNDED
    assert Order.Flag.SEATS_IN_USE in order.flags
    assert SeatPurchase.objects.get(order=order).refunded == 1
    # Learners keep their places: a full refund of seats never ends anyone's enrolment.
    assert Enrollment.objects.get(user=holder).status == Enrollment.Status.ACTIVE
    # Replaying the same refunds changes nothing.
    payments.order_sync_refunds(order_id=order.pk, refunds=[refund_event(order, 2000), refund_event(order, 10000, n=2)])
    assert SeatPool.objects.get(organisation=org).total == 2
    assert SeatChange.objects.filter(kind="refund").count() == 1


def test_a_refund_that_fails_gives_its_seats_back(org, course, owner, stripe_configured):
    order = seat_order(org, course, owner, quantity=3)
    pay(order)
    payments.order_sync_refunds(order_id=order.pk, refunds=[refund_event(order, 8000, status="pending")])
    assert SeatPool.objects.get(organisation=org).total == 1
    payments.order_sync_refunds(order_id=order.pk, refunds=[refund_event(order, 8000, status="failed")])
    assert SeatPool.objects.get(organisation=org).total == 3
    assert SeatPurchase.objects.get(order=order).refunded == 0
    assert list(SeatChange.objects.filter(kind="refund").values_list("quantity", flat=True)) == [-2, 2]


def test_staff_cannot_refund_more_seats_than_are_free(org, course, owner, stripe_configured):
    order = seat_order(org, course, owner, quantity=2)
    pay(order)
    services.seat_take(organisation_id=org.pk, user=UserFactory(), course=course)
    with pytest.raises(services.OrganisationError, match="between 1 and 1"):
        services.seats_refund(order_id=order.pk, seats=2, by=owner)
    assert not order.refunds.exists()
    assert SeatPool.objects.get(organisation=org).total == 2


def test_a_second_buy_click_reuses_the_checkout_just_started(org, course, owner, stripe_configured):
    first = seat_order(org, course, owner, quantity=3)
    Order.objects.filter(pk=first.pk).update(stripe_checkout_url="https://checkout.stripe.com/c/pay/cs_test_1")
    again = services.seats_buy_start(organisation_id=org.pk, by=owner, course=course, quantity=3)
    assert again.order.pk == first.pk and again.redirect_url.endswith("cs_test_1")
    assert Order.objects.count() == 1


def test_a_free_course_adds_a_place_as_each_person_takes_one(org, catalogue):
    free = build_course(title="Introduction to Mutual Help")
    for _ in range(2):
        services.seat_take(organisation_id=org.pk, user=UserFactory(), course=free)
    pool = SeatPool.objects.get(organisation=org, course=free)
    assert (pool.total, pool.used) == (2, 2)
    assert list(pool.changes.values_list("kind", "quantity")) == [("grant", 1), ("grant", 1)]


def test_partners_only_courses_need_a_partner_organisation_even_after_inviting(org, catalogue, owner):
    kept = build_course(title="Working With Courts", price=Decimal("30.00"))
    kept.partners_only = True
    kept.save()
    with pytest.raises(services.OrganisationError, match="partner"):
        services.seats_grant(organisation_id=org.pk, course=kept, quantity=2, by=None, note="Grant")
    services.organisation_set_partner(organisation_id=org.pk, is_partner=True, by=None)
    services.seats_grant(organisation_id=org.pk, course=kept, quantity=2, by=None, note="Grant")
    services.organisation_set_partner(organisation_id=org.pk, is_partner=False, by=None)
    with pytest.raises(services.OrganisationError, match="partner"):
        services.seat_take(organisation_id=org.pk, user=UserFactory(), course=kept)
    assert SeatPool.objects.get(organisation=org, course=kept).used == 0
