"""Stripe webhook benchmark: intake latency of ``/stripe/webhook/`` and orders fulfilled
per second by a Celery worker with two pool processes.

``run(env, started)`` works in the bench database (after ``django.setup()``) and returns
the ``webhook`` key's figures; ``report(result)`` is its printed section. Every process it
starts (redis-server, a Celery worker, gunicorn) is stopped before it returns or raises.

- Data (``webhook_fixtures.py``): a 40.00 USD course and BENCH_WEBHOOK_ORDERS (500)
  learners, each with a pending order carrying a fake Checkout Session and PaymentIntent
  id, plus 2 × concurrency warm-up orders.
- Stack: a private ``redis-server`` broker and one Celery worker (``bench/workers.py``:
  ``-P prefork -c 2`` as the Procfile runs it, prefetch 1, late acks), gunicorn (``bench/server.py``: 2 sync workers)
  with ``STRIPE_WEBHOOK_SECRET`` (a bench secret) and ``STRIPE_SECRET_KEY=sk_test_bench``.
  The ``payment_intent.succeeded`` path makes no Stripe call; to be sure none leaves the
  machine, ``STRIPE_API_BASE`` points at a closed loopback port (a call would fail at once
  and show up as an event processing error, counted in ``errors``).
- Load: one correctly signed ``payment_intent.succeeded`` per order (metadata order id,
  amount and currency matching), POSTed by BENCH_WEBHOOK_CONCURRENCY (BENCH_CONCURRENCY,
  8) client threads, a new connection per request (sync gunicorn closes after each
  response). About BENCH_WEBHOOK_DUPLICATES (5 %) extra deliveries are mixed in later in
  the stream: half re-deliver the same event (same id, new signature timestamp, as
  Stripe's retries do), half are the order's ``checkout.session.completed`` (another event
  for the same payment). They must be absorbed: answered 200, no extra enrolment.
- ``p50_ms`` / ``p99_ms``: the HTTP round-trip of the POSTs of new events (verify, store,
  enqueue on commit, answer); re-deliveries are reported apart. Target: p99 under 50 ms.
- ``serial_p50_ms`` / ``serial_p99_ms`` (extra): BENCH_WEBHOOK_SERIAL (100) more orders'
  events POSTed one at a time after the run: the service time without queueing (at
  concurrency 8 against 2 sync gunicorn workers most of the round-trip is waiting).
- ``fulfilled_per_s``: orders / (moment the last order is seen paid and enrolled, polled
  every 20 ms − the first webhook sent). Before it, the warm-up orders go through the
  same path (imports, connections in gunicorn and the workers).
- ``errors``: non-200 answers, orders not paid and enrolled, enrolments beyond one per
  order, events left unprocessed or with a processing error, and unexpected outcomes.

Standalone: ``.venv/bin/python -m bench.webhook`` recreates its own database
(BENCH_DATABASE, default ``lms_bench_webhook``, never ``lms_bench``), runs, prints the
section and merges the key into ``bench/latest.json`` (``--no-write`` to only print).
"""
import http.client
import json
import os
import queue
import random
import statistics
import sys
import threading
import time

from tests.integration.processes import free_port

from . import load, server, steps, workers

ORDERS = int(os.environ.get("BENCH_WEBHOOK_ORDERS", "500"))
CONCURRENCY = int(os.environ.get("BENCH_WEBHOOK_CONCURRENCY", load.CONCURRENCY))
DUPLICATES = float(os.environ.get("BENCH_WEBHOOK_DUPLICATES", "0.05"))
TIMEOUT = float(os.environ.get("BENCH_WEBHOOK_TIMEOUT", "300"))
SERIAL = int(os.environ.get("BENCH_WEBHOOK_SERIAL", "100"))
WORKERS = workers.WORKERS
SECRET = "whsec_bench_webhook_secret_not_a_real_one"
STRIPE_KEY = "sk_test_bench"
PROCESS_TASK = "payments.tasks.stripe_event_process_task"
RECEIPT_TASK = "payments.tasks.order_receipt_email_task"
TARGETS = {"p99_ms": 50}
OUTCOMES = {"fulfilled", "already settled"}  # payments.services.Fulfilment


