"""Fixtures for the payments tests: localstripe on loopback, a Checkout shim, signing.

- ``localstripe`` (session): the Stripe emulator (PyPI ``localstripe``) started by
  ``tests/payments/localstripe_server.py`` bound to 127.0.0.1 on a free port, its state
  file in a temporary folder. ``stripe_api`` (function) wipes its data
  (``DELETE /_config/data``), silences the webhook left by an earlier test, and points the
  settings (``STRIPE_API_BASE``, a test key, the webhook secret) at it.
- ``checkout_shim`` (function): localstripe has no Checkout Sessions, so the real client
  is pointed at a tiny loopback HTTP server that records every request and answers
  ``POST /v1/checkout/sessions`` with a session of Stripe's documented shape (replaying
  the first answer for a repeated ``Idempotency-Key``, as Stripe does) and expires its
  own sessions (``POST /v1/checkout/sessions/<id>/expire``); every other
  request is passed on to localstripe unchanged (so retrieving a session gets
  localstripe's 404, as the success page must handle).
- ``sign`` / ``event_body``: Stripe's webhook scheme (``t=<unix>,v1=HMAC-SHA256(secret,
  "<t>.<body>")``) for the event types localstripe never sends.
- ``finance``: a member of the "Payments staff" group.

The integration fixtures (private Redis, a real Celery worker) are imported from
``tests/integration/conftest.py`` for the worker tests here.
"""
from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.integration.conftest import (  # noqa: F401  (fixtures for the worker tests)
    celery_broker,
    celery_worker,
    integration_dir,
    live_worker,
    mail_dir,
    mailbox,
    redis_server,
    shared_cache,
    worker_env,
)
from tests.integration.processes import Service, wait_until

API_KEY = "sk_test_payments_0123456789"
WEBHOOK_SECRET = "whsec_test_payments_secret"
WEBHOOK_ID = "lms-tests"


# --------------------------------------------------------------------------- localstripe


class Localstripe:
    def __init__(self, service: Service, url: str):
        self.service = service
        self.url = url

    def _request(self, method: str, path: str, data: dict | list | None = None, timeout: float = 10):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.url + path, data=body, method=method)
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status

    def ping(self) -> bool:
        try:
            self._request("GET", "/js.stripe.com/v3/", timeout=1)
            return True
        except (OSError, urllib.error.URLError):
            return False

    def reset(self) -> None:
        self._request("DELETE", "/_config/data")
        # Webhook endpoints live outside the data it wipes: point ours at nothing.
        self.register_webhook("http://127.0.0.1:9/", WEBHOOK_SECRET, events=["none.never"])

    def register_webhook(self, url: str, secret: str = WEBHOOK_SECRET, events: list[str] | None = None) -> None:
        data = [("url", url), ("secret", secret)] + [("events[]", e) for e in (events or [])]
        self._request("POST", f"/_config/webhooks/{WEBHOOK_ID}", data)

    @property
    def client(self):
        import stripe

        return stripe.StripeClient(API_KEY, base_addresses={"api": self.url}, max_network_retries=0)


@pytest.fixture(scope="session")
def localstripe(tmp_path_factory):
    folder = tmp_path_factory.mktemp("localstripe")
    port_file = folder / "port"
    service = Service(
        "localstripe",
        [sys.executable, "-m", "tests.payments.localstripe_server", "--port", "0",
         "--state-dir", str(folder), "--port-file", str(port_file)],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        log_path=folder / "localstripe.log",
    )
    try:
        wait_until(port_file.exists, what="localstripe to listen", timeout=30, services=[service])
        emulator = Localstripe(service, f"http://127.0.0.1:{port_file.read_text().strip()}")
        wait_until(emulator.ping, what="localstripe to answer", timeout=30, services=[service])
        yield emulator
    finally:
        service.stop(timeout=10)


@pytest.fixture
def stripe_api(localstripe, settings):
    localstripe.reset()
    settings.STRIPE_SECRET_KEY = API_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = localstripe.url
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    settings.STRIPE_TIMEOUT_SECONDS = 10
    yield localstripe
    localstripe.reset()


# --------------------------------------------------------------------------- Checkout shim


