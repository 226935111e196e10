"""The webhook: signature checked on the raw body before any write, each event stored
once, processed by the task (eager here; the worker tests run it in a real worker).

Events localstripe never sends (Checkout, refunds from the dashboard, disputes) are signed
here with Stripe's scheme; ``test_localstripe.py`` has the real deliveries."""
import json
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from courses.models import Enrollment
from payments import services
from payments.models import DiscountCode, Order, Refund, StripeEvent
from tests.factories import UserFactory

from .conftest import event_body, post_event, sign
from .helpers import discount_code, minor, paid_course, pending_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def deliver(client, webhook_settings, django_capture_on_commit_callbacks):
    """POST a signed event and run what it queued (the task, then the emails)."""

    def deliver(event_type, obj, **kwargs):
        body = event_body(event_type, obj, **kwargs)
        with django_capture_on_commit_callbacks(execute=True):
            response = post_event(client, body)
        assert response.status_code == 200, response.content
        return response

    return deliver


def session_for(order, *, payment_status="paid", status="complete", amount=None, currency=None, intent="pi_test_1"):
    return {
        "id": order.stripe_checkout_session_id or f"cs_test_{order.pk}", "object": "checkout.session",
        "mode": "payment", "status": status, "payment_status": payment_status,
        "amount_total": minor(order) if amount is None else amount,
        "currency": (currency or order.currency).lower(), "client_reference_id": str(order.pk),
        "metadata": {"order_id": str(order.pk)}, "payment_intent": intent, "customer_email": order.email,
    }


def intent_for(order, *, intent="pi_test_1", amount=None, status="succeeded", **extra):
    amount = minor(order) if amount is None else amount
    return {
        "id": intent, "object": "payment_intent", "amount": amount, "amount_received": amount if status == "succeeded" else 0,
        "currency": order.currency.lower(), "status": status, "metadata": {"order_id": str(order.pk)},
        "latest_charge": "ch_test_1", **extra,
    }


@pytest.fixture
def order(db):
    return pending_order(UserFactory(), paid_course("40.00"), donation="10", session_id="cs_test_abc")


# --- refusing what is not Stripe's ---------------------------------------------------------


def test_bad_signature_changed_body_stale_or_missing_are_refused_and_nothing_is_stored(client, webhook_settings, order):
    body = event_body("payment_intent.succeeded", intent_for(order))
    assert b'"amount": 5000' in body
    cases = {
        "wrong secret": (body, sign(body, secret="whsec_someone_else")),
        "changed body": (body.replace(b'"amount": 5000', b'"amount": 1'), sign(body)),
        "stale timestamp": (body, sign(body, timestamp=int(time.time()) - 3600)),
        "no header": (body, ""),
        "garbage header": (body, "t=abc,v1=zzz"),
    }
    for name, (payload, signature) in cases.items():
        response = post_event(client, payload, signature)
        assert response.status_code == 400, name
        assert "Signature verification failed" in response.json()["error"], name
    assert not StripeEvent.objects.exists()
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    assert not Enrollment.objects.exists()


def test_a_correctly_signed_event_dated_in_the_future_is_refused_like_an_old_one(client, webhook_settings, order, settings):
    """stripe-python only refuses old timestamps: one signed for a time past the tolerance
    ahead (a captured delivery kept for replay later, or a signer with a wrong clock) is
    refused too, and nothing is stored. Within the tolerance, clocks may differ."""
    settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300
    body = event_body("payment_intent.succeeded", intent_for(order))
    response = post_event(client, body, sign(body, timestamp=int(time.time()) + 3600))
    assert response.status_code == 400
    assert "in the future" in response.json()["error"]
    assert not StripeEvent.objects.exists()
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    # A signature header naming two timestamps is read as Stripe's client reads it (the first).
    late = int(time.time()) + 3600
    header = sign(body, timestamp=late) + f",t={int(time.time())}"
    assert post_event(client, body, header).status_code == 400
    assert not StripeEvent.objects.exists()
    # A clock a minute ahead is within the tolerance.
    assert post_event(client, body, sign(body, timestamp=int(time.time()) + 60)).status_code == 200


