"""`make bench`: measure the learning pages against a bare Wagtail page and a hello view.

Steps: recreate and migrate the ``lms_bench`` database; create the large course (N lessons
in modules of 10), enrolled learners, the bare page and two small courses; count SQL
queries per request in-process; then serve with gunicorn on loopback and measure requests/s
and latency at a fixed concurrency. Then the exam rush (``exam_rush.py``): learners
submitting a quiz to gunicorn + PostgreSQL + Redis + a Celery worker (two pool processes).
Prints a table and writes ``bench/latest.json``; exits 1 if the exam rush had errors.

Environment knobs: BENCH_LESSONS (200), BENCH_SECONDS (6, per endpoint, split into
BENCH_ROUNDS (3) rounds taken in turn), BENCH_WARMUP (1), BENCH_CONCURRENCY (8);
BENCH_RUSH=0 skips the exam rush, BENCH_RUSH_LEARNERS (300) and BENCH_RUSH_SECONDS (60)
size it (see exam_rush.py). Then the certification figures (``certification.py``: PDF
render time, certificates issued per minute by two workers, the verification page against
hello-world); BENCH_CERTIFICATION=0 skips them. Then the Stripe webhook (``webhook.py``:
intake latency of signed events, orders fulfilled per second by two workers, duplicate
deliveries absorbed); BENCH_WEBHOOK=0 skips it. Exits 1 if it had errors, too. Then the
manager's dashboard (``manager_dashboard.py``: the staff progress page of an organisation
with 1,000 staff against hello-world, its query count at 10 and 1,000 staff, and the CSV
export time); BENCH_MANAGER_DASHBOARD=0 skips it. Then the attendance slip check
(``attendance.py``: the public check page against hello-world, key ``attendance_check``);
BENCH_ATTENDANCE=0 skips it.
"""
import html
import http.client
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from typing import NamedTuple

from . import attendance, certification, database, exam_rush, load, manager_dashboard, report, server, webhook
from .steps import log as step

LESSONS = int(os.environ.get("BENCH_LESSONS", "200"))
SECONDS, WARMUP, CONCURRENCY, ROUNDS = load.SECONDS, load.WARMUP, load.CONCURRENCY, load.ROUNDS
RUSH = os.environ.get("BENCH_RUSH", "1") != "0"
CERTIFICATION = os.environ.get("BENCH_CERTIFICATION", "1") != "0"
WEBHOOK = os.environ.get("BENCH_WEBHOOK", "1") != "0"
MANAGER_DASHBOARD = os.environ.get("BENCH_MANAGER_DASHBOARD", "1") != "0"
ATTENDANCE = os.environ.get("BENCH_ATTENDANCE", "1") != "0"


class Endpoint(NamedTuple):
    path: str
    signed_in: bool  # requested with the enrolled learners' session cookies
    marker: str  # text the page must contain
    concurrency: int = CONCURRENCY


def endpoints(data) -> dict[str, Endpoint]:
    lesson, course, bare = data.lesson, data.course, data.bare
    # Only an enrolled learner's lesson page carries the heartbeat URL.
    lesson_marker = f"/lessons/{lesson.id}/heartbeat/"
    return {
        "catalogue": Endpoint("/courses/", False, html.escape(course.title)),
        "course": Endpoint(course.get_url(), False, html.escape(course.title)),
        "lesson": Endpoint(lesson.get_url(), True, lesson_marker),
        # The same lesson in Spanish, the learner's progress the English lesson's.
        "lesson_es": Endpoint(data.lesson_es.get_url(), True, f"/lessons/{data.lesson_es.id}/heartbeat/"),
        # The same body in a course with CE hours: the time-on-task display on top.
        "lesson_ce": Endpoint(data.lesson_ce.get_url(), True, 'id="ce-time"'),
        "bare_wagtail": Endpoint(bare.get_url(), False, html.escape(lesson.title)),
        "hello": Endpoint("/bench/hello/", False, "Hello, world"),
        # Besides the five pages above: the bare page signed in (what a session costs), and the
        # lesson one request at a time (its service time, without queueing).
        "bare_wagtail_signed_in": Endpoint(bare.get_url(), True, html.escape(lesson.title)),
        "lesson_concurrency_1": Endpoint(lesson.get_url(), True, lesson_marker, concurrency=1),
    }


def check_page(port: int, name: str, path: str, cookies, marker: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookies[0]} if cookies else {})
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    if response.status != 200 or marker not in body:
        raise SystemExit(
            f"{name}: GET {path} -> {response.status} {response.getheader('Location', '')}; "
            f"expected 200 containing {marker!r}"
        )


def prepare(env: dict, started: float):
    """Bench database with the large course and everything else the measurements need."""
    step(f"recreating database {database.NAME}", started)
    migrated = database.recreate(env)
    step("  migrated (manage.py migrate into the template)" if migrated
         else f"  copied from {database.TEMPLATE} (migrations unchanged)", started)
    import django

    django.setup()
    from . import fixtures

    step(f"creating the large course ({LESSONS} lessons)", started)
    made_by = fixtures.seed_large_course(LESSONS, env)
    step(f"  made by {made_by}; adding learners, bare page, 5- and 60-lesson courses", started)
    return fixtures.prepare(learners=CONCURRENCY), made_by


