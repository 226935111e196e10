"""The seats page: places per course (total, in use, free, invitations waiting), who holds
them and giving one back (refused once the learner has started), the ledger, the buy form
(course and number checked on the server), and the page a buyer comes back to from Stripe,
with the receipt showing "N places × unit price"."""
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Enrollment, LessonProgress, QuizAttempt
from organisations import dashboard, selectors, services
from organisations.admin.forms import GrantSeatsForm
from organisations.models import Seat, SeatPool, SeatPurchase
from payments import services as payments
from payments.models import Order
from tests.factories import UserFactory, build_course, build_quiz, lessons_of

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


def start(enrollment, how: str, course):
    """The learner starts the course in one of the ways ``seat_release`` refuses."""
    if how == "progress":
        Enrollment.objects.filter(pk=enrollment.pk).update(progress_percent=26)
    elif how == "completed":
        Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=enrollment.enrolled_at, progress_percent=100)
    elif how == "lesson":
        LessonProgress.objects.create(enrollment=enrollment, lesson=lessons_of(course)[0], last_seen_at=enrollment.enrolled_at)
    elif how == "quiz":
        quiz = build_quiz(course)
        QuizAttempt.objects.create(user=enrollment.user, enrollment=enrollment, quiz=quiz, number=1, questions=[],
                                   pass_mark=70, feedback="after_each")


def held_cell(page: str, email: str) -> str:
    """The last cell of the holder's row of "Who holds a place"."""
    held = page.split('id="held-caption"')[1].split("</table>")[0]
    row = next(row for row in held.split("<tr>") if email in row.split("</th>")[0])
    return row.split("<td>")[-1]


@pytest.mark.parametrize("how", ["progress", "completed", "lesson", "quiz", None])
def test_the_button_is_offered_exactly_where_giving_back_works(as_owner, world, how):
    """The page and the service follow one rule: where the learner has started, a note and
    no button (the service would refuse); where not, the button, and it works."""
    enrollment = Enrollment.objects.get(user=world.member, course=world.course)
    if how:
        start(enrollment, how, world.course)
    cell = held_cell(as_owner.get(seats_url(world)).content.decode(), "staff@riverside.example")
    release = reverse("organisations:seat_release", args=[world.org.pk, world.seat.pk])
    offered = release in cell and "Give the seat back" in cell
    assert offered == (how is None)
    assert ("Started: the place is theirs" in cell) == (how is not None)
    assert selectors.has_made_progress(enrollment) == (how is not None)
    response = as_owner.post(release)
    assert ("is free again" in messages_of(response)[0]) == offered


def test_holders_who_started_and_those_who_did_not_on_one_page(as_owner, world):
    """The audit's case: two holders at 26% and 8% and one who has not begun."""
    add_holders(world, 2)
    for email, percent in (("holder000@riverside.example", 26), ("holder001@riverside.example", 8)):
        Enrollment.objects.filter(user__email=email, course=world.course).update(progress_percent=percent)
    page = as_owner.get(seats_url(world)).content.decode()
    for email in ("holder000@riverside.example", "holder001@riverside.example"):
        cell = held_cell(page, email)
        assert "Started: the place is theirs" in cell and "<button" not in cell
    cell = held_cell(page, "staff@riverside.example")
    assert "Give the seat back" in cell and "Started" not in cell


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


LEARNER_WORDS = ("scholarship code", "you are enrolled", "fee waiver")


def test_without_online_payment_the_form_can_be_tried_and_says_why_it_cannot_buy(as_owner, world, settings):
    """The demo has no Stripe keys: the form is shown all the same, so the flow can be
    tried. The page says plainly that card payment needs Stripe keys and how to get places
    meanwhile (by invoice, from the training team), in a manager's words: not payments'
    message to a learner at checkout. Submitting says the same and changes nothing."""
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_CONTACT_EMAIL = "training@example.org"
    page = as_owner.get(seats_url(world)).content.decode()
    buy = page.split('id="buy-heading"')[1].split("</form>")[0]
    note = buy.split('id="payment-not-set-up"')[1].split("</div>")[0]
    assert "Card payment needs Stripe keys, and none are set on this site" in note
    assert 'add places for you by invoice: write to <a href="mailto:training@example.org">' in note
    assert "nothing is ordered or charged" in note
    assert not any(words in buy for words in LEARNER_WORDS)
    form = buy.split("<form")[1]  # the form is there, with its fields and button
    assert 'name="course"' in form and 'name="quantity"' in form and "Continue to payment" in form
    before = snapshot()
    response = as_owner.post(reverse("organisations:seats_buy", args=[world.org.pk]),
                             {"course": world.course.pk, "quantity": "2"})
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["form"].non_field_errors() == [
        "Card payment needs Stripe keys, and none are set on this site, so places cannot be bought online at the "
        "moment. Meanwhile the training team can add places for you by invoice: write to training@example.org."
    ]
    assert not response.context["form"]["quantity"].errors
    assert 'id="id_quantity_errors"' not in page and 'href="#id_quantity"' not in page
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert "Card payment needs Stripe keys" in summary and "by invoice" in summary
    assert 'value="2"' in page.split('id="buy-heading"')[1].split("</form>")[0]  # what was typed stays
    assert str(payments.NOT_SET_UP) not in page and not any(words in page for words in LEARNER_WORDS)
    assert snapshot() == before and Order.objects.count() == 2  # the two of build_world


