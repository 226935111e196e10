"""Staff screens for organisations in the Wagtail admin: the listing (search, filters,
member and seat counts in constant queries), the inspect page, partner status, granting
seats and refunding unused seats (through localstripe over real HTTP), and the seat
order's page in payments. Every action is also tried as an attack: without the
permission it is refused (a redirect) and nothing changes."""
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from organisations import services
from organisations.models import Invitation, Membership, Organisation, SeatChange, SeatPool, SeatPurchase
from payments import services as payments
from payments.models import Order, Refund
from tests.factories import UserFactory, build_course
from tests.payments.conftest import localstripe, stripe_api  # noqa: F401  (fixtures)
from tests.payments.helpers import minor

pytestmark = pytest.mark.django_db
STAFF_GROUP = "Payments staff"


def staff_with(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=("access_admin", *codenames))
    )
    return user


@pytest.fixture
def finance():
    """The "Payments staff" group: the migrations give it the organisation permissions."""
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    return user


@pytest.fixture
def viewer():
    return staff_with("view_organisation")


def seat_order(org, course, owner, quantity):
    pool = services.pool_for(organisation_id=org.pk, course_id=course.pk)
    with transaction.atomic():
        order = payments.seat_order_create(user=owner, email=org.billing_email, course=course, quantity=quantity)
        SeatPurchase.objects.create(order=order, pool=pool, quantity=quantity)
    return order


@pytest.fixture
def paid_seats(stripe_api, org, course, owner):  # noqa: F811
    """Three seats bought and paid (a real PaymentIntent in localstripe), one in use."""
    order = seat_order(org, course, owner, quantity=3)
    intent = stripe_api.client.v1.payment_intents.create(params={
        "amount": minor(order), "currency": "usd", "payment_method": "pm_card_visa", "confirm": True,
        "metadata": {"order_id": str(order.pk)},
    })
    payments.order_fulfil(order_id=order.pk, paid_amount=minor(order), currency="usd", payment_intent_id=intent.id)
    with transaction.atomic():
        services.membership_join(organisation_id=org.pk, user=(staff := UserFactory(email="priya@riverside.example")))
        services.seat_take(organisation_id=org.pk, user=staff, course=course)
    return Order.objects.get(pk=order.pk)


def pool_of(org) -> SeatPool:
    return SeatPool.objects.get(organisation=org)


# --- the group and the menu ---------------------------------------------------------------------