def count_queries(pages: dict, data) -> tuple[dict, dict]:
    """SQL per endpoint, and the lesson's query count in courses of different sizes."""
    from . import queries

    learner = data.cookies[0]
    sql = {name: queries.capture(e.path, session=learner if e.signed_in else None)
           for name, e in pages.items()}
    scaling = {key: len(queries.capture(lesson.get_url(), session=learner))
               for key, (_, lesson) in data.scaling.items()}
    scaling[f"lessons_{data.lessons}"] = len(sql["lesson"])
    return sql, scaling


def measure_all(env: dict, pages: dict, data, sql: dict, started: float) -> dict:
    from django.conf import settings

    headers = [f"{settings.SESSION_COOKIE_NAME}={c}" for c in data.cookies]
    targets = {name: (e.path, headers if e.signed_in else None, e.concurrency)
               for name, e in pages.items()}
    with server.gunicorn(env) as port:
        step(f"gunicorn on 127.0.0.1:{port}, {server.WORKERS} {server.WORKER_CLASS} workers", started)
        for name, e in pages.items():
            check_page(port, name, e.path, targets[name][1], e.marker)
        step(f"measuring {len(pages)} endpoints, {SECONDS:g}s each in {ROUNDS} rounds taken in turn",
             started)
        measured = load.measure(port, targets, seconds=SECONDS, warmup=WARMUP, rounds=ROUNDS)
    results = {}
    for name, r in measured.items():
        results[name] = {
            "path": pages[name].path, "rps": round(r.rps, 1),
            "p50_ms": round(r.percentile_ms(50), 2), "p95_ms": round(r.percentile_ms(95), 2),
            "queries": len(sql[name]), "requests": r.requests, "bytes": r.body_bytes,
            "concurrency": pages[name].concurrency,
        }
    return results


def meta(data, made_by: str, load_before, started: float) -> dict:
    import django
    import wagtail

    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "server": f"gunicorn, {server.WORKERS} {server.WORKER_CLASS} workers, 127.0.0.1, "
                  "DEBUG off, CONN_MAX_AGE 60, Redis cache, cached_db sessions",
        "client": f"{CONCURRENCY} threads, http.client (sync workers close after each response)",
        "concurrency": CONCURRENCY, "warmup_s": WARMUP, "duration_s": SECONDS,
        "rounds": ROUNDS,
        "large_course": {"slug": data.course.slug, "lessons": data.lessons, "made_by": made_by,
                         "measured_lesson": data.lesson.get_url()},
        "cpus": os.cpu_count(),
        "load_average_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "python": platform.python_version(), "django": django.get_version(),
        "wagtail": wagtail.__version__, "total_s": round(time.monotonic() - started, 1),
    }


def main() -> int:
    started = time.monotonic()
    media = tempfile.mkdtemp(prefix="lms-bench-media-")
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database.database_url(),
        BENCH_RUN_ID=f"{os.getpid()}-{int(time.time())}",
        MEDIA_ROOT=media,
    )
    os.environ.update(env)  # this process uses the same settings, database and media
    try:
        data, made_by = prepare(env, started)
        pages = endpoints(data)
        step("counting queries per request (in-process test client)", started)
        sql, scaling = count_queries(pages, data)
        load_before = os.getloadavg()
        results = measure_all(env, pages, data, sql, started)
        document = {**results, "lesson_query_scaling": scaling,
                    "meta": meta(data, made_by, load_before, started)}
        if RUSH:  # after the pages: its data and processes do not touch their figures
            document["exam_rush"] = exam_rush.run(env, started)
        # After the rush: its active programme would add an evaluation task to every
        # course completion during the rush.
        if CERTIFICATION:
            document.update(certification.run(env, started))
        if WEBHOOK:  # its own course, learners and orders; its own broker and workers
            document["webhook"] = webhook.run(env, started)
        if MANAGER_DASHBOARD:  # its own courses, organisations and staff; gunicorn of its own
            document.update(manager_dashboard.run(env, started))
        if ATTENDANCE:  # one slip of its own; gunicorn of its own
            document.update(attendance.run(env, started))
        document["meta"]["total_s"] = round(time.monotonic() - started, 1)
    finally:
        shutil.rmtree(media, ignore_errors=True)

    print()
    print(report.table(results))
    print()
    print(report.targets(results, scaling))
    print(report.machine(document["meta"]))
    print()
    print(report.sql_breakdown(sql["lesson"]))
    if "exam_rush" in document:
        print()
        print(report.exam_rush(document["exam_rush"]))
    if "certificate_pdf" in document:
        print()
        print(certification.report(document))
    if "webhook" in document:
        print()
        print(webhook.report(document["webhook"]))
    if "manager_dashboard" in document:
        print()
        print(manager_dashboard.report(document["manager_dashboard"]))
    if "attendance_check" in document:
        print()
        print(attendance.report(document))
    document["lesson"]["sql"] = [report.short_sql(q, 400) for q in sql["lesson"]]
    path = report.write(document)
    step(f"wrote {path.relative_to(database.ROOT)}", started)
    failed = document.get("exam_rush", {}).get("errors") or document.get("webhook", {}).get("errors")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
