"""The seats page: places per course (total, in use, free, invitations waiting), who holds
them and giving one back (refused once the learner has started), the ledger, the buy form
(course and number checked on the server), and the page a buyer comes back to from Stripe,
with the receipt showing "N places × unit price"."""
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from courses.models import Enrollment, LessonProgress
from organisations import services
from organisations.models import Seat, SeatPool
from payments import services as payments
from payments.models import Order
from tests.factories import build_course, lessons_of

from .support import messages_of, seat_order, snapshot

pytestmark = pytest.mark.django_db


def seats_url(w):
    return reverse("organisations:seats", args=[w.org.pk])


def test_the_page_shows_places_holders_and_history(as_owner, world):
    services.seats_grant(organisation_id=world.org.pk, course=world.course, quantity=2, by=None, note="Grant 2026-14")
    page = as_owner.get(seats_url(world)).content.decode()
    pools = page.split('id="pools-caption"')[1].split("</table>")[0]
    cells = re.findall(r'<td class="num">(\d+)</td>', pools)
    assert cells == ["5", "1", "4", "1"]  # places, in use, free, invitations waiting
    held = page.split('id="held-caption"')[1].split("</table>")[0]
    assert "staff@riverside.example" in held and "Give the seat back" in held
    assert reverse("organisations:seat_release", args=[world.org.pk, world.seat.pk]) in held
    history = page.split('id="history-caption"')[1].split("</table>")[0]
    assert "Bought online" in history and f"Receipt {world.order.reference}" in history
    assert "Granted by staff" in history and "Grant 2026-14" in history and "+2" in history
    # Nothing of the other organisation.
    assert "staff@hillside.example" not in page and world.other_order.reference not in page


def test_a_manager_who_did_not_buy_sees_the_order_but_not_a_receipt_link(client, world):
    client.force_login(world.manager)
    history = client.get(seats_url(world)).content.decode().split('id="history-caption"')[1]
    assert f"Order {world.order.reference}" in history
    assert reverse("payments:receipt", args=[world.order.pk]) not in history


def test_giving_a_seat_back_frees_it(as_owner, world):
    response = as_owner.post(reverse("organisations:seat_release", args=[world.org.pk, world.seat.pk]))
    assert response.status_code == 303
    assert "is free again" in messages_of(response)[0]
    world.seat.refresh_from_db()
    assert world.seat.released_at is not None and world.seat.released_by == world.owner
    assert SeatPool.objects.get(pk=world.pool.pk).used == 0
    assert Enrollment.objects.get(user=world.member, course=world.course).status == Enrollment.Status.WITHDRAWN


def test_a_seat_cannot_be_taken_back_once_the_learner_started(as_owner, world):
    enrollment = Enrollment.objects.get(user=world.member, course=world.course)
    LessonProgress.objects.create(enrollment=enrollment, lesson=lessons_of(world.course)[0], last_seen_at=world.seat.taken_at)
    before = snapshot()
    response = as_owner.post(reverse("organisations:seat_release", args=[world.org.pk, world.seat.pk]))
    assert response.status_code == 303
    assert "has started the course" in messages_of(response)[0]
    assert snapshot() == before
    # The message is shown on the page the manager is sent back to.
    assert "has started the course" in as_owner.get(response["Location"]).content.decode()


def test_a_seat_already_given_back_is_a_plain_message(as_owner, world):
    url = reverse("organisations:seat_release", args=[world.org.pk, world.seat.pk])
    as_owner.post(url)
    before = snapshot()
    assert "not in use" in messages_of(as_owner.post(url))[-1]
    assert snapshot() == before


# --- buying ----------------------------------------------------------------------------------


def test_the_buy_form_offers_paid_live_courses_with_their_fee(as_owner, world):
    build_course(title="A Free Course", price=None)
    partners = build_course(title="Partners Course", price=Decimal("30.00"))
    partners.partners_only = True
    partners.save_revision().publish()
    page = as_owner.get(seats_url(world)).content.decode()
    form = page.split('id="buy-heading"')[1].split("</form>")[0]
    assert "Meeting Facilitation (40.00 USD a place)" in form
    assert "A Free Course" not in form and "Partners Course" not in form
    assert 'for="id_quantity"' in form and 'for="id_course"' in form


