"""Certification benchmarks: PDF render time, certificates issued per minute by two
workers, and the public verification page's throughput against hello-world.

``run(env, started)`` does all three in the bench database (after ``django.setup()``)
and returns ``{"certificate_pdf": ..., "certificate_issue": ..., "verify": ...}``;
``report(result)`` is its printed table. Every process it starts is stopped before it
returns or raises.

- **certificate_pdf** (in this process): ``certification.pdf.render_certificate`` for
  BENCH_CERT_PDFS (40) different certificates after BENCH_CERT_PDF_WARMUP (3) discarded
  renders (the first pays WeasyPrint's import, font loading and the images' renditions).
  Each certificate is loaded fresh, as the render task loads it; only the render is
  timed. Median and p95 ms; the HTML template and the QR code are timed apart too.
  Target: median under 250 ms.
- **certificate_issue**: BENCH_CERT_LEARNERS (100) learners who meet the programme;
  ``programmes_evaluate_task`` is published for all of them at once to a private
  ``redis-server`` and consumed by one Celery worker with two pool processes
  (``bench/workers.py``: ``-P prefork -c 2`` as the Procfile runs it, prefetch 1, late acks;
  the exam rush's set-up). Each evaluation issues a
  certificate, whose render task then writes the PDF. Measured from the first publish
  to the moment the last of those certificates has its current PDF
  (``pdf_revision == revision``), polled every 20 ms: ``per_min`` = certificates / that
  time × 60. Before it, warm-up learners go through the same chain until each worker
  has rendered a PDF (imports, fonts, connections), as long-running workers would have.
- **verify**: gunicorn (``bench/server.py``) serving ``/certificates/verify/<code>/`` for
  one of the issued certificates and ``/bench/hello/``, measured in the same rounds by
  ``bench/load.py`` at BENCH_CONCURRENCY (8). The per-address rate limit is raised for
  this gunicorn (CERTIFICATE_VERIFY_RATE): the bench measures the page, not the limiter
  (which still runs: its Redis counter is part of the page's cost). Target: at least
  0.5 × hello-world's requests/s.

Targets are reported, not asserted. Standalone: ``.venv/bin/python -m bench.certification``
recreates its own database (BENCH_DATABASE, default ``lms_bench_certification``, so it
never drops a database a ``make bench`` is using), runs everything, prints the table and
merges the three keys into ``bench/latest.json`` (``--no-write`` to only print).
"""
import http.client
import os
import statistics
import sys
import time

from . import load, server, steps, workers

PDFS = int(os.environ.get("BENCH_CERT_PDFS", "40"))
PDF_WARMUP = int(os.environ.get("BENCH_CERT_PDF_WARMUP", "3"))
LEARNERS = int(os.environ.get("BENCH_CERT_LEARNERS", "100"))
ISSUE_TIMEOUT = float(os.environ.get("BENCH_CERT_ISSUE_TIMEOUT", "300"))
SECONDS, WARMUP, ROUNDS, CONCURRENCY = load.SECONDS, load.WARMUP, load.ROUNDS, load.CONCURRENCY
WORKERS = workers.WORKERS
WARMUP_LEARNERS = 4 * WORKERS  # used WORKERS at a time until every pool process has rendered
VERIFY_RATE = "1000000000/m"
EVALUATE_TASK = "certification.tasks.programmes_evaluate_task"
RENDER_TASK = "certification.tasks.certificate_render_task"
TARGETS = {"pdf_median_ms": 250, "verify_ratio": 0.5}


def _ms(seconds: float | None, digits: int = 1) -> float | None:
    return None if seconds is None else round(1000 * seconds, digits)


# --- PDF render time (in this process) -------------------------------------------------------


