"""The exam rush: N learners each submit a 20-question quiz within S seconds.

Serving stack: gunicorn (``server.py``) + PostgreSQL (the bench database) + a private
``redis-server`` as the Celery broker + one Celery worker with exactly two pool processes
(``-P prefork -c 2`` as the Procfile runs it: one task at a time each, prefetch multiplier 1,
late acks), all with the bench settings.
The Django cache stays on the shared Redis (``BENCH_REDIS_URL``), as in the page bench.

Before the rush (not measured): the fixtures make the course, the learners with their
sessions, and start one attempt per learner with ``attempt_start`` (the service the
start view calls); each learner then opens their attempt page over HTTP, as a browser
would, which checks the page and gives them the CSRF cookie. A few extra learners
(``WARMUP``) submit first so that every gunicorn and Celery process has its database
and broker connections open, as long-running processes would; they are not counted.

The rush: submissions at a steady rate (one every S/N seconds) from a thread pool, each
a real HTTP POST of JSON answers with the CSRF header; its latency is measured at the
client. Then the bench waits for the queue to drain and reads the attempts back:

- submit-to-graded per attempt = ``graded_at - submitted_at`` (both stamped by the
  servers: ``submitted_at`` when the submit view's service starts, ``graded_at`` when
  the worker's grading starts, before its transaction commits);
- drain = max(``graded_at``) - the moment the last submit response arrived;
- throughput per worker = graded attempts / (last ``graded_at`` - first
  ``submitted_at``) / workers: at a steady rate this follows the arrival rate, so the
  workers' capacity (1 / mean task run time, from their logs) is reported beside it.

Errors: a submit answered with anything but a 302 to the attempt's result page (or a
2xx), a failed request, and any attempt not graded once the queue has drained.

Knobs: BENCH_RUSH_LEARNERS (300), BENCH_RUSH_SECONDS (60), BENCH_RUSH_QUESTIONS (20),
BENCH_RUSH_THREADS (64), BENCH_RUSH_DRAIN_TIMEOUT (120 s). ``make bench`` runs it after
the page measurements (BENCH_RUSH=0 skips it); ``.venv/bin/python -m bench.exam_rush``
runs it alone on a fresh bench database and updates only ``exam_rush`` in latest.json.
"""
import concurrent.futures
import http.client
import http.cookies
import json
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass

from . import server, steps, workers

LEARNERS = int(os.environ.get("BENCH_RUSH_LEARNERS", "300"))
SECONDS = float(os.environ.get("BENCH_RUSH_SECONDS", "60"))
QUESTIONS = int(os.environ.get("BENCH_RUSH_QUESTIONS", "20"))
THREADS = int(os.environ.get("BENCH_RUSH_THREADS", "64"))
DRAIN_TIMEOUT = float(os.environ.get("BENCH_RUSH_DRAIN_TIMEOUT", "120"))
WORKERS = workers.WORKERS
WARMUP = 2 * WORKERS  # extra learners who submit before the rush, not counted
GRADE_TASK = "courses.assessment.tasks.attempt_grade_task"
TARGETS = {"graded_p95_ms": 1000, "drain_s": 10, "errors": 0}


def _round(value, digits=1):
    return None if value is None else round(value, digits)


@dataclass
class Submit:
    attempt_id: int
    scheduled: float  # perf_counter when it was due
    sent: float  # perf_counter when sent
    latency: float  # seconds, until the whole response was read
    done_wall: float  # time.time() when the response was read
    status: int  # 0: no response
    error: str = ""


# --- HTTP ------------------------------------------------------------------------------------


def _csrf_from(response) -> str | None:
    from django.conf import settings

    for header in response.msg.get_all("Set-Cookie") or []:
        cookie = http.cookies.SimpleCookie(header)
        if settings.CSRF_COOKIE_NAME in cookie:
            return cookie[settings.CSRF_COOKIE_NAME].value
    return None


def open_attempt_page(port: int, examinee) -> str:
    """GET the learner's attempt page (as the start view's redirect would) and return the
    CSRF cookie it sets; fails the run unless it is the open attempt's form."""
    from django.conf import settings

    path = f"/learn/attempts/{examinee.attempt_id}/"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={examinee.cookie}"})
        response = conn.getresponse()
        body = response.read().decode()
    finally:
        conn.close()
    csrf = _csrf_from(response)
    if response.status != 200 or f"/learn/attempts/{examinee.attempt_id}/submit/" not in body or not csrf:
        raise SystemExit(
            f"GET {path} -> {response.status} {response.getheader('Location', '')}: expected the "
            f"open attempt's form and a CSRF cookie (got {'one' if csrf else 'none'})"
        )
    return csrf