def _ms(seconds: float | None, digits: int = 2) -> float | None:
    return None if seconds is None else round(1000 * seconds, digits)


def stripe_env() -> dict:
    """The bench's Stripe settings for the stack (the bench environment's own are dropped)."""
    return dict(
        STRIPE_SECRET_KEY=STRIPE_KEY, STRIPE_WEBHOOK_SECRET=SECRET,
        STRIPE_API_BASE=f"http://127.0.0.1:{free_port()}",  # closed: no call leaves
        STRIPE_MAX_NETWORK_RETRIES="0", STRIPE_TIMEOUT_SECONDS="2",
    )


# --- the deliveries ---------------------------------------------------------------------------


class Delivery:
    __slots__ = ("kind", "order_id", "body", "status", "seconds", "sent_at", "duplicate", "error")

    def __init__(self, kind: str, order_id: int, body: bytes):
        self.kind, self.order_id, self.body = kind, order_id, body  # kind: new, redelivery, other_event
        self.status = self.seconds = self.sent_at = self.duplicate = self.error = None


def deliveries(orders: list, run_tag: str, share: float, rng: random.Random) -> list[Delivery]:
    """One payment_intent.succeeded per order, in order; then about ``share`` × orders
    extra deliveries, each at a random place after its order's own event."""
    from . import webhook_fixtures as wf

    stream = [Delivery("new", o.pk, wf.intent_succeeded(o, f"evt_bench_{run_tag}_{o.pk}")) for o in orders]
    extra = rng.sample(range(len(orders)), round(share * len(orders)))
    for n, index in enumerate(sorted(extra, reverse=True)):
        order = orders[index]
        if n % 2 == 0:  # Stripe retrying the same event
            duplicate = Delivery("redelivery", order.pk, stream[index].body)
        else:  # another event about the same payment
            duplicate = Delivery("other_event", order.pk,
                                 wf.session_completed(order, f"evt_bench_{run_tag}_cs_{order.pk}"))
        stream.insert(rng.randint(index + 1, len(stream)), duplicate)
    return stream


def send(port: int, stream: list[Delivery], concurrency: int) -> None:
    """POST every delivery, ``concurrency`` at a time, each on a new connection."""
    from . import webhook_fixtures as wf

    work: queue.SimpleQueue = queue.SimpleQueue()
    for delivery in stream:
        work.put(delivery)

    def worker():
        while True:
            try:
                d = work.get_nowait()
            except queue.Empty:
                return
            headers = {"Content-Type": "application/json", "Stripe-Signature": wf.sign(d.body, SECRET),
                       "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)"}
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                d.sent_at = time.perf_counter()
                conn.request("POST", "/stripe/webhook/", body=d.body, headers=headers)
                response = conn.getresponse()
                answer = response.read()
                d.seconds = time.perf_counter() - d.sent_at
                d.status = response.status
                if response.status == 200:
                    d.duplicate = bool(json.loads(answer).get("duplicate"))
                else:
                    d.error = answer[:300].decode(errors="replace")
            except Exception as error:  # counted, not raised: the run goes on
                d.error = f"{type(error).__name__}: {error}"
            finally:
                conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


# --- waiting for the workers ------------------------------------------------------------------


def _fulfilled(order_ids: list[int]) -> int:
    from payments.models import Order

    return Order.objects.filter(pk__in=order_ids, status=Order.Status.PAID, enrollment__isnull=False).count()