class CheckoutShim:
    """Records requests; answers Checkout Session creation; passes the rest to localstripe."""

    def __init__(self, upstream: str):
        self.upstream = upstream
        self.requests: list[dict] = []
        self.fail_with: int | None = None  # answer session creation with this status instead
        self._by_key: dict[str, bytes] = {}
        self.sessions_by_id: dict[str, dict] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        shim = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                record = {
                    "method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                    "body": body, "form": urllib.parse.parse_qs(body.decode(), keep_blank_values=True),
                }
                with shim._lock:
                    shim.requests.append(record)
                if self.command == "POST" and self.path == "/v1/checkout/sessions":
                    status, payload = shim._create_session(record)
                elif self.command == "POST" and self.path.endswith("/expire") and self.path.split("/")[-2] in shim.sessions_by_id:
                    status, payload = shim._expire_session(self.path.split("/")[-2])
                else:
                    status, payload = shim._forward(self.command, self.path, body, self.headers)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _create_session(self, record) -> tuple[int, bytes]:
        if self.fail_with:
            error = {"error": {"type": "api_error", "message": "Something went wrong on Stripe's end."}}
            return self.fail_with, json.dumps(error).encode()
        key = record["headers"].get("Idempotency-Key", "")
        with self._lock:
            if key and key in self._by_key:
                return 200, self._by_key[key]
            form = {k: v[0] for k, v in record["form"].items()}
            n = next(self._ids)
            amounts = [int(v) for k, v in form.items() if k.endswith("[price_data][unit_amount]")]
            session_id = f"cs_test_{n:04d}{uuid.uuid4().hex[:20]}"
            session = {
                "id": session_id, "object": "checkout.session", "mode": form.get("mode"),
                "url": f"https://checkout.stripe.com/c/pay/{session_id}",
                "status": "open", "payment_status": "unpaid", "payment_intent": None,
                "amount_subtotal": sum(amounts), "amount_total": sum(amounts),
                "currency": form.get("line_items[0][price_data][currency]"),
                "customer_email": form.get("customer_email"), "client_reference_id": form.get("client_reference_id"),
                "metadata": {k[len("metadata["):-1]: v for k, v in form.items() if k.startswith("metadata[")},
                "success_url": form.get("success_url"), "cancel_url": form.get("cancel_url"),
                "expires_at": int(form.get("expires_at") or 0), "created": int(time.time()), "livemode": False,
            }
            payload = json.dumps(session).encode()
            if key:
                self._by_key[key] = payload
            self.sessions_by_id[session_id] = session
            return 200, payload

    def _expire_session(self, session_id: str) -> tuple[int, bytes]:
        with self._lock:
            session = self.sessions_by_id[session_id]
            if session["status"] != "open":
                error = {"error": {"type": "invalid_request_error", "message": "This Checkout Session is not open."}}
                return 400, json.dumps(error).encode()
            session["status"] = "expired"
            return 200, json.dumps(session).encode()

    def _forward(self, method, path, body, headers) -> tuple[int, bytes]:
        request = urllib.request.Request(self.upstream + path, data=body or None, method=method)
        for name in ("Authorization", "Content-Type", "Stripe-Version", "Idempotency-Key"):
            if headers.get(name):
                request.add_header(name, headers[name])
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def sessions(self) -> list[dict]:
        return [r for r in self.requests if r["method"] == "POST" and r["path"] == "/v1/checkout/sessions"]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def checkout_shim(stripe_api, settings):
    shim = CheckoutShim(stripe_api.url)
    settings.STRIPE_API_BASE = shim.url
    yield shim
    shim.close()


# --------------------------------------------------------------------------- deliveries


class DeliveryCatcher:
    """A loopback endpoint localstripe delivers webhooks to: keeps each delivery's exact
    bytes and ``Stripe-Signature`` so a test can replay a real, signed event."""

    def __init__(self):
        self.deliveries: list[dict] = []
        catcher = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                catcher.deliveries.append({"body": body, "signature": self.headers.get("Stripe-Signature"),
                                           "type": json.loads(body).get("type")})
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def of_type(self, event_type: str) -> list[dict]:
        return [d for d in self.deliveries if d["type"] == event_type]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def delivery_catcher(stripe_api):
    catcher = DeliveryCatcher()
    stripe_api.register_webhook(catcher.url)
    yield catcher
    catcher.close()


# --------------------------------------------------------------------------- signing


def sign(body: bytes, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event_body(event_type: str, obj: dict, *, event_id: str | None = None, livemode: bool = False) -> bytes:
    return json.dumps({
        "id": event_id or f"evt_test_{uuid.uuid4().hex[:24]}",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": int(time.time()),
        "livemode": livemode,
        "type": event_type,
        "data": {"object": obj},
    }).encode()


def post_event(client, body: bytes, signature: str | None = None):
    return client.post(
        "/stripe/webhook/", data=body, content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(body) if signature is None else signature,
    )


def http_post_event(base_url: str, body: bytes, signature: str | None = None) -> int:
    """POST over real HTTP (to the live test server)."""
    request = urllib.request.Request(
        f"{base_url}/stripe/webhook/", data=body, method="POST",
        headers={"Content-Type": "application/json", "Stripe-Signature": sign(body) if signature is None else signature},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def webhook_settings(settings):
    """Webhooks verifiable without any Stripe API (tests that only post events)."""
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_SECRET_KEY = API_KEY
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # never the real Stripe from a test
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    return settings


# --------------------------------------------------------------------------- staff


@pytest.fixture
def finance():
    """A member of the "Payments staff" group (refunds, codes, reports, scholarships)."""
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Payments staff"))
    return user