def test_signed_body_that_is_not_an_event_is_refused(client, webhook_settings):
    body = json.dumps({"hello": "world"}).encode()
    response = post_event(client, body)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_webhook_needs_post_and_a_secret(client, settings, order):
    assert client.get("/stripe/webhook/").status_code == 405
    settings.STRIPE_WEBHOOK_SECRET = ""
    body = event_body("payment_intent.succeeded", intent_for(order))
    assert post_event(client, body).status_code == 503
    assert not StripeEvent.objects.exists()


# --- settling orders --------------------------------------------------------------------------


def test_checkout_completed_fulfils_once(deliver, order, client):
    response = deliver("checkout.session.completed", session_for(order), event_id="evt_once")
    assert response.json() == {"received": True, "duplicate": False}
    order.refresh_from_db()
    assert (order.status, order.amount_paid, order.stripe_payment_intent_id) == (Order.Status.PAID, Decimal("50.00"), "pi_test_1")
    enrollment = Enrollment.objects.get(user=order.user, course=order.course)
    assert enrollment.source == Enrollment.Source.PAID
    event = StripeEvent.objects.get()
    assert (event.order, event.outcome) == (order, services.Fulfilment.FULFILLED)
    assert event.processed_at is not None
    # The same event again: 200, stored once, nothing more happens.
    response = deliver("checkout.session.completed", session_for(order), event_id="evt_once")
    assert response.json() == {"received": True, "duplicate": True}
    # And the PaymentIntent's own event: already settled.
    deliver("payment_intent.succeeded", intent_for(order))
    assert StripeEvent.objects.count() == 2
    assert StripeEvent.objects.get(type="payment_intent.succeeded").outcome == services.Fulfilment.ALREADY
    assert Enrollment.objects.count() == 1
    assert len(mail.outbox) == 1
    receipt = mail.outbox[0]
    assert receipt.to == [order.user.email]
    assert order.reference in receipt.subject


# serialized_rollback: the flush after a transactional test would otherwise take the
# migration-made rows (content types, the site tree) from the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_intake_in_autocommit_stores_once_and_queues_once(monkeypatch):
    """As the webhook view runs it (no transaction around the request): the event is one
    INSERT, queued at once; a duplicate (same Stripe id) is found, not stored or queued again."""
    from django.db import connection

    from payments import tasks

    queued = []
    monkeypatch.setattr(tasks.stripe_event_process_task, "delay", queued.append)
    payload = json.loads(event_body("payment_intent.succeeded", {"id": "pi_x", "object": "payment_intent"},
                                    event_id="evt_autocommit"))
    statements = []  # (verb, autocommit on?): an INSERT in autocommit is its own transaction

    def watch(execute, sql, params, many, context):
        statements.append((sql.split()[0], connection.get_autocommit()))
        return execute(sql, params, many, context)

    assert not connection.in_atomic_block
    with connection.execute_wrapper(watch):
        event, created = services.stripe_event_record(payload)
    assert created and queued == [event.pk]
    assert statements == [("INSERT", True)]
    again, created = services.stripe_event_record(payload)
    assert (again.pk, created, queued) == (event.pk, False, [event.pk])
    assert StripeEvent.objects.count() == 1


def test_a_duplicate_inside_a_callers_transaction_leaves_it_usable(order):
    payload = json.loads(event_body("payment_intent.succeeded", intent_for(order), event_id="evt_in_tx"))
    first, created = services.stripe_event_record(payload)
    assert created
    again, created = services.stripe_event_record(payload)
    assert (again.pk, created) == (first.pk, False)
    # The surrounding (test) transaction still works after the unique violation.
    assert StripeEvent.objects.filter(stripe_id="evt_in_tx").count() == 1