def measure_pdf(certificate_ids: list[int], *, warmup: int = PDF_WARMUP) -> dict:
    """Render each certificate's PDF in this process; the first ``warmup`` are discarded."""
    from certification import pdf
    from certification.models import Certificate

    def load_one(pk):  # as certificate_render loads it
        return Certificate.objects.select_related("programme").get(pk=pk)

    first = None
    for pk in certificate_ids[:warmup]:
        started = time.perf_counter()
        pdf.render_certificate(load_one(pk))
        first = first if first is not None else time.perf_counter() - started
    renders, html, qr, sizes = [], [], [], []
    for pk in certificate_ids[warmup:]:
        certificate = load_one(pk)
        started = time.perf_counter()
        content = pdf.render_certificate(certificate)
        renders.append(time.perf_counter() - started)
        if not content.startswith(b"%PDF-"):
            raise SystemExit(f"certificate {pk}: render_certificate returned no PDF")
        sizes.append(len(content))
        # The parts that run before WeasyPrint, timed apart (a second, separate pass).
        certificate = load_one(pk)
        started = time.perf_counter()
        pdf.render_html(certificate)
        html.append(time.perf_counter() - started)
        started = time.perf_counter()
        pdf.qr_svg(pdf.verification_url(certificate))
        qr.append(time.perf_counter() - started)
    median = statistics.median(renders)
    return {
        "median_ms": _ms(median), "p95_ms": _ms(steps.percentile(renders, 95)),
        # Further figures:
        "min_ms": _ms(min(renders)), "max_ms": _ms(max(renders)),
        "first_render_ms": _ms(first), "count": len(renders), "warmup": warmup,
        "html_median_ms": _ms(statistics.median(html)), "qr_median_ms": _ms(statistics.median(qr)),
        "pdf_kib_median": round(statistics.median(sizes) / 1024, 1),
        "targets": {"median_ms_below": TARGETS["pdf_median_ms"]},
        "met": 1000 * median < TARGETS["pdf_median_ms"],
    }


# --- certificates issued per minute by two workers -------------------------------------------


def _rendered(user_ids: list[int]) -> tuple[int, int]:
    """(certificates of these holders, of which with their current PDF)."""
    from django.db.models import Count, F, Q

    from certification.models import Certificate

    counts = Certificate.objects.filter(holder_id__in=user_ids).aggregate(
        issued=Count("pk"), rendered=Count("pk", filter=Q(pdf_revision=F("revision")) & ~Q(pdf="")),
    )
    return counts["issued"], counts["rendered"]


