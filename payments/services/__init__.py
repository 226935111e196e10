"""Writes for payments: checkout, fulfilment, Stripe events, refunds, reconciliation, codes,
scholarship applications.

One module per part (``base``, ``codes``, ``checkout``, ``settle``, ``stripe_sync``,
``receipts``, ``refunds``, ``webhooks``, ``scholarships``); callers use this package's
names. Modules share helpers by public names only (``base.moment``,
``settle.order_grant_access``); those not re-exported below are for the package itself.

The rules money depends on:

- Amounts come from the server: the course's fee, the code's discount, a donation within
  bounds. The browser chooses a code and a donation, never a price.
- One idempotent fulfilment service, ``order_fulfil``, used by the webhook task, the
  success page and reconciliation. It locks the order, checks its state and that Stripe
  took exactly the order's total in its currency, marks it paid, enrols the learner and
  queues the receipt once (marked under the lock). A mismatch gives no access and flags
  the order for staff.
- Webhook events are stored once (unique Stripe id) and processed by a task that locks
  the event row: a redelivered or duplicated event does nothing the second time.
- Locks are always taken in the same order: learner → discount code for a new order;
  event → order → refund / discount code / enrolment for everything else.
- Stripe calls carry idempotency keys derived from our rows (``order-<id>-checkout-v1``,
  ``order-<id>-refund-<n>``) and are never made while a lock is held.
"""
# The names other apps, the views and the tasks call (``services.<name>``).
from .base import (
    PaymentError, CodeError, DonationError, CheckoutUnavailable, NotYet, logger, Status, Flag,
    NOT_SET_UP,
)
from ..money import MINIMUM_CHARGE
from .codes import (
    Quote, CurrencyError, course_fee_in, discount_code_problem, discount_code_find, discount_for, donation_clean, checkout_quote,
    minimum_charge, has_place, random_code, discount_codes_generate, CODE_ALPHABET,
)
from .settle import (
    Fulfilment, order_flag, order_fulfil, order_expire, order_abandon, order_mark_failed,
    order_note_intent,
)
from .checkout import (
    CheckoutStart, checkout_expires_at, checkout_session_params, checkout_idempotency_key,
    order_start_checkout, checkout_open, seat_order_create,
)
from .stripe_sync import (
    order_check_with_stripe, order_check_for_page, RECHECK_AFTER,
)
from .receipts import (
    organisation, order_send_receipt, refund_notify, staff_alert,
)
from .refunds import (
    refund_idempotency_key, order_refund, refund_request, refund_submit, order_sync_refunds,
    order_dispute_opened, order_dispute_closed, REFUND_STATUS,
)
from .webhooks import (
    stripe_event_record, stripe_event_process, stripe_events_prune, orders_reconcile, NO_ORDER, EVENT_HANDLERS,
)
from .scholarships import (
    scholarship_apply, scholarship_send_received, scholarship_close_on_place, scholarship_notify_staff,
    scholarship_approve, scholarship_decline, scholarship_send_decision,
)