def test_event_for_an_unknown_order_is_recorded_and_gives_nothing(deliver, order):
    stranger = intent_for(order, intent="pi_unknown")
    stranger["metadata"] = {"order_id": "999999"}
    deliver("payment_intent.succeeded", stranger)
    session = session_for(order)
    session.update(metadata={}, client_reference_id=None, id="cs_unknown", payment_intent="pi_other")
    deliver("checkout.session.completed", session)
    assert StripeEvent.objects.count() == 2
    for event in StripeEvent.objects.all():
        assert event.processed_at is not None
        assert event.order is None
        assert event.outcome == services.NO_ORDER
    assert not Enrollment.objects.exists()
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING


@pytest.mark.parametrize("amount, currency", [(100, None), (5001, None), (5000, "eur")])
def test_mismatched_payment_gives_no_access_and_flags_the_order(deliver, order, settings, amount, currency):
    settings.PAYMENTS_STAFF_EMAILS = ["finance@example.org"]
    deliver("checkout.session.completed", session_for(order, amount=amount, currency=currency))
    order.refresh_from_db()
    assert order.status == Order.Status.NEEDS_ATTENTION
    assert order.flags == [Order.Flag.AMOUNT_MISMATCH]
    assert "No access given" in order.attention_note
    assert not Enrollment.objects.exists()
    [alert] = mail.outbox
    assert alert.to == ["finance@example.org"]
    assert "does not match" in alert.subject
    # A later, correct-looking event does not quietly give access either.
    deliver("payment_intent.succeeded", intent_for(order))
    order.refresh_from_db()
    assert order.status == Order.Status.NEEDS_ATTENTION
    assert not Enrollment.objects.exists()


def test_async_payment_processing_then_succeeded(deliver, order):
    deliver("checkout.session.completed", session_for(order, payment_status="unpaid", intent="pi_async"))
    order.refresh_from_db()
    assert (order.status, order.stripe_payment_intent_id) == (Order.Status.PENDING, "pi_async")
    assert not Enrollment.objects.exists()
    deliver("checkout.session.async_payment_succeeded", session_for(order, intent="pi_async"))
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Enrollment.objects.filter(user=order.user).exists()


def test_async_payment_failed(deliver, order):
    deliver("checkout.session.async_payment_failed", session_for(order, payment_status="unpaid"))
    order.refresh_from_db()
    assert order.status == Order.Status.FAILED
    assert not Enrollment.objects.exists()


def test_declined_then_paid_in_the_same_session(deliver, order):
    failed = intent_for(order, status="requires_payment_method", last_payment_error={"message": "Your card was declined."})
    deliver("payment_intent.payment_failed", failed)
    order.refresh_from_db()
    assert (order.status, order.last_payment_error) == (Order.Status.FAILED, "Your card was declined.")
    deliver("payment_intent.succeeded", intent_for(order))
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Enrollment.objects.filter(user=order.user).exists()


def test_expired_session_closes_the_order_and_frees_its_code(deliver, db):
    course = paid_course("40.00")
    code = discount_code("HALF", max_uses=1, uses=1)
    order = pending_order(UserFactory(), course, session_id="cs_test_exp", discount_code=code, discount="20.00",
                          discount_reserved=True)
    deliver("checkout.session.expired", session_for(order, status="expired", payment_status="unpaid", intent=None))
    order.refresh_from_db()
    code.refresh_from_db()
    assert (order.status, order.discount_reserved, code.uses) == (Order.Status.EXPIRED, False, 0)
    # Delivered again (or the sweep also notices): the use is not given back twice.
    deliver("checkout.session.expired", session_for(order, status="expired", payment_status="unpaid", intent=None))
    code.refresh_from_db()
    assert code.uses == 0