def _wait_rendered(user_ids: list[int], stack, timeout: float) -> float | None:
    """Poll every 20 ms until each of ``user_ids`` holds a certificate with its PDF; the
    perf_counter when first seen, or None after ``timeout`` (or when a worker died)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _rendered(user_ids)[1] >= len(user_ids):
            return time.perf_counter()
        if not stack.worker.alive:
            return None
        time.sleep(0.02)
    return None


def _publish(sender, user_ids: list[int]) -> None:
    with sender.producer_or_acquire() as producer:
        for user_id in user_ids:
            sender.send_task(EVALUATE_TASK, args=[user_id], producer=producer)


def measure_issue(env: dict, user_ids: list[int], warmup_ids: list[int], started: float) -> dict:
    """Publish the evaluation for every learner at once to two real workers; time until
    the last certificate has its PDF."""
    from celery import Celery

    with workers.stack(env, started) as stack:
        worker_text = stack.worker_text
        sender = Celery("bench-certification", broker=stack.broker_url, set_as_current=False)
        try:
            steps.log("  warm-up", started)
            warmed = _warm_up(sender, stack, warmup_ids)
            skip = {task: len(stack.task_runtimes(task)) for task in (EVALUATE_TASK, RENDER_TASK)}
            steps.log(f"  publishing {EVALUATE_TASK.rsplit('.', 1)[1]} for {len(user_ids)} learners at once",
                      started)
            began = time.perf_counter()
            _publish(sender, user_ids)
            published = time.perf_counter()
            done = _wait_rendered(user_ids, stack, ISSUE_TIMEOUT)
            issued, rendered = _rendered(user_ids)
            runtimes = {task: stack.task_runtimes(task)[skip[task]:] for task in (EVALUATE_TASK, RENDER_TASK)}
            alive = stack.worker.alive
            if done is None:
                print("--- worker log (tail) ---\n" + stack.worker.log_tail(40), file=sys.stderr)
        finally:
            sender.close()
    seconds = None if done is None else done - began
    evaluate, render = runtimes[EVALUATE_TASK], runtimes[RENDER_TASK]
    return {
        "per_min": None if seconds is None else round(len(user_ids) / seconds * 60, 1),
        # Further figures:
        "certificates": len(user_ids), "seconds": None if seconds is None else round(seconds, 2),
        "publish_ms": _ms(published - began), "workers": WORKERS,
        "issued": issued, "rendered": rendered, "errors": len(user_ids) - rendered,
        "workers_alive_at_end": alive, "warm_up_learners": warmed,
        "evaluate_task_p50_ms": _ms(steps.percentile(evaluate, 50)),
        "render_task_p50_ms": _ms(steps.percentile(render, 50)),
        "render_task_p95_ms": _ms(steps.percentile(render, 95)),
        # What two workers could do if only the tasks' own run time counted.
        "capacity_per_min": round(WORKERS * 60 / (statistics.fmean(evaluate) + statistics.fmean(render)), 1)
        if evaluate and render else None,
        "stack": f"private redis-server broker + {worker_text} + PostgreSQL; "
                 "evaluate task then render task per learner",
        "targets": {}, "met": None,  # no target is set for this figure
    }


def _warm_up(sender, stack, warmup_ids: list[int]) -> int:
    """Send warm-up learners through the chain, WORKERS at a time, until every pool
    process has rendered at least one PDF (or the warm-up learners run out). Returns how many went."""
    used = 0
    while used < len(warmup_ids):
        batch = warmup_ids[used : used + WORKERS]
        used += len(batch)
        _publish(sender, batch)
        if _wait_rendered(warmup_ids[:used], stack, 120) is None:
            raise SystemExit("warm-up certificates were not rendered within 120 s:\n" + stack.worker.log_tail(40))
        if len(stack.pool_children(RENDER_TASK)) >= WORKERS:
            break
    return used


# --- verification page throughput ------------------------------------------------------------


def _check(port: int, path: str, markers: list[str]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read().decode()
    finally:
        conn.close()
    missing = [m for m in markers if m not in body]
    if response.status != 200 or missing:
        raise SystemExit(f"GET {path} -> {response.status}; expected 200 containing {missing!r}")


def measure_verify(env: dict, certificate_id: int, started: float, *, seconds: float = SECONDS,
                   warmup: float = WARMUP, rounds: int = ROUNDS, concurrency: int = CONCURRENCY) -> dict:
    import html

    from certification.models import Certificate

    from . import queries

    certificate = Certificate.objects.select_related("programme").get(pk=certificate_id)
    path = f"/certificates/verify/{certificate.code}/"
    sql = queries.capture(path)
    targets = {"verify": (path, None, concurrency), "hello": ("/bench/hello/", None, concurrency)}
    with server.gunicorn(dict(env, CERTIFICATE_VERIFY_RATE=VERIFY_RATE)) as port:
        _check(port, path, ["Valid", html.escape(certificate.holder_name), certificate.display_code])
        _check(port, "/bench/hello/", ["Hello, world"])
        steps.log(f"  gunicorn on 127.0.0.1:{port}; verify and hello, {seconds:g}s each in {rounds} rounds "
             f"at concurrency {concurrency}", started)
        measured = load.measure(port, targets, seconds=seconds, warmup=warmup, rounds=rounds)
    verify, hello = measured["verify"], measured["hello"]
    ratio = verify.rps / hello.rps
    return {
        "rps": round(verify.rps, 1), "p95_ms": round(verify.percentile_ms(95), 2),
        # Further figures:
        "p50_ms": round(verify.percentile_ms(50), 2), "requests": verify.requests,
        "hello_rps": round(hello.rps, 1), "hello_p95_ms": round(hello.percentile_ms(95), 2),
        "ratio_to_hello": round(ratio, 2), "concurrency": concurrency, "queries": len(sql),
        "kib": round(verify.body_bytes / 1024, 1), "path": "/certificates/verify/<code>/",
        "rate_limit": f"CERTIFICATE_VERIFY_RATE={VERIFY_RATE} for the bench (the limiter still runs)",
        "targets": {"ratio_to_hello_at_least": TARGETS["verify_ratio"]},
        "met": ratio >= TARGETS["verify_ratio"],
    }


# --- all three --------------------------------------------------------------------------------


def run(env: dict, started: float, *, pdfs: int | None = None, learners: int | None = None) -> dict:
    """Make the data in the bench database, measure, return the three keys' figures."""
    from . import certification_fixtures as cf

    pdfs = pdfs or PDFS
    learners = learners or LEARNERS
    steps.log(f"certification: course, code of conduct, {learners} + {WARMUP_LEARNERS} qualified "
         f"learners, programme, {pdfs + PDF_WARMUP} certificates to render", started)
    data = cf.course_and_code()
    ids = cf.qualified_learners(data, learners + WARMUP_LEARNERS)  # before the programme exists
    warmup_ids, issue_ids = ids[:WARMUP_LEARNERS], ids[WARMUP_LEARNERS:]
    cf.programme_create(data)
    pdf_ids = cf.pdf_certificates(data, pdfs + PDF_WARMUP)

    steps.log(f"  rendering {pdfs} certificate PDFs in-process (after {PDF_WARMUP} warm-up)", started)
    result = {"certificate_pdf": measure_pdf(pdf_ids)}
    steps.log(f"  issuing {learners} certificates with {WORKERS} Celery pool processes", started)
    result["certificate_issue"] = measure_issue(env, issue_ids, warmup_ids, started)
    steps.log("  verification page against hello-world", started)
    result["verify"] = measure_verify(env, pdf_ids[0], started)
    return result