def _wait_fulfilled(order_ids: list[int], stack, timeout: float) -> float | None:
    """Poll every 20 ms until every order is paid and enrolled; the perf_counter when first
    seen, or None after ``timeout`` (or when a worker died)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _fulfilled(order_ids) >= len(order_ids):
            return time.perf_counter()
        if not stack.worker.alive:
            return None
        time.sleep(0.02)
    return None


def _wait_events(stripe_ids: set[str], timeout: float) -> None:
    """Until every stored event of the run is processed (or failed, or ``timeout``)."""
    from payments.models import StripeEvent

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not StripeEvent.objects.filter(stripe_id__in=stripe_ids, processed_at__isnull=True,
                                          processing_error="").exists():
            return
        time.sleep(0.05)


def _check(course, orders: list, stream: list[Delivery], run_tag: str) -> dict:
    from django.db.models import Count, Q

    from payments.models import Order, StripeEvent

    order_ids = [o.pk for o in orders]
    Enrollment = Order._meta.get_field("enrollment").related_model
    user_ids = [o.user_id for o in orders]
    enrolments = Enrollment.objects.filter(course_id=course.pk, user_id__in=user_ids)
    per_user = enrolments.values("user_id").annotate(n=Count("pk"))
    events = StripeEvent.objects.filter(stripe_id__startswith=f"evt_bench_{run_tag}_")
    expected_events = len({json.loads(d.body)["id"] for d in stream})
    counts = events.aggregate(
        stored=Count("pk"), processed=Count("pk", filter=Q(processed_at__isnull=False)),
        failed=Count("pk", filter=~Q(processing_error="")),
        unexpected=Count("pk", filter=Q(processed_at__isnull=False) & ~Q(outcome__in=OUTCOMES)),
    )
    paid = Order.objects.filter(pk__in=order_ids, status=Order.Status.PAID, enrollment__isnull=False)
    return {
        "orders_paid_enrolled": paid.count(),
        "enrolments": enrolments.count(),
        "extra_enrolments": sum(max(0, row["n"] - 1) for row in per_user) + max(0, enrolments.count() - len(orders)),
        "paid_enrolments": enrolments.filter(source=Enrollment.Source.PAID).count(),
        "receipts_sent": Order.objects.filter(pk__in=order_ids, receipt_sent_at__isnull=False).count(),
        "needs_attention": Order.objects.filter(pk__in=order_ids, status=Order.Status.NEEDS_ATTENTION).count(),
        "events_expected": expected_events, "events_stored": counts["stored"],
        "events_processed": counts["processed"], "events_failed": counts["failed"],
        "events_unexpected_outcome": counts["unexpected"],
    }


# --- the run ----------------------------------------------------------------------------------


def measure(env: dict, course, orders: list, warm: list, serial: list, started: float, *,
            concurrency: int = CONCURRENCY, share: float = DUPLICATES) -> dict:
    run_tag = env.get("BENCH_RUN_ID", str(os.getpid())).replace("-", "")
    rng = random.Random(5)
    warm_stream = deliveries(warm, run_tag + "w", 0, rng)
    stream = deliveries(orders, run_tag, share, rng)
    order_ids = [o.pk for o in orders]
    with workers.stack(env, started, web=True, drop=("STRIPE_",), **stripe_env()) as stack:
        port, worker_text = stack.port, stack.worker_text
        steps.log(f"  warm-up with {len(warm)} orders", started)
        send(port, warm_stream, concurrency)
        bad = [d for d in warm_stream if d.status != 200]
        if bad or _wait_fulfilled([o.pk for o in warm], stack, 120) is None:
            raise SystemExit(f"webhook warm-up failed ({len(bad)} bad answers, e.g. "
                             f"{bad[0].status if bad else '-'} {bad[0].error if bad else ''}):\n"
                             + stack.worker.log_tail(60))
        skip = {t: len(stack.task_runtimes(t)) for t in (PROCESS_TASK, RECEIPT_TASK)}
        steps.log(f"  POSTing {len(stream)} signed events ({len(orders)} orders + "
                  f"{len(stream) - len(orders)} duplicate deliveries) at concurrency {concurrency}", started)
        began_wall = time.time()
        send(port, stream, concurrency)
        first = min(d.sent_at for d in stream if d.sent_at is not None)
        sent = time.perf_counter()
        done = _wait_fulfilled(order_ids, stack, TIMEOUT)
        steps.log(f"  sent in {sent - first:.2f} s; every order "
                  + (f"paid and enrolled {done - first:.2f} s after the first webhook" if done
                     else f"NOT paid and enrolled within {TIMEOUT:g} s"), started)
        # Let the duplicates' own events (and the receipts) finish before counting.
        _wait_events({json.loads(d.body)["id"] for d in stream}, 60)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(stack.task_runtimes(RECEIPT_TASK)) - skip[RECEIPT_TASK] < len(orders):
            time.sleep(0.1)
        runtimes = {t: stack.task_runtimes(t)[skip[t]:] for t in (PROCESS_TASK, RECEIPT_TASK)}
        alive = stack.worker.alive
        if done is None:
            serial_stream = []
        else:  # one at a time: the service time, without queueing
            serial_stream = deliveries(serial, run_tag + "s", 0, rng)
            steps.log(f"  POSTing {len(serial_stream)} more events one at a time", started)
            send(port, serial_stream, 1)
            _wait_fulfilled([o.pk for o in serial], stack, 60)
        if done is None:
            print("--- worker log (tail) ---\n" + stack.worker.log_tail(60), file=sys.stderr)
    from django.db.models import Max

    from payments.models import Order

    checks = _check(course, orders, stream, run_tag)
    last_paid = Order.objects.filter(pk__in=order_ids).aggregate(m=Max("paid_at"))["m"]
    new = [d for d in stream if d.kind == "new"]
    dups = [d for d in stream if d.kind != "new"]
    latencies = [d.seconds for d in new if d.status == 200]
    dup_latencies = [d.seconds for d in dups if d.status == 200]
    serial_latencies = [d.seconds for d in serial_stream if d.status == 200]
    http_errors = [d for d in stream + serial_stream if d.status != 200]
    wrong_duplicate_flag = sum(1 for d in stream if d.status == 200 and d.duplicate != (d.kind == "redelivery"))
    errors = (len(http_errors) + (len(orders) - checks["orders_paid_enrolled"]) + checks["extra_enrolments"]
              + checks["events_failed"] + (checks["events_expected"] - checks["events_processed"] - checks["events_failed"])
              + checks["events_unexpected_outcome"] + checks["needs_attention"] + wrong_duplicate_flag)
    seconds = None if done is None else done - first
    p99 = steps.percentile(latencies, 99)
    process, receipt = runtimes[PROCESS_TASK], runtimes[RECEIPT_TASK]
    return {
        "p50_ms": _ms(steps.percentile(latencies, 50)), "p99_ms": _ms(p99),
        "fulfilled_per_s": None if seconds is None else round(len(orders) / seconds, 1),
        # Further figures:
        "orders": len(orders), "deliveries": len(stream), "concurrency": concurrency,
        "duplicates": len(dups),
        "duplicates_by_kind": {"redelivery": sum(d.kind == "redelivery" for d in dups),
                               "other_event": sum(d.kind == "other_event" for d in dups)},
        "duplicate_p50_ms": _ms(steps.percentile(dup_latencies, 50)),
        "duplicate_p99_ms": _ms(steps.percentile(dup_latencies, 99)),
        "p95_ms": _ms(steps.percentile(latencies, 95)), "max_ms": _ms(max(latencies) if latencies else None),
        "serial_p50_ms": _ms(steps.percentile(serial_latencies, 50)),
        "serial_p99_ms": _ms(steps.percentile(serial_latencies, 99)), "serial_events": len(serial_latencies),
        "send_seconds": round(sent - first, 2),
        "intake_per_s": round(len(stream) / (sent - first), 1),
        "fulfil_seconds": None if seconds is None else round(seconds, 2),
        # The same span from the database: the last order's paid_at (set inside the task,
        # before its commit) against the wall clock when sending began.
        "fulfil_seconds_db": None if last_paid is None else round(last_paid.timestamp() - began_wall, 2),
        "process_task_p50_ms": _ms(steps.percentile(process, 50), 1),
        "process_task_p95_ms": _ms(steps.percentile(process, 95), 1),
        "receipt_task_p50_ms": _ms(steps.percentile(receipt, 50), 1),
        # What two workers could do if only the tasks' own run time counted.
        "capacity_per_s": round(WORKERS / (statistics.fmean(process) + statistics.fmean(receipt)), 1)
        if process and receipt else None,
        "errors": errors, "http_errors": len(http_errors),
        "http_error_sample": [f"{d.status} {d.error}" for d in http_errors[:3]],
        "wrong_duplicate_flag": wrong_duplicate_flag, "workers_alive_at_end": alive,
        "checks": checks, "warm_up_orders": len(warm),
        "stack": (f"gunicorn {server.WORKERS} {server.WORKER_CLASS} workers + private redis-server broker + "
                  f"{worker_text} + PostgreSQL; "
                  "STRIPE_SECRET_KEY=sk_test_bench, STRIPE_API_BASE a closed loopback port (no Stripe call)"),
        "targets": {"p99_ms_below": TARGETS["p99_ms"]},
        "met": p99 is not None and 1000 * p99 < TARGETS["p99_ms"] and not http_errors,
    }


def run(env: dict, started: float, *, orders: int | None = None) -> dict:
    """Make the data in the bench database, measure, return the ``webhook`` key's figures."""
    from . import webhook_fixtures as wf

    count = orders or ORDERS
    warm_count = 2 * CONCURRENCY
    steps.log(f"webhook: paid course, {count} + {warm_count} + {SERIAL} learners with pending orders", started)
    course = wf.paid_course()
    warm = wf.pending_orders(course, warm_count, tag="w")
    made = wf.pending_orders(course, count, start=warm_count)
    serial = wf.pending_orders(course, SERIAL, start=warm_count + count, tag="s")
    return measure(env, course, made, warm, serial, started)