@pytest.mark.parametrize("data, field", [
    ({"quantity": "3"}, "course"),
    ({"course": "999999", "quantity": "3"}, "course"),
    ({"course": "ours", "quantity": "0"}, "quantity"),
    ({"course": "ours", "quantity": "501"}, "quantity"),
    ({"course": "ours", "quantity": "three"}, "quantity"),
])
def test_bad_buy_input_is_a_form_error_and_creates_no_order(as_owner, world, data, field):
    data = {**data, "course": world.course.pk} if data.get("course") == "ours" else data
    before = snapshot()
    response = as_owner.post(reverse("organisations:seats_buy", args=[world.org.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="#id_{field}"' in page and f'id="id_{field}_errors"' in page
    assert snapshot() == before


def test_a_partners_only_course_cannot_be_bought_by_posting_its_id(as_owner, world):
    partners = build_course(title="Partners Course", price=Decimal("30.00"))
    partners.partners_only = True
    partners.save_revision().publish()
    before = snapshot()
    response = as_owner.post(reverse("organisations:seats_buy", args=[world.org.pk]),
                             {"course": partners.pk, "quantity": "2"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert snapshot() == before


def test_without_online_payment_the_page_says_so(as_owner, world, settings):
    settings.STRIPE_SECRET_KEY = ""
    page = as_owner.get(seats_url(world)).content.decode()
    assert "Online payment is not set up" in page
    response = as_owner.post(reverse("organisations:seats_buy", args=[world.org.pk]),
                             {"course": world.course.pk, "quantity": "2"})
    assert response.status_code == 200
    assert payments.NOT_SET_UP in response.content.decode()
    assert Order.objects.count() == 2  # the two of build_world


# --- back from Stripe ----------------------------------------------------------------------------


def test_a_paid_order_says_how_many_places_were_added(as_owner, world):
    url = reverse("organisations:seat_order", args=[world.org.pk, world.order.pk])
    page = as_owner.get(url).content.decode()
    assert "Paid: 3 places added to Meeting Facilitation" in page
    assert "3 × 40.00 USD" in page
    assert reverse("payments:receipt", args=[world.order.pk]) in page


def test_stripes_return_addresses_lead_to_the_organisations_order_page(as_owner, world):
    """Payments' success and cancel URLs are the same for every order; a seat order's go
    on to the organisation's page (with Stripe's session id)."""
    response = as_owner.get(reverse("payments:order_return", args=[world.order.pk]) + "?session_id=cs_test_abc")
    landing = reverse("organisations:seat_order_landing", args=[world.order.pk]) + "?session_id=cs_test_abc"
    assert response["Location"] == landing
    response = as_owner.get(landing)
    assert response["Location"] == (
        reverse("organisations:seat_order", args=[world.org.pk, world.order.pk]) + "?session_id=cs_test_abc"
    )
    response = as_owner.get(reverse("payments:order_cancelled", args=[world.order.pk]))
    assert response["Location"] == reverse("organisations:seat_order_landing", args=[world.order.pk]) + "?cancelled=1"


def test_an_unpaid_order_waits_politely_or_says_it_was_cancelled(as_owner, world):
    order = seat_order(world.org, world.course, world.owner, quantity=2)
    url = reverse("organisations:seat_order", args=[world.org.pk, order.pk])
    page = as_owner.get(url).content.decode()  # Stripe unreachable here: logged, the page still answers
    assert "Waiting for payment" in page and "Stop checking automatically" in page
    assert "http-equiv" not in page
    page = as_owner.get(url + "?cancelled=1").content.decode()
    assert "nothing was charged" in page and "Stop checking automatically" not in page


def test_the_buyer_sees_the_receipt_with_places_times_price(as_owner, world, django_capture_on_commit_callbacks):
    page = as_owner.get(reverse("payments:receipt", args=[world.order.pk])).content.decode()
    assert "Meeting Facilitation: 3 places × 40.00 USD" in page
    assert "120.00 USD" in page and "accounts@riverside.example" in page
    assert "Course fee paid" not in page
    # The email: to the billing address and the buyer, with the same line.
    mail.outbox.clear()
    payments.order_send_receipt(order_id=world.order.pk)
    [message] = mail.outbox
    assert message.to == ["accounts@riverside.example", "owner@riverside.example"]
    assert "Places:           3 places × 40.00 USD" in message.body
    assert "You are enrolled" not in message.body and "/organisations/" in message.body


def test_a_seat_order_is_not_shown_as_the_buyers_own_place(as_owner, world):
    from payments import selectors

    assert selectors.paid_order_for(user=world.owner, course_id=world.course.pk) is None
    page = as_owner.get(reverse("payments:my_orders")).content.decode()
    assert "3 places for your organisation" in page


def test_seats_in_use_and_free_after_a_release_and_a_new_holder(as_owner, world):
    as_owner.post(reverse("organisations:seat_release", args=[world.org.pk, world.seat.pk]))
    assert Seat.objects.filter(pool=world.pool, released_at__isnull=True).count() == 0
    page = as_owner.get(seats_url(world)).content.decode()
    assert "Nobody holds one of your places yet" in page