def report(result: dict) -> str:
    """The printed table and the targets (reported, not asserted)."""
    def f(value, unit="") -> str:
        return "-" if value is None else f"{value:g}{unit}"

    def mark(ok) -> str:
        return "-" if ok is None else ("met" if ok else "NOT met")

    pdf, issue, verify = result["certificate_pdf"], result["certificate_issue"], result["verify"]
    lines = [
        "Certification",
        f"  certificate_pdf    median {f(pdf['median_ms'], ' ms')}, p95 {f(pdf['p95_ms'], ' ms')} "
        f"(min {f(pdf['min_ms'])}, max {f(pdf['max_ms'])}; {pdf['count']} renders after "
        f"{pdf['warmup']} warm-up, first {f(pdf['first_render_ms'], ' ms')}; of the median: HTML "
        f"{f(pdf['html_median_ms'], ' ms')} incl. QR {f(pdf['qr_median_ms'], ' ms')}; "
        f"{pdf['pdf_kib_median']} KiB)",
        f"  certificate_issue  {f(issue['per_min'])} certificates/min by {issue['workers']} worker processes "
        f"({issue['certificates']} in {f(issue['seconds'], ' s')} from publish to last PDF; evaluate "
        f"task p50 {f(issue['evaluate_task_p50_ms'], ' ms')}, render task p50 "
        f"{f(issue['render_task_p50_ms'], ' ms')} p95 {f(issue['render_task_p95_ms'], ' ms')}; "
        f"task-time capacity {f(issue['capacity_per_min'])}/min; errors {issue['errors']})",
        f"  verify             {f(verify['rps'])} rps, p50 {f(verify['p50_ms'], ' ms')}, p95 "
        f"{f(verify['p95_ms'], ' ms')} at concurrency {verify['concurrency']} "
        f"({verify['queries']} queries, {verify['kib']} KiB); hello {f(verify['hello_rps'])} rps "
        f"-> {verify['ratio_to_hello']:.2f} x",
        "Certification targets (reported, not asserted):",
        f"  PDF median < {pdf['targets']['median_ms_below']} ms        : {f(pdf['median_ms'], ' ms')} "
        f"-> {mark(pdf['met'])}",
        f"  verify rps >= {verify['targets']['ratio_to_hello_at_least']} x hello rps : "
        f"{verify['ratio_to_hello']:.2f} x -> {mark(verify['met'])}",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Standalone: its own freshly copied database, then the measurement."""
    return steps.standalone(
        database_name="lms_bench_certification",
        measure=run,
        describe=report,
        errors=lambda document: document["certificate_issue"]["errors"],
        write="--no-write" not in argv,
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