def submit(port: int, examinee, csrf: str, scheduled: float) -> Submit:
    """POST the answers as the page's script does: JSON body, CSRF header and cookie."""
    from django.conf import settings

    path = f"/learn/attempts/{examinee.attempt_id}/submit/"
    body = json.dumps({"answers": examinee.answers}).encode()
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrf,
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={examinee.cookie}; {settings.CSRF_COOKIE_NAME}={csrf}",
    }
    sent = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read()
        latency = time.perf_counter() - sent
        result = Submit(examinee.attempt_id, scheduled, sent, latency, time.time(), response.status)
        location = response.getheader("Location", "")
        expected = f"/learn/attempts/{examinee.attempt_id}/result/"
        if response.status == 302 and not location.endswith(expected):
            result.error = f"302 to {location}, not {expected}"
        elif response.status != 302 and not 200 <= response.status < 300:
            result.error = f"{response.status}: {text[:200].decode(errors='replace')}"
        return result
    except Exception as error:  # counted, not fatal: the rush goes on
        return Submit(examinee.attempt_id, scheduled, sent, time.perf_counter() - sent, time.time(), 0,
                      f"{type(error).__name__}: {error}")
    finally:
        conn.close()


def _rush(port: int, examinees: list, csrf: dict, seconds: float) -> list[Submit]:
    """Send one submission every ``seconds / len(examinees)`` seconds (open loop: a slow
    answer does not delay the next submission, up to THREADS in flight)."""
    interval = seconds / len(examinees)
    start = time.perf_counter() + 0.5
    halt = threading.Event()  # set on Ctrl-C or failure: threads still waiting send nothing

    def job(i: int, examinee) -> Submit | None:
        due = start + i * interval
        if halt.wait(max(0.0, due - time.perf_counter())):
            return None
        return submit(port, examinee, csrf[examinee.attempt_id], due)

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=min(THREADS, len(examinees)))
    try:
        futures = [pool.submit(job, i, e) for i, e in enumerate(examinees)]
        return [f.result() for f in futures]
    finally:
        halt.set()
        pool.shutdown(wait=True, cancel_futures=True)


class QueueWatch(threading.Thread):
    """Samples the broker queue's length (waiting messages) every 0.1 s."""

    def __init__(self, redis_client):
        super().__init__(daemon=True)
        self.redis = redis_client
        self.samples: list[int] = []
        self.halt = threading.Event()

    def run(self):
        while not self.halt.is_set():
            try:
                self.samples.append(int(self.redis.llen(workers.QUEUE)))
            except Exception:
                pass
            self.halt.wait(0.1)

    def stop(self) -> int:
        self.halt.set()
        self.join(timeout=2)
        return max(self.samples, default=0)


# --- waiting and reading back ----------------------------------------------------------------


def _waiting(ids: list[int]) -> int:
    from courses.models import QuizAttempt

    return QuizAttempt.objects.filter(pk__in=ids, status=QuizAttempt.Status.SUBMITTED).count()