def test_the_payments_staff_group_looks_after_organisations(finance):
    group = Group.objects.get(name=STAFF_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_organisation", "change_organisation", "grant_seats", "refund_order"} <= codenames
    # Made by the migration with the same rows Django's post_migrate keeps: no duplicates.
    assert Permission.objects.filter(codename="grant_seats").count() == 1
    assert finance.has_perm("organisations.grant_seats") and finance.has_perm("organisations.change_organisation")


def test_the_menu_item_is_for_staff_who_may_view_organisations(client, finance):
    client.force_login(finance)
    assert reverse("organisations_admin:index") in client.get(reverse("wagtailadmin_home")).content.decode()
    nobody = staff_with()  # reaches the admin, no organisation permission
    client.force_login(nobody)
    assert reverse("organisations_admin:index") not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert client.get(reverse("organisations_admin:index")).status_code == 302


def test_learners_and_visitors_reach_none_of_the_screens(client, org, owner):
    urls = [
        reverse("organisations_admin:index"), reverse("organisations_admin:inspect", args=[org.pk]),
        reverse("organisations_admin:partner", args=[org.pk]), reverse("organisations_admin:grant", args=[org.pk]),
    ]
    for who in (None, owner):  # the organisation's own manager is not staff
        client.logout()
        if who:
            client.force_login(who)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302 and "login" in response.url, url


# --- listing and inspect -------------------------------------------------------------------------


def organisations_listing(client, n: int) -> int:
    for i in range(n):
        other = services.organisation_create(
            user=UserFactory(), name=f"Clinic {n}-{i}", kind="health", country="IE", billing_email="a@clinic.example"
        )
        services.membership_join(organisation_id=other.pk, user=UserFactory())
        services.seats_grant(organisation_id=other.pk, course=build_course(title=f"C{n}-{i}", modules=0),
                             quantity=4, by=None, note="Grant")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("organisations_admin:index"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_listing_counts_members_and_seats_in_constant_queries(client, viewer, org, course, owner):
    services.seats_grant(organisation_id=org.pk, course=course, quantity=10, by=None, note="Invoice 1")
    with transaction.atomic():
        for _ in range(3):
            person = UserFactory()
            services.membership_join(organisation_id=org.pk, user=person)
            services.seat_take(organisation_id=org.pk, user=person, course=course)
    client.force_login(viewer)
    few = organisations_listing(client, 1)
    many = organisations_listing(client, 5)
    assert few == many, f"{few} queries for 2 organisations, {many} for 7"
    page = client.get(reverse("organisations_admin:index") + "?q=riverside").content.decode()
    row = page[page.index("Riverside Recovery Centre"):]
    cells = " ".join(re.sub(r"<[^>]+>", " ", row[: row.index("</tr>")]).split())
    assert "United Kingdom Not a partner 4 3 / 10" in cells  # the owner and three staff; seats used / held


def test_search_and_filters(client, viewer, org):
    other = services.organisation_create(
        user=UserFactory(), name="Harbour Health Trust", kind="health", country="NZ", billing_email="a@harbour.example"
    )
    other.is_partner = True
    other.save()
    client.force_login(viewer)
    index = reverse("organisations_admin:index")

    def names(query):
        page = client.get(index + query).content.decode()
        return {name for name in ("Riverside Recovery Centre", "Harbour Health Trust") if name in page}

    assert names("") == {"Riverside Recovery Centre", "Harbour Health Trust"}
    assert names("?q=harbour") == {"Harbour Health Trust"}
    assert names("?is_partner=true") == {"Harbour Health Trust"}
    assert names("?is_partner=false") == {"Riverside Recovery Centre"}
    assert names("?kind=treatment") == {"Riverside Recovery Centre"}
    assert names("?country=NZ") == {"Harbour Health Trust"}


def test_inspect_shows_members_seats_ledger_purchases_and_invitations(client, finance, org, owner, course, paid_seats):
    Invitation.objects.create(
        organisation=org, email="daniel@riverside.example", course=course, invited_by=owner,
        expires_at=timezone.now() + timedelta(days=10),
    )
    leaver = UserFactory(email="left@riverside.example")
    membership = services.membership_join(organisation_id=org.pk, user=leaver)
    services.membership_leave(membership_id=membership.pk, user=leaver)
    client.force_login(finance)
    response = client.get(reverse("organisations_admin:inspect", args=[org.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Morgan Ellis &lt;manager@riverside.example&gt;", "Owner", "priya@riverside.example", "Staff member",
        "left@riverside.example", "progress no longer shared",
        "Members (2 active)", "Meeting Facilitation", "Bought online", paid_seats.reference,
        reverse("payments_orders:inspect", args=[paid_seats.pk]),
        reverse("organisations_admin:refund_seats", args=[paid_seats.pk]),
        "daniel@riverside.example", "Grant seats", "Mark as partner",
    ):
        assert text in page, text


def test_a_viewer_sees_no_action_buttons(client, viewer, org, paid_seats):
    client.force_login(viewer)
    page = client.get(reverse("organisations_admin:inspect", args=[org.pk])).content.decode()
    assert reverse("organisations_admin:grant", args=[org.pk]) not in page
    assert reverse("organisations_admin:partner", args=[org.pk]) not in page
    assert reverse("organisations_admin:refund_seats", args=[paid_seats.pk]) not in page
    # Nor can anyone add, edit or delete an organisation through the generic views.
    for name in ("edit", "delete"):
        assert client.get(reverse(f"organisations_admin:{name}", args=[org.pk])).status_code == 302
    assert client.get(reverse("organisations_admin:add")).status_code == 302


# --- partner status ------------------------------------------------------------------------------


def test_staff_mark_and_unmark_a_partner(client, finance, org):
    client.force_login(finance)
    url = reverse("organisations_admin:partner", args=[org.pk])
    assert "Mark as partner" in client.get(url).content.decode()
    response = client.post(url, {"is_partner": "1"}, follow=True)
    assert Organisation.objects.get(pk=org.pk).is_partner
    assert "is now a partner organisation" in response.content.decode()
    again = client.post(url, {"is_partner": "1"}, follow=True)  # a second click: nothing more
    assert "already a partner" in again.content.decode()
    assert ModelLogEntry.objects.filter(action="organisations.partner_on").count() == 1
    client.post(url, {"is_partner": "0"})
    assert not Organisation.objects.get(pk=org.pk).is_partner
    entry = ModelLogEntry.objects.get(action="organisations.partner_off")
    assert entry.user_id == finance.pk
    page = client.get(reverse("organisations_admin:inspect", args=[org.pk])).content.decode()
    assert "No longer a partner organisation" in page


@pytest.mark.parametrize("perms", [("view_organisation",), ("view_organisation", "grant_seats")])
def test_partner_status_needs_the_change_permission(client, org, perms):
    client.force_login(staff_with(*perms))
    url = reverse("organisations_admin:partner", args=[org.pk])
    assert client.get(url).status_code == 302
    assert client.post(url, {"is_partner": "1"}).status_code == 302
    assert not Organisation.objects.get(pk=org.pk).is_partner
    assert not ModelLogEntry.objects.filter(action__startswith="organisations.").exists()


# --- granting seats ------------------------------------------------------------------------------


def test_staff_grant_seats_and_take_free_ones_back(client, finance, org, course):
    client.force_login(finance)
    url = reverse("organisations_admin:grant", args=[org.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"course": course.pk, "quantity": "10", "note": "Invoice INV-2026-014"}, follow=True)
    assert "Granted 10 seats on Meeting Facilitation" in response.content.decode()
    assert (pool_of(org).total, pool_of(org).used) == (10, 0)
    change = SeatChange.objects.get()
    assert (change.kind, change.quantity, change.note, change.by) == ("grant", 10, "Invoice INV-2026-014", finance)
    client.post(url, {"course": course.pk, "quantity": "-3", "note": "Invoice INV-2026-014 corrected"})
    assert pool_of(org).total == 7
    assert SeatChange.objects.filter(kind="removal", quantity=-3).exists()


@pytest.mark.parametrize("data, error", [
    ({"quantity": "5", "note": ""}, "This field is required."),
    ({"quantity": "5", "note": "   "}, "This field is required."),
    ({"quantity": "0", "note": "Invoice 1"}, "other than 0"),
    ({"quantity": "-1", "note": "Correction"}, "at most 0 can be removed"),
    ({"quantity": "ten", "note": "Invoice 1"}, "Enter a whole number."),
])
def test_bad_grants_get_a_clear_message_and_change_nothing(client, finance, org, course, data, error):
    client.force_login(finance)
    response = client.post(reverse("organisations_admin:grant", args=[org.pk]), {"course": course.pk, **data})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not SeatChange.objects.exists()
    assert not SeatPool.objects.filter(total__gt=0).exists()


def test_seats_on_a_partners_only_course_need_a_partner_organisation(client, finance, org, course):
    course.partners_only = True
    course.save_revision().publish()
    client.force_login(finance)
    url = reverse("organisations_admin:grant", args=[org.pk])
    response = client.post(url, {"course": course.pk, "quantity": "4", "note": "Invoice 2"})
    assert "only for partner organisations" in response.content.decode()
    assert not SeatChange.objects.exists()
    org.is_partner = True
    org.save()
    client.post(url, {"course": course.pk, "quantity": "4", "note": "Invoice 2"})
    assert pool_of(org).total == 4


@pytest.mark.parametrize("perms", [("view_organisation",), ("view_organisation", "change_organisation")])
def test_granting_seats_needs_its_permission(client, org, course, perms):
    client.force_login(staff_with(*perms))
    url = reverse("organisations_admin:grant", args=[org.pk])
    assert client.get(url).status_code == 302
    response = client.post(url, {"course": course.pk, "quantity": "50", "note": "Free seats for me"})
    assert response.status_code == 302
    assert not SeatChange.objects.exists() and not SeatPool.objects.filter(total__gt=0).exists()


def test_an_unknown_organisation_is_404_for_staff(client, finance, course):
    client.force_login(finance)
    assert client.get(reverse("organisations_admin:grant", args=[987654])).status_code == 404
    assert client.post(reverse("organisations_admin:partner", args=[987654]), {"is_partner": "1"}).status_code == 404


# --- refunding unused seats ----------------------------------------------------------------------


def test_staff_refund_unused_seats_through_stripe(client, finance, org, paid_seats, stripe_api):  # noqa: F811
    client.force_login(finance)
    url = reverse("organisations_admin:refund_seats", args=[paid_seats.pk])
    form = client.get(url).content.decode()
    assert "At most 2" in form and "$40.00 each" in form
    unconfirmed = client.post(url, {"seats": "2", "reason": "requested_by_customer"})
    assert unconfirmed.status_code == 200 and not Refund.objects.exists()
    too_many = client.post(url, {"seats": "3", "reason": "requested_by_customer", "confirm": "on"})
    assert "refund between 1 and 2" in too_many.content.decode()
    assert not Refund.objects.exists() and pool_of(org).total == 3

    response = client.post(url, {"seats": "2", "reason": "requested_by_customer", "note": "Two staff left", "confirm": "on"})
    assert response.status_code == 302 and response.url == reverse("organisations_admin:inspect", args=[org.pk])
    refund = Refund.objects.get()
    assert (refund.amount, refund.status, refund.by) == (Decimal("80.00"), Refund.Status.SUCCEEDED, finance)
    assert refund.stripe_refund_id.startswith("re_")  # made in localstripe, over HTTP
    pool = pool_of(org)
    assert (pool.total, pool.used) == (1, 1)
    assert SeatPurchase.objects.get(order=paid_seats).refunded == 2
    assert Order.objects.get(pk=paid_seats.pk).status == Order.Status.PARTIALLY_REFUNDED
    # The one seat left is held: nothing more to refund, and the page says so.
    assert "There is no seat to refund" in client.get(url).content.decode()
    client.post(url, {"seats": "1", "reason": "other", "confirm": "on"})
    assert Refund.objects.count() == 1


@pytest.mark.parametrize("perms", [
    ("view_organisation", "change_organisation", "grant_seats"), ("view_order",),
])
def test_refunding_seats_needs_the_refund_permission(client, org, paid_seats, perms):
    client.force_login(staff_with(*perms))
    url = reverse("organisations_admin:refund_seats", args=[paid_seats.pk])
    assert client.get(url).status_code == 302
    assert client.post(url, {"seats": "2", "reason": "other", "confirm": "on"}).status_code == 302
    assert not Refund.objects.exists()
    assert pool_of(org).total == 3


def test_a_place_order_has_no_seats_to_refund(client, finance, stripe_api, course):  # noqa: F811
    learner = UserFactory()
    order = Order.objects.create(
        user=learner, email=learner.email, course=course, course_title=course.title, currency="USD",
        price_amount=Decimal("40.00"), total_amount=Decimal("40.00"),
    )
    client.force_login(finance)
    assert client.get(reverse("organisations_admin:refund_seats", args=[order.pk])).status_code == 404
    page = client.get(reverse("payments_orders:inspect", args=[order.pk])).content.decode()
    assert "Refund unused seats" not in page and "<dt>Seats</dt>" not in page


# --- the seat order in payments' screens --------------------------------------------------------


def test_the_seat_orders_page_shows_its_seats_and_points_to_the_seat_refund(client, finance, org, paid_seats):
    client.force_login(finance)
    page = client.get(reverse("payments_orders:inspect", args=[paid_seats.pk])).content.decode()
    assert "<dt>Seats</dt>" in page and "3 at $40.00 each" in page
    assert reverse("organisations_admin:refund_seats", args=[paid_seats.pk]) in page
    assert reverse("organisations_admin:inspect", args=[org.pk]) in page
    assert "Refund an amount" in page  # still there: an amount refund removes whole seats
    refund_page = client.get(reverse("payments_orders:refund", args=[paid_seats.pk])).content.decode()
    assert "refund unused seats" in refund_page.lower()
    assert reverse("organisations_admin:refund_seats", args=[paid_seats.pk]) in refund_page


def test_an_amount_refund_of_a_seat_order_still_removes_whole_free_seats(client, finance, org, paid_seats):
    client.force_login(finance)
    client.post(reverse("payments_orders:refund", args=[paid_seats.pk]),
                {"amount": "40.00", "reason": "requested_by_customer", "confirm": "on"})
    assert Refund.objects.get().amount == Decimal("40.00")
    assert pool_of(org).total == 2
    assert Membership.objects.filter(organisation=org).count() == 2
