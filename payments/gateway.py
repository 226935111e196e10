"""Stripe, through the official ``stripe`` client: the only module that talks to it.

Everything is read from settings at call time: ``STRIPE_SECRET_KEY`` (unset: online
payment is not set up, and ``is_configured()`` says so), ``STRIPE_WEBHOOK_SECRET``,
``STRIPE_API_BASE`` (empty for Stripe itself; the tests point it at localstripe on
loopback), ``STRIPE_TIMEOUT_SECONDS`` and ``STRIPE_MAX_NETWORK_RETRIES``.

Calls that create objects carry an idempotency key derived from our own rows, so a retry
(ours, the client's or a second click) never makes a second session or refund. Results
come back as plain dicts (stripe 16's objects are not dicts). Errors become
``GatewayError``: ``transient`` for network trouble, rate limits and Stripe's 5xx, which
are worth retrying later; the rest are not.
"""
from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable

import stripe
from django.conf import settings

logger = logging.getLogger(__name__)


class GatewayError(Exception):
    def __init__(self, message: str, *, transient: bool = False, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.transient = transient
        self.status = status


class NotConfigured(GatewayError):
    pass


def is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def is_live_key() -> bool:
    return settings.STRIPE_SECRET_KEY.startswith(("sk_live_", "rk_live_"))


@functools.lru_cache(maxsize=4)
def _client(key: str, api_base: str, timeout: float, retries: int) -> stripe.StripeClient:
    kwargs = {}
    if api_base:
        kwargs["base_addresses"] = {"api": api_base}
    return stripe.StripeClient(
        key,
        max_network_retries=retries,
        http_client=stripe.RequestsClient(timeout=timeout),
        **kwargs,
    )


def client() -> stripe.StripeClient:
    if not is_configured():
        raise NotConfigured("Online payment is not set up (STRIPE_SECRET_KEY is empty).")
    return _client(
        settings.STRIPE_SECRET_KEY,
        settings.STRIPE_API_BASE,
        float(settings.STRIPE_TIMEOUT_SECONDS),
        int(settings.STRIPE_MAX_NETWORK_RETRIES),
    )


def _as_dict(obj: object) -> dict:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


def _error(error: stripe.StripeError, doing: str) -> GatewayError:
    status = getattr(error, "http_status", None)
    transient = isinstance(error, (stripe.APIConnectionError, stripe.RateLimitError)) or (
        status is not None and status >= 500
    ) or (isinstance(error, stripe.APIError) and status is None)
    logger.warning("Stripe %s failed (%s, HTTP %s): %s", doing, type(error).__name__, status, error)
    message = getattr(error, "user_message", None) or str(error) or type(error).__name__
    return GatewayError(message, transient=transient, status=status)


def _not_found(error: stripe.StripeError) -> bool:
    # Stripe answers 404 resource_missing; localstripe a bare 404 for routes it lacks.
    return getattr(error, "http_status", None) == 404


def _found_or_none(fetch: Callable[[], object], doing: str) -> dict | None:
    """What ``fetch`` gets from Stripe, or None if Stripe does not know the object."""
    try:
        return _as_dict(fetch())
    except stripe.StripeError as error:
        if _not_found(error):
            return None
        raise _error(error, doing) from error


# --- Checkout -------------------------------------------------------------------------------


def checkout_session_create(params: dict, *, idempotency_key: str) -> dict:
    try:
        session = client().v1.checkout.sessions.create(params=params, options={"idempotency_key": idempotency_key})
    except stripe.StripeError as error:
        raise _error(error, "creating a Checkout Session") from error
    return _as_dict(session)


def checkout_session_retrieve(session_id: str) -> dict | None:
    """The session, or None if Stripe does not know it (localstripe has no sessions)."""
    return _found_or_none(lambda: client().v1.checkout.sessions.retrieve(session_id), "retrieving a Checkout Session")


def checkout_session_expire(session_id: str) -> dict | None:
    """Close an open session so that it can no longer be paid; None if Stripe does not
    know it. Stripe refuses (an error) if it is already complete or expired."""
    return _found_or_none(lambda: client().v1.checkout.sessions.expire(session_id), "expiring a Checkout Session")


# --- PaymentIntents and refunds -------------------------------------------------------------


def payment_intent_retrieve(payment_intent_id: str) -> dict | None:
    """The PaymentIntent, or None if Stripe does not know it."""
    return _found_or_none(lambda: client().v1.payment_intents.retrieve(payment_intent_id), "retrieving a PaymentIntent")


def refund_create(*, payment_intent_id: str, amount_minor: int, metadata: dict, idempotency_key: str) -> dict:
    params = {"payment_intent": payment_intent_id, "amount": amount_minor, "metadata": metadata}
    try:
        refund = client().v1.refunds.create(params=params, options={"idempotency_key": idempotency_key})
    except stripe.StripeError as error:
        raise _error(error, "creating a refund") from error
    return _as_dict(refund)


def refunds_list(payment_intent_id: str) -> list[dict]:
    try:
        page = client().v1.refunds.list(params={"payment_intent": payment_intent_id, "limit": 100})
    except stripe.StripeError as error:
        raise _error(error, "listing refunds") from error
    return [_as_dict(refund) for refund in page.data]


# --- webhooks -------------------------------------------------------------------------------


class BadSignature(Exception):
    pass


def webhook_verify(payload: bytes, signature_header: str | None) -> None:
    """Check ``Stripe-Signature`` against the raw body; raise ``BadSignature`` with a
    reason (wrong secret, changed body, stale timestamp, missing header) otherwise."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise NotConfigured("STRIPE_WEBHOOK_SECRET is not set.")
    if not signature_header:
        raise BadSignature("Missing Stripe-Signature header.")
    try:
        # Only the signature check of construct_event: the view parses the JSON itself, so
        # building the client's event object here would be work thrown away.
        stripe.WebhookSignature.verify_header(
            payload.decode("utf-8"), signature_header, secret, tolerance=int(settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS)
        )
    except stripe.SignatureVerificationError as error:
        raise BadSignature(str(error)) from error
    except UnicodeDecodeError as error:
        raise BadSignature(f"Body is not a Stripe event: {error}") from error
    # stripe-python refuses only timestamps older than the tolerance. One signed for a time
    # further ahead would stay replayable for as long as it is in the future (a captured
    # delivery, or a signing clock gone wrong), so it is refused the same way.
    tolerance = int(settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS)
    timestamp = _signed_timestamp(signature_header)
    if tolerance and timestamp > time.time() + tolerance:
        raise BadSignature(f"Timestamp is in the future, beyond the tolerance zone ({timestamp})")


def _signed_timestamp(signature_header: str) -> int:
    """The ``t=`` value that the signature was checked with: the first one, as the
    stripe client reads it (the header has passed ``verify_header``, so it is a number)."""
    for item in signature_header.split(","):
        parts = item.split("=", 2)
        if parts[0] == "t" and len(parts) > 1:
            return int(parts[1])
    raise BadSignature("Unable to extract timestamp from header")