def _wait_graded(ids: list[int], stack, timeout: float) -> float | None:
    """Poll every 20 ms until no attempt of ``ids`` waits in "submitted"; the time.time()
    when that was first seen, or None after ``timeout`` (or when a worker died)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _waiting(ids):
            return time.time()
        if not stack.worker.alive:
            return None
        time.sleep(0.02)
    return None


def _attempt_rows(ids: list[int]) -> list[dict]:
    from courses.models import QuizAttempt

    return list(QuizAttempt.objects.filter(pk__in=ids).values(
        "pk", "status", "submitted_at", "graded_at", "passed", "grading_error"))


# --- the run ---------------------------------------------------------------------------------


def run(env: dict, started: float, *, learners: int | None = None, seconds: float | None = None) -> dict:
    """Build the exam data in the bench database, run the rush, return the figures.
    Every process it starts is stopped before it returns or raises (Ctrl-C included)."""
    from . import fixtures

    learners = learners or LEARNERS
    seconds = seconds or SECONDS

    steps.log(f"exam rush: {learners} learners (+{WARMUP} warm-up) with an attempt open at a "
         f"{QUESTIONS}-question quiz", started)
    data = fixtures.prepare_exam(learners=learners + WARMUP, questions=QUESTIONS)
    warmup, examinees = data.examinees[:WARMUP], data.examinees[WARMUP:]
    ids = [e.attempt_id for e in examinees]

    with workers.stack(env, started, web=True) as stack:
        port = stack.port
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            tokens = list(pool.map(lambda e: open_attempt_page(port, e), data.examinees))
        csrf = {e.attempt_id: t for e, t in zip(data.examinees, tokens)}
        steps.log(f"  {len(csrf)} attempt pages opened over HTTP; warm-up submissions", started)
        for examinee in warmup:
            check = submit(port, examinee, csrf[examinee.attempt_id], time.perf_counter())
            if check.error:
                raise SystemExit(f"warm-up submit of attempt {examinee.attempt_id}: {check.error}")
        if _wait_graded([e.attempt_id for e in warmup], stack, 60) is None:
            raise SystemExit("warm-up attempts were not graded within 60 s:\n" + stack.worker.log_tail(40))
        skip_runs = len(stack.task_runtimes(GRADE_TASK))

        steps.log(f"  rush: {learners} submissions over {seconds:g}s "
                  f"(one every {1000 * seconds / learners:.0f} ms)", started)
        watch = QueueWatch(stack.redis)
        watch.start()
        submits = _rush(port, examinees, csrf, seconds)
        last_response = max(s.done_wall for s in submits)
        steps.log(f"  last response; waiting for the queue to drain (at most {DRAIN_TIMEOUT:g}s)", started)
        drained_seen = _wait_graded(ids, stack, DRAIN_TIMEOUT)
        max_depth = watch.stop()
        left_in_broker = int(stack.redis.llen(workers.QUEUE))
        runtimes = stack.task_runtimes(GRADE_TASK)[skip_runs:]
        worker_alive = stack.worker.alive
        worker_text = stack.worker_text
        if drained_seen is None:
            print("--- worker log (tail) ---\n" + stack.worker.log_tail(40), file=sys.stderr)
    rows = _attempt_rows(ids)
    return figures(submits, rows, runtimes, last_response=last_response, drained_seen=drained_seen,
                   max_depth=max_depth, left_in_broker=left_in_broker, worker_alive=worker_alive,
                   seconds=seconds, learners=learners, worker_text=worker_text)


def figures(submits, rows, runtimes, *, last_response, drained_seen, max_depth, left_in_broker,
            worker_alive, seconds, learners, worker_text="a Celery worker") -> dict:
    from courses.models import QuizAttempt

    failed_submits = {s.attempt_id: s.error for s in submits if s.error}
    graded = [r for r in rows if r["status"] == QuizAttempt.Status.GRADED]
    not_graded = {r["pk"]: r["status"] for r in rows if r["status"] != QuizAttempt.Status.GRADED}
    errors = len(set(failed_submits) | set(not_graded))
    latencies_ms = [1000 * s.latency for s in submits if not s.error]
    to_graded_ms = [1000 * (r["graded_at"] - r["submitted_at"]).total_seconds() for r in graded]
    first_submitted = min((r["submitted_at"] for r in rows if r["submitted_at"]), default=None)
    last_graded = max((r["graded_at"] for r in graded), default=None)
    span = (last_graded - first_submitted).total_seconds() if graded else None
    send_lag = [s.sent - s.scheduled for s in submits]
    mean_run = statistics.fmean(runtimes) if runtimes else None
    result = {
        "submit_p95_ms": _round(steps.percentile(latencies_ms, 95)),
        "graded_p50_ms": _round(steps.percentile(to_graded_ms, 50)),
        "graded_p95_ms": _round(steps.percentile(to_graded_ms, 95)),
        "drain_s": _round(last_graded.timestamp() - last_response, 3) if last_graded else None,
        "errors": errors,
        "attempts_per_s_per_worker": _round(len(graded) / span / WORKERS, 2) if span else None,
        # Further figures:
        "submit_p50_ms": _round(steps.percentile(latencies_ms, 50)),
        "submit_max_ms": _round(max(latencies_ms, default=None)),
        "graded_max_ms": _round(max(to_graded_ms, default=None)),
        "drain_observed_s": _round(drained_seen - last_response, 3) if drained_seen else None,
        "grade_task_p50_ms": _round(steps.percentile([1000 * r for r in runtimes], 50)),
        "grade_task_p95_ms": _round(steps.percentile([1000 * r for r in runtimes], 95)),
        "capacity_attempts_per_s_per_worker": _round(1 / mean_run, 1) if mean_run else None,
        "max_queue_depth": max_depth,
        "left_in_broker": left_in_broker,
        "learners": learners, "questions": QUESTIONS, "rush_s": seconds, "workers": WORKERS,
        "graded": len(graded), "passed": sum(1 for r in graded if r["passed"]),
        "error_detail": {
            "submit": len(failed_submits),
            "not_graded": len(not_graded),
            "examples": ([f"attempt {k}: {v}" for k, v in list(failed_submits.items())[:3]]
                         + [f"attempt {k}: still {v}" for k, v in list(not_graded.items())[:3]]),
            "workers_alive_at_end": worker_alive,
        },
        "submit_send_lag_max_ms": _round(1000 * max(send_lag, default=0)),
        "attempts_started_by": "courses.assessment.services.attempt_start, in the fixture phase",
        "stack": (f"gunicorn {server.WORKERS} {server.WORKER_CLASS} workers + PostgreSQL + private "
                  f"redis-server broker + {worker_text}; cache on the shared Redis"),
        "targets": {"graded_p95_ms_below": TARGETS["graded_p95_ms"],
                    "drain_s_below": TARGETS["drain_s"], "errors": TARGETS["errors"]},
    }
    result["targets_met"] = {
        "graded_p95": result["graded_p95_ms"] is not None
        and result["graded_p95_ms"] < TARGETS["graded_p95_ms"],
        "drain": result["drain_s"] is not None and result["drain_s"] < TARGETS["drain_s"],
        "errors": errors == 0,
    }
    return result


def main(argv: list[str]) -> int:
    """Run the exam rush alone: its own fresh bench database, then update ``exam_rush`` only."""
    from . import report

    return steps.standalone_step("exam_rush", run, report.exam_rush, argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