def report(result: dict) -> str:
    def f(value, unit="") -> str:
        return "-" if value is None else f"{value:g}{unit}"

    r, c = result, result["checks"]
    lines = [
        "Stripe webhook",
        f"  intake      p50 {f(r['p50_ms'], ' ms')}, p95 {f(r['p95_ms'], ' ms')}, p99 {f(r['p99_ms'], ' ms')}, "
        f"max {f(r['max_ms'], ' ms')} ({r['orders']} new events at concurrency {r['concurrency']}, "
        f"{f(r['intake_per_s'])} deliveries/s; duplicates p50 {f(r['duplicate_p50_ms'], ' ms')}, "
        f"p99 {f(r['duplicate_p99_ms'], ' ms')}; one at a time: p50 {f(r['serial_p50_ms'], ' ms')}, "
        f"p99 {f(r['serial_p99_ms'], ' ms')} over {r['serial_events']})",
        f"  fulfilment  {f(r['fulfilled_per_s'])} orders/s by {WORKERS} worker processes ({r['orders']} orders paid and "
        f"enrolled {f(r['fulfil_seconds'], ' s')} after the first webhook; process task p50 "
        f"{f(r['process_task_p50_ms'], ' ms')}, receipt task p50 {f(r['receipt_task_p50_ms'], ' ms')}; "
        f"task-time capacity {f(r['capacity_per_s'])}/s)",
        f"  duplicates  {r['duplicates']} extra deliveries ({r['duplicates_by_kind']['redelivery']} same event, "
        f"{r['duplicates_by_kind']['other_event']} checkout.session.completed): {c['enrolments']} enrolments for "
        f"{r['orders']} orders, {c['extra_enrolments']} extra; {c['events_stored']}/{c['events_expected']} events "
        f"stored, {c['events_processed']} processed, {c['events_failed']} failed; receipts {c['receipts_sent']}",
        f"  errors      {r['errors']} (HTTP {r['http_errors']}, wrong duplicate flag {r['wrong_duplicate_flag']}, "
        f"needs attention {c['needs_attention']}, unexpected outcomes {c['events_unexpected_outcome']})",
        "Webhook targets (reported, not asserted):",
        f"  intake p99 < {r['targets']['p99_ms_below']} ms : {f(r['p99_ms'], ' ms')} -> "
        f"{'met' if r['met'] else 'NOT met'}",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Standalone: its own freshly copied database, then the measurement."""
    return steps.standalone_step("webhook", run, report, argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