def test_paid_after_expiry_takes_the_code_again_or_flags(deliver, db):
    course = paid_course("40.00")
    code = discount_code("HALF", max_uses=1)
    order = pending_order(UserFactory(), course, discount_code=code, discount="20.00", status=Order.Status.EXPIRED)
    DiscountCode.objects.filter(pk=code.pk).update(uses=1)  # someone else took the freed use
    deliver("payment_intent.succeeded", intent_for(order))
    order.refresh_from_db()
    assert order.status == Order.Status.PAID  # they paid: they get the place
    assert Order.Flag.CODE_OVERUSED in order.flags
    assert DiscountCode.objects.get().uses == 1


def test_a_second_paid_order_for_the_same_course_is_flagged(deliver, db):
    course = paid_course("40.00")
    user = UserFactory()
    first = pending_order(user, course)
    second = pending_order(user, course)
    deliver("payment_intent.succeeded", intent_for(first, intent="pi_first"))
    deliver("payment_intent.succeeded", intent_for(second, intent="pi_second"))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Order.Status.PAID
    assert (second.status, second.flags) == (Order.Status.NEEDS_ATTENTION, [Order.Flag.DUPLICATE_PURCHASE])
    assert Enrollment.objects.count() == 1


def test_livemode_mismatch_is_ignored(deliver, order):
    deliver("payment_intent.succeeded", intent_for(order), livemode=True)
    event = StripeEvent.objects.get()
    assert event.outcome.startswith("ignored")
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING


def test_other_event_types_are_recorded_and_ignored(deliver):
    deliver("customer.created", {"id": "cus_1", "object": "customer"})
    assert StripeEvent.objects.get().outcome == "ignored: not an event we act on"


# --- disputes ---------------------------------------------------------------------------------


def test_dispute_flags_the_order_for_staff(deliver, order, settings):
    settings.PAYMENTS_STAFF_EMAILS = ["finance@example.org"]
    deliver("payment_intent.succeeded", intent_for(order, intent="pi_disputed"))
    dispute = {"id": "dp_1", "object": "dispute", "amount": 5000, "currency": "usd", "charge": "ch_test_1",
               "payment_intent": "pi_disputed", "reason": "fraudulent", "status": "needs_response"}
    deliver("charge.dispute.created", dispute)
    order.refresh_from_db()
    assert order.status == Order.Status.DISPUTED
    assert Order.Flag.DISPUTE in order.flags
    assert "fraudulent" in order.attention_note
    assert Enrollment.objects.get().status == Enrollment.Status.ACTIVE  # staff decide
    assert any("disputed" in m.subject for m in mail.outbox)
    deliver("charge.dispute.closed", {**dispute, "status": "won"})
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_lost_dispute_is_flagged(deliver, order):
    deliver("payment_intent.succeeded", intent_for(order, intent="pi_lost"))
    dispute = {"id": "dp_2", "object": "dispute", "amount": 5000, "currency": "usd", "charge": "ch_test_1",
               "payment_intent": "pi_lost", "reason": "general", "status": "needs_response"}
    deliver("charge.dispute.created", dispute)
    deliver("charge.dispute.closed", {**dispute, "status": "lost"})
    order.refresh_from_db()
    assert order.status == Order.Status.DISPUTED
    assert Order.Flag.DISPUTE_LOST in order.flags


# --- refunds made in Stripe's dashboard -------------------------------------------------------


def refund_obj(order, rid, amount, status="succeeded", **extra):
    return {"id": rid, "object": "refund", "amount": amount, "currency": "usd", "status": status,
            "payment_intent": order.stripe_payment_intent_id, "charge": "ch_test_1", "metadata": {}, **extra}


def charge_refunded(order, refunds):
    return {"id": "ch_test_1", "object": "charge", "amount": minor(order), "currency": "usd",
            "amount_refunded": sum(r["amount"] for r in refunds), "payment_intent": order.stripe_payment_intent_id,
            "refunded": sum(r["amount"] for r in refunds) >= minor(order),
            "refunds": {"object": "list", "data": refunds, "has_more": False}}