def test_a_bad_number_of_places_is_still_checked_without_online_payment(as_owner, world, settings):
    settings.STRIPE_SECRET_KEY = ""
    before = snapshot()
    response = as_owner.post(reverse("organisations:seats_buy", args=[world.org.pk]),
                             {"course": world.course.pk, "quantity": "0"})
    assert response.status_code == 200 and response.context["form"]["quantity"].errors
    assert snapshot() == before


def test_without_online_payment_or_a_contact_address_the_training_team_is_named(as_owner, world, settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_CONTACT_EMAIL = ""
    page = as_owner.get(seats_url(world)).content.decode()
    buy = page.split('id="buy-heading"')[1].split("</form>")[0]
    assert "the training team can add places for you by invoice: contact them." in buy and "mailto:" not in buy
    response = as_owner.post(reverse("organisations:seats_buy", args=[world.org.pk]),
                             {"course": world.course.pk, "quantity": "2"})
    assert response.context["form"].non_field_errors()[0].endswith(
        "Meanwhile the training team can add places for you by invoice: contact them."
    )


def pool_rows(page: str) -> list[str]:
    """The course of each row of "Your places by course"."""
    if 'id="pools-caption"' not in page:
        return []
    table = page.split('id="pools-caption"')[1].split("</table>")[0]
    return re.findall(r'<th scope="row">([^<]*)</th>', table)


def test_a_purchase_refused_before_payment_leaves_no_row(as_owner, world, settings):
    """The audit: "Family & Friends Facilitator Training 0 0 0 0" stayed on the page after
    a purchase that could not be paid. The pool is made with the order, in the
    transaction payments' refusal rolls back."""
    family = build_course(title="Family & Friends Facilitator Training", price=Decimal("25.00"), modules=1)
    settings.STRIPE_SECRET_KEY = ""
    response = as_owner.post(reverse("organisations:seats_buy", args=[world.org.pk]),
                             {"course": family.pk, "quantity": "3"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not SeatPool.objects.filter(organisation=world.org, course=family).exists()
    assert pool_rows(response.content.decode()) == ["Meeting Facilitation"]
    assert pool_rows(as_owner.get(seats_url(world)).content.decode()) == ["Meeting Facilitation"]


def test_a_checkout_stripe_could_not_start_leaves_no_row(as_owner, world):
    """Stripe unreachable (build_world points it at a closed port): the order was made and
    is kept, linked to its pool, as payment records are; the pool has never held a place
    and the page does not list it."""
    family = build_course(title="Family & Friends Facilitator Training", price=Decimal("25.00"), modules=1)
    response = as_owner.post(reverse("organisations:seats_buy", args=[world.org.pk]),
                             {"course": family.pk, "quantity": "3"})
    assert response.status_code == 200
    assert "could not reach our card payment provider" in response.context["form"].non_field_errors()[0]
    assert SeatPurchase.objects.get(pool__course=family).order.status == Order.Status.FAILED
    assert pool_rows(as_owner.get(seats_url(world)).content.decode()) == ["Meeting Facilitation"]
    # Nor do the staff progress filters, nor (once the course is withdrawn) the staff grant form.
    assert [c.title for c in dashboard.staff_scope(world.org).courses] == ["Meeting Facilitation"]
    family.unpublish()
    offered = GrantSeatsForm(organisation=world.org).fields["course"].queryset
    assert family not in offered and world.course in offered


def test_an_empty_pool_is_listed_once_it_has_history(as_owner, world):
    """A pool with no places left but a ledger (seats granted, then taken back) keeps its
    row; one left empty by an earlier version (made before the order) has none."""
    family = build_course(title="Family & Friends Facilitator Training", price=Decimal("25.00"), modules=1)
    other = build_course(title="Another Course", price=Decimal("25.00"), modules=1)
    services.pool_for(organisation_id=world.org.pk, course_id=other.pk)  # as the old seats_buy_start did
    services.seats_grant(organisation_id=world.org.pk, course=family, quantity=2, by=None, note="Grant")
    services.seats_grant(organisation_id=world.org.pk, course=family, quantity=-2, by=None, note="Correction")
    page = as_owner.get(seats_url(world)).content.decode()
    assert pool_rows(page) == ["Family &amp; Friends Facilitator Training", "Meeting Facilitation"]


def test_a_refused_seat_removal_leaves_no_empty_pool(world):
    family = build_course(title="Family & Friends Facilitator Training", price=Decimal("25.00"), modules=1)
    with pytest.raises(services.OrganisationError, match="at most 0 can be removed"):
        services.seats_grant(organisation_id=world.org.pk, course=family, quantity=-1, by=None, note="Correction")
    assert not SeatPool.objects.filter(course=family).exists()


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


# --- pages of holders and of history -----------------------------------------------------------


def add_holders(w, n: int, start: int = 0):
    """n more people holding a place, each from a grant of one place: the holders and the
    history grow together (the world already has one holder and one purchase)."""
    for i in range(start, start + n):
        services.seats_grant(organisation_id=w.org.pk, course=w.course, quantity=1, by=None, note=f"Grant {i:03d}")
        user = UserFactory(email=f"holder{i:03d}@riverside.example")
        services.membership_join(organisation_id=w.org.pk, user=user)
        with transaction.atomic():
            services.seat_take(organisation_id=w.org.pk, user=user, course=w.course)


def held_emails(response) -> list[str]:
    return [seat.user.email for seat in response.context["seats"]]


def history_notes(response) -> list[str]:
    return [change.note if change.kind == "grant" else change.get_kind_display() for change in response.context["changes"]]


def pager_of(page: str, label: str) -> str:
    return page.split(f'aria-label="{label}"')[1].split("</nav>")[0]


def test_holders_and_history_page_in_fifties_each_on_its_own(as_owner, world):
    add_holders(world, 60)  # 61 holders, 61 changes
    first = as_owner.get(seats_url(world))
    page = first.content.decode()
    assert len(held_emails(first)) == 50 and len(history_notes(first)) == 50
    held_pager = pager_of(page, "Pages of staff holding a place")
    history_pager = pager_of(page, "Pages of history")
    assert "Page 1 of 2" in held_pager and "Page 1 of 2" in history_pager
    assert 'href="?held_page=2#held" rel="next"' in held_pager and "Previous page" not in held_pager
    assert 'href="?history_page=2#history" rel="next"' in history_pager
    assert "Next page<span class=\"visually-hidden\"> of staff holding a place</span>" in held_pager
    assert "Showing 1–50 of 61 places in use." in page and "(page 1 of 2)" in page
    assert 'id="history"' in page

    # The second page of holders leaves the history on its first page, and back.
    second = as_owner.get(seats_url(world), {"held_page": 2})
    assert len(held_emails(second)) == 11 and history_notes(second) == history_notes(first)
    page = second.content.decode()
    assert 'href="?held_page=1#held" rel="prev"' in pager_of(page, "Pages of staff holding a place")
    assert 'href="?held_page=2&amp;history_page=2#history" rel="next"' in pager_of(page, "Pages of history")
    both = as_owner.get(seats_url(world), {"held_page": 2, "history_page": 2})
    assert held_emails(both) == held_emails(second) and len(history_notes(both)) == 11

    # Every holder once, in order (course, then email); every change once, newest first.
    everyone = held_emails(first) + held_emails(second)
    assert everyone == sorted(everyone) and len(set(everyone)) == 61
    assert "staff@riverside.example" in everyone and "staff@hillside.example" not in everyone
    notes = history_notes(first) + history_notes(both)
    assert notes == [f"Grant {i:03d}" for i in reversed(range(60))] + ["Bought online"]


def test_one_page_has_no_pager(as_owner, world):
    page = as_owner.get(seats_url(world)).content.decode()
    assert 'class="pager"' not in page and "Showing" not in page and "(page 1 of" not in page


@pytest.mark.parametrize("number, shown", [
    ("abc", 1), ("", 1), ("1.5", 1), ("9" * 50, 2), ("999", 2), ("0", 2), ("-1", 2), ("2", 2),
])
def test_a_page_number_that_is_not_one_shows_the_first_or_last_page(as_owner, world, number, shown):
    add_holders(world, 60)
    response = as_owner.get(seats_url(world), {"held_page": number, "history_page": number})
    assert response.status_code == 200
    assert response.context["seats"].number == shown and response.context["changes"].number == shown


def seats_page_queries(client, world, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(seats_url(world), params).status_code == 200
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_holders(as_owner, world):
    as_owner.get(seats_url(world))  # warm: session, content types
    small = [seats_page_queries(as_owner, world), seats_page_queries(as_owner, world, held_page=2, history_page=2)]
    add_holders(world, 120)
    large = [seats_page_queries(as_owner, world), seats_page_queries(as_owner, world, held_page=2, history_page=2)]
    assert small == large, (small, large)


def test_queries_do_not_grow_with_holders_who_started(as_owner, world):
    """Whether each holder has started is worked out in the holders' one query."""
    as_owner.get(seats_url(world))
    small = [seats_page_queries(as_owner, world), seats_page_queries(as_owner, world, held_page=2, history_page=2)]
    add_holders(world, 120)
    lesson = lessons_of(world.course)[0]
    quiz = build_quiz(world.course)
    for i, enrollment in enumerate(Enrollment.objects.filter(course=world.course, user__email__startswith="holder")):
        if i % 3 == 0:
            LessonProgress.objects.create(enrollment=enrollment, lesson=lesson, last_seen_at=enrollment.enrolled_at)
        elif i % 3 == 1:
            QuizAttempt.objects.create(user=enrollment.user, enrollment=enrollment, quiz=quiz, number=1, questions=[],
                                       pass_mark=70, feedback="after_each")
    large = [seats_page_queries(as_owner, world), seats_page_queries(as_owner, world, held_page=2, history_page=2)]
    assert small == large, (small, large)
    page = as_owner.get(seats_url(world)).content.decode()
    assert "Started: the place is theirs" in page and "Give the seat back" in page


def test_giving_a_seat_back_returns_to_the_same_page_of_holders(as_owner, world):
    add_holders(world, 60)
    second = as_owner.get(seats_url(world), {"held_page": 2})
    seat = second.context["seats"][0]
    release = reverse("organisations:seat_release", args=[world.org.pk, seat.pk])
    assert f'action="{release}"' in second.content.decode()
    assert '<input type="hidden" name="held_page" value="2">' in second.content.decode()
    response = as_owner.post(release, {"held_page": "2"})
    assert response.status_code == 303 and response["Location"] == seats_url(world) + "?held_page=2#held"
    # Anything but a page number goes back to the first page.
    seat = as_owner.get(seats_url(world), {"held_page": 2}).context["seats"][0]
    response = as_owner.post(reverse("organisations:seat_release", args=[world.org.pk, seat.pk]),
                             {"held_page": "2#x\r\nLocation: http://evil.example"})
    assert response["Location"] == seats_url(world) + "#held"


@pytest.mark.parametrize("params", [{}, {"held_page": "2", "history_page": "2"}, {"held_page": "x"}])
def test_a_manager_of_another_organisation_gets_404_on_any_page(client, world, params):
    add_holders(world, 60)
    client.force_login(world.other_owner)
    assert client.get(reverse("organisations:seats", args=[world.other_org.pk]), params).status_code == 200
    response = client.get(seats_url(world), params)
    assert response.status_code == 404
    assert b"holder0" not in response.content and b"staff@riverside.example" not in response.content
    # Their own pages show their own holder only.
    own = client.get(reverse("organisations:seats", args=[world.other_org.pk]), params)
    assert [seat.user.email for seat in own.context["seats"]] == ["staff@hillside.example"]


def test_a_grant_names_the_staff_member_once(as_owner, world):
    from tests.factories import UserFactory

    admin = UserFactory(email="admin@example.org", certificate_name="Demo Administrator", is_staff=True)
    services.seats_grant(organisation_id=world.org.pk, course=world.course, quantity=1, by=admin, note="Bursary 2026-3")
    history = as_owner.get(seats_url(world)).content.decode().split('id="history-caption"')[1].split("</table>")[0]
    shown = admin.get_full_name() or admin.email
    assert f'Granted by staff <span class="meta">({shown})</span>' in history
    assert "Granted by staff <span class=\"meta\">by" not in history
