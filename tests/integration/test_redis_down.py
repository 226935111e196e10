"""Redis down: the pages that do not need the broker keep answering, a Stripe event is
still stored and answered 200, /healthz says 503, and all is well again once Redis is back.

A private redis-server is both the cache and the broker of this process (as ``REDIS_URL``
makes it in production); the test stops it (its data goes with it) and starts it again.
Requests go through Django's test client: the whole middleware stack, the session, the
views, against the real PostgreSQL and the real (stopped) Redis.
"""
import uuid
from datetime import timedelta

import pytest
import redis as redis_py
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certification import services as certification
from certification.models import Programme
from courses.models import CourseIndexPage, Enrollment
from courses.services import enrollment_create
from payments.models import Order, StripeEvent
from payments.tasks import orders_reconcile_task
from tests.factories import UserFactory, build_course, lessons_of
from tests.integration.processes import start_redis, wait_until
from tests.marks import INTEGRATION
from tests.payments.conftest import WEBHOOK_SECRET, event_body, post_event
from tests.payments.helpers import minor, paid_course, pending_order

pytestmark = INTEGRATION
PASSWORD = "a-long-test-passphrase"  # tests.factories.UserFactory's


@pytest.fixture
def outage(integration_dir, settings, celery_broker):
    """A private Redis that is this process's cache and broker, for the test to stop."""
    server = start_redis(integration_dir)
    settings.CACHES = {
        "default": {
            "BACKEND": "kernel.cache.DegradingRedisCache",
            "LOCATION": server.cache_url,
            # Try Redis again on every call (production waits a moment): the test sees it back at once.
            "OPTIONS": {"retry_after": 0},
        }
    }
    celery_broker.use(server.url)
    try:
        yield server
    finally:
        server.client.close()
        server.stop()


def _pages(course, lesson, certificate) -> dict[str, str]:
    return {
        "home": "/",
        "catalogue": CourseIndexPage.objects.get().url,
        "course": course.url,
        "lesson": lesson.url,
        "verification": reverse("certification:verify", args=[certificate.code]),
    }


def _answers(client, pages) -> dict[str, int]:
    return {name: client.get(url).status_code for name, url in pages.items()}


def test_pages_answer_and_a_stripe_event_is_kept_while_redis_is_down(
    outage, worker_factory, settings
):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    course = build_course(title="Outage Course", modules=1, lessons_per_module=2)
    lesson = lessons_of(course)[0]
    learner = UserFactory(email=f"learner-{uuid.uuid4().hex[:8]}@example.org")
    enrollment_create(user=learner, course=course)
    programme = Programme.objects.create(title="Outage Programme", slug="outage", validity_months=24)
    certificate, _ = certification.certificate_issue(user=learner, programme=programme, period=1, now=timezone.now())
    buyer = UserFactory(email=f"buyer-{uuid.uuid4().hex[:8]}@example.org")
    order = pending_order(buyer, paid_course("40.00", title="Outage Paid Course"), session_id="cs_test_outage")
    pages = _pages(course, lesson, certificate)
    public = {name: url for name, url in pages.items() if name != "lesson"}  # lessons need a sign-in

    signed_in, visitor = Client(), Client()
    signed_in.force_login(learner)
    expected = {name: 200 for name in pages}
    assert _answers(signed_in, pages) == expected  # with Redis: and now cached there
    assert _answers(visitor, public) == {name: 200 for name in public}
    assert visitor.get("/healthz").status_code == 200

    outage.stop()

    assert _answers(signed_in, pages) == expected
    lesson_page = signed_in.get(pages["lesson"]).content.decode()
    assert "Mark complete" in lesson_page and "Sign out" in lesson_page  # the session, from the database
    # The lesson page's heartbeat (time on task) needs no broker either.
    beat = signed_in.post(reverse("courses:heartbeat", args=[course.id, lesson.id]))
    assert beat.status_code == 200 and "time_spent_seconds" in beat.json()
    assert _answers(visitor, public) == {name: 200 for name in public}
    missing = visitor.get(reverse("certification:verify", args=["0" * 20]))
    assert missing.status_code == 404 and b"We found no certificate with that code" in missing.content
    # Signing in works too (the login throttle and the new session without the cache).
    newcomer = Client()
    login = newcomer.post(reverse("account_login"), {"login": buyer.email, "password": PASSWORD})
    assert login.status_code == 302, login.content.decode()[:2000]
    assert newcomer.get(reverse("courses:dashboard")).status_code == 200

    # Stripe's delivery is verified and stored; its task cannot be queued: still 200.
    body = event_body("payment_intent.succeeded", {
        "id": "pi_outage", "object": "payment_intent", "amount": minor(order), "amount_received": minor(order),
        "currency": order.currency.lower(), "status": "succeeded", "metadata": {"order_id": str(order.pk)},
    })
    delivered = post_event(Client(), body)
    assert delivered.status_code == 200 and delivered.json() == {"received": True, "duplicate": False}
    event = StripeEvent.objects.get()
    assert event.processed_at is None and Order.objects.get(pk=order.pk).status == Order.Status.PENDING

    health = visitor.get("/healthz")
    assert health.status_code == 503
    assert health.json()["database"] == "ok" and health.json()["broker"].startswith("error: ")

    outage.start_again()

    assert _answers(signed_in, pages) == expected
    assert _answers(visitor, public) == {name: 200 for name in public}
    assert visitor.get("/healthz").status_code == 200
    # The reconciliation sweep (beat) finds the stored event and a worker processes it.
    worker = worker_factory(pool="solo", prefix="after-outage", extra_env={
        "CELERY_BROKER_URL": outage.url, "TEST_REDIS_URL": outage.url, "TEST_CACHE_URL": outage.cache_url,
    })
    StripeEvent.objects.filter(pk=event.pk).update(received_at=timezone.now() - timedelta(minutes=5))
    orders_reconcile_task.delay()
    paid = wait_until(
        lambda: Order.objects.filter(pk=order.pk, receipt_sent_at__isnull=False).first(),
        what="the order to be paid and its receipt sent", services=[worker.service, outage.service],
    )
    assert paid.status == Order.Status.PAID
    assert Enrollment.objects.filter(user=buyer, course=order.course).exists()
    assert StripeEvent.objects.get(pk=event.pk).processed_at is not None
    worker.stop()
    assert worker.service.proc.returncode == 0, worker.log_tail()


def test_a_sign_out_during_the_outage_stays_signed_out_when_redis_is_back(outage):
    """Redis out of reach, not restarted, keeps its data: the session entry of someone who
    signed out meanwhile must not sign that cookie in again. (Restarting here empties it,
    so the old entry is put back as it would have survived.)"""
    learner = UserFactory(email=f"leaver-{uuid.uuid4().hex[:8]}@example.org")
    browser = Client()
    browser.force_login(learner)
    dashboard = reverse("courses:dashboard")
    assert browser.get(dashboard).status_code == 200
    cookie = browser.cookies["sessionid"].value
    key = caches["default"].make_key(KEY_PREFIX + cookie)
    cache_db = redis_py.Redis.from_url(outage.cache_url)
    entry, ttl = cache_db.dump(key), cache_db.pttl(key)
    assert entry is not None and ttl > 0

    outage.stop()
    signed_out = browser.post(reverse("account_logout"))
    assert signed_out.status_code == 302
    assert not Session.objects.filter(session_key=cookie).exists()

    outage.start_again()
    cache_db.restore(key, ttl, entry)  # the entry that survived the outage
    stolen = Client()
    stolen.cookies["sessionid"] = cookie
    response = stolen.get(dashboard)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert cache_db.exists(key) == 0
    cache_db.close()