def test_dashboard_refunds_are_recorded_once_and_a_full_one_ends_access(deliver, order):
    deliver("payment_intent.succeeded", intent_for(order, intent="pi_refund"))
    order.refresh_from_db()
    mail.outbox.clear()
    partial = refund_obj(order, "re_1", 1500)
    deliver("charge.refunded", charge_refunded(order, [partial]))
    deliver("refund.created", partial)  # the same refund told again: not counted twice
    deliver("charge.refund.updated", partial)
    order.refresh_from_db()
    assert (order.status, order.amount_refunded) == (Order.Status.PARTIALLY_REFUNDED, Decimal("15.00"))
    assert Refund.objects.get().source == Refund.Source.STRIPE
    assert Enrollment.objects.get().status == Enrollment.Status.ACTIVE
    assert len(mail.outbox) == 1 and "$15.00" in mail.outbox[0].body

    rest = refund_obj(order, "re_2", 3500)
    deliver("charge.refunded", charge_refunded(order, [rest, partial]))
    order.refresh_from_db()
    assert (order.status, order.amount_refunded) == (Order.Status.REFUNDED, Decimal("50.00"))
    assert Refund.objects.count() == 2
    assert Enrollment.objects.get().status == Enrollment.Status.WITHDRAWN
    assert len(mail.outbox) == 2 and "your place in the course has ended" in mail.outbox[1].body


def test_full_refund_keeps_access_when_configured(deliver, order, settings):
    settings.PAYMENTS_FULL_REFUND_ENDS_ACCESS = False
    deliver("payment_intent.succeeded", intent_for(order, intent="pi_keep"))
    order.refresh_from_db()
    deliver("refund.created", refund_obj(order, "re_all", 5000))
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert Enrollment.objects.get().status == Enrollment.Status.ACTIVE


def test_a_failed_refund_gives_the_place_back(deliver, order):
    deliver("payment_intent.succeeded", intent_for(order, intent="pi_fail"))
    order.refresh_from_db()
    deliver("refund.created", refund_obj(order, "re_f", 5000, status="pending"))
    assert Enrollment.objects.get().status == Enrollment.Status.WITHDRAWN
    deliver("refund.failed", refund_obj(order, "re_f", 5000, status="failed", failure_reason="expired_or_canceled_card"))
    order.refresh_from_db()
    assert (order.status, order.amount_refunded) == (Order.Status.PAID, Decimal("0"))
    assert Order.Flag.REFUND_FAILED in order.flags
    assert Enrollment.objects.get().status == Enrollment.Status.ACTIVE


# --- the sweep --------------------------------------------------------------------------------


def test_an_event_whose_processing_was_lost_is_requeued(client, webhook_settings, order, django_capture_on_commit_callbacks):
    body = event_body("payment_intent.succeeded", intent_for(order))
    # Stored, but the task never ran (say the broker lost it).
    response = post_event(client, body)
    assert response.status_code == 200
    event = StripeEvent.objects.get()
    assert event.processed_at is None
    StripeEvent.objects.filter(pk=event.pk).update(received_at=timezone.now() - timedelta(minutes=5))
    summary = services.orders_reconcile()
    assert summary["events"] == 1
    event.refresh_from_db()
    assert event.processed_at is not None
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_a_stored_event_is_answered_200_while_the_broker_is_down(
    client, webhook_settings, order, broker_down, django_capture_on_commit_callbacks
):
    """Verified and stored, but its task cannot be queued: Stripe hears 200 (the event is
    safe) and a second delivery is still a duplicate. The reconciliation sweep processes it
    later (test_an_event_whose_processing_was_lost_is_requeued)."""
    body = event_body("payment_intent.succeeded", intent_for(order), event_id="evt_broker_down")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, body)
    assert response.status_code == 200, response.content
    assert response.json() == {"received": True, "duplicate": False}
    event = StripeEvent.objects.get()
    assert (event.stripe_id, event.processed_at) == ("evt_broker_down", None)
    with django_capture_on_commit_callbacks(execute=True):
        again = post_event(client, body)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert StripeEvent.objects.count() == 1


def test_processing_errors_are_recorded_not_lost(deliver, order, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    # Patched where the event processing looks it up.
    monkeypatch.setattr(services.webhooks, "order_fulfil", broken)
    deliver("payment_intent.succeeded", intent_for(order))
    event = StripeEvent.objects.get()
    assert event.processed_at is None
    assert "database hiccup" in event.processing_error
    assert event.attempts == 1
    monkeypatch.undo()
    assert services.stripe_event_process(event_id=event.pk) is True
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_a_refund_event_before_the_payment_event_waits_for_it(deliver, order, settings):
    """Events out of order: the refund is applied once the payment is recorded, never to
    an unpaid order."""
    settings.STRIPE_SECRET_KEY = ""  # nothing to ask: the event must wait
    Order.objects.filter(pk=order.pk).update(stripe_payment_intent_id="pi_early")
    order.refresh_from_db()
    deliver("refund.created", refund_obj(order, "re_early", 1000))
    event = StripeEvent.objects.get()
    assert event.processed_at is None and "no recorded payment yet" in event.processing_error
    order.refresh_from_db()
    assert (order.status, order.amount_refunded) == (Order.Status.PENDING, Decimal("0"))
    assert not Refund.objects.exists()

    deliver("payment_intent.succeeded", intent_for(order, intent="pi_early"))
    StripeEvent.objects.filter(pk=event.pk).update(received_at=timezone.now() - timedelta(minutes=5))
    services.orders_reconcile()
    event.refresh_from_db()
    order.refresh_from_db()
    assert event.processed_at is not None
    assert (order.status, order.amount_refunded) == (Order.Status.PARTIALLY_REFUNDED, Decimal("10.00"))


def test_old_event_bodies_are_pruned_but_still_recognised(client, deliver, order, settings, django_capture_on_commit_callbacks):
    """Privacy: the payer's details in Stripe's bodies go after PAYMENTS_EVENT_PAYLOAD_DAYS;
    the row, id, type and outcome stay, and a late re-delivery is still a duplicate.
    Events never processed keep their body (staff need it; the sweeper retries them)."""
    settings.PAYMENTS_EVENT_PAYLOAD_DAYS = 90
    deliver("payment_intent.succeeded", intent_for(order, receipt_email="payer@example.org"), event_id="evt_old_paid")
    old = StripeEvent.objects.get(stripe_id="evt_old_paid")
    assert old.processed_at and "payer@example.org" in json.dumps(old.payload)
    StripeEvent.objects.filter(pk=old.pk).update(processed_at=timezone.now() - timedelta(days=91))
    recent = StripeEvent.objects.create(stripe_id="evt_recent", type="charge.updated", payload={"email": "a@example.org"},
                                        processed_at=timezone.now() - timedelta(days=89))
    stuck = StripeEvent.objects.create(stripe_id="evt_stuck", type="charge.updated", payload={"email": "b@example.org"},
                                       received_at=timezone.now() - timedelta(days=200), processing_error="KeyError: 'x'")

    assert services.stripe_events_prune(batch=1) == 1
    old.refresh_from_db()
    assert set(old.payload) == {"id", "type", "pruned_at"} and old.payload["id"] == "evt_old_paid"
    assert old.payload["type"] == "payment_intent.succeeded" and old.outcome and old.order_id == order.pk
    assert StripeEvent.objects.get(pk=recent.pk).payload == {"email": "a@example.org"}
    assert StripeEvent.objects.get(pk=stuck.pk).payload == {"email": "b@example.org"}
    assert services.stripe_events_prune() == 0  # the nightly run again: nothing left to do
    # Stripe re-delivers the old event: recognised, nothing done twice.
    response = deliver("payment_intent.succeeded", intent_for(order), event_id="evt_old_paid")
    assert response.json() == {"received": True, "duplicate": True}
    assert Enrollment.objects.filter(user=order.user).count() == 1
