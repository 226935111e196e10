"""`make bench`: measure the learning pages against a bare Wagtail page and a hello view.

Steps: recreate and migrate the ``lms_bench`` database; create the large course (N lessons
in modules of 10), enrolled learners, the bare page and two small courses; count SQL
queries per request in-process; then serve with gunicorn on loopback and measure requests/s
and latency at a fixed concurrency. Prints a table and writes ``bench/latest.json``.

Environment knobs: BENCH_LESSONS (200), BENCH_SECONDS (6), BENCH_WARMUP (1),
BENCH_CONCURRENCY (8).
"""
import html
import http.client
import os
import platform
import sys
import time
from datetime import datetime, timezone

from . import database, load, report, server

LESSONS = int(os.environ.get("BENCH_LESSONS", "200"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "6"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "1"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))


def step(message: str, started: float) -> None:
    print(f"[{time.monotonic() - started:6.1f}s] {message}", flush=True)


def endpoints(data) -> dict:
    """name -> (path, signed in as the learners?, text the page must contain)."""
    lesson = data.lesson
    return {
        "catalogue": ("/courses/", False, html.escape(data.course.title)),
        "course": (data.course.get_url(), False, html.escape(data.course.title)),
        # Only an enrolled learner's lesson page carries the heartbeat URL.
        "lesson": (lesson.get_url(), True, f"/lessons/{lesson.id}/heartbeat/"),
        "bare_wagtail": (data.bare.get_url(), False, html.escape(lesson.title)),
        # Not required by the issue: the bare page signed in, to separate session cost.
        "bare_wagtail_signed_in": (data.bare.get_url(), True, html.escape(lesson.title)),
        "hello": ("/bench/hello/", False, "Hello, world"),
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


def main() -> int:
    started = time.monotonic()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database.database_url(),
        BENCH_RUN_ID=f"{os.getpid()}-{int(time.time())}",
    )
    os.environ.update(env)  # this process uses the same settings and database

    step(f"recreating database {database.NAME} and migrating", started)
    database.recreate()
    database.migrate(env)

    import django

    django.setup()
    from . import fixtures, queries

    step(f"creating the large course ({LESSONS} lessons)", started)
    made_by = fixtures.seed_large_course(LESSONS, env)
    step(f"  made by {made_by}; adding learners, bare page, 5- and 60-lesson courses", started)
    data = fixtures.prepare(learners=CONCURRENCY)
    pages = endpoints(data)

    step("counting queries per request (in-process test client)", started)
    learner = data.cookies[0]
    sql = {name: queries.capture(path, session=learner if signed_in else None)
           for name, (path, signed_in, _) in pages.items()}
    scaling = {key: len(queries.capture(lesson.get_url(), session=learner))
               for key, (_, lesson) in data.scaling.items()}
    scaling[f"lessons_{data.lessons}"] = len(sql["lesson"])

    from django.conf import settings

    headers = [f"{settings.SESSION_COOKIE_NAME}={c}" for c in data.cookies]
    results = {}
    with server.gunicorn(env) as port:
        step(f"gunicorn on 127.0.0.1:{port}, {server.WORKERS} {server.WORKER_CLASS} workers", started)
        for name, (path, signed_in, marker) in pages.items():
            cookies = headers if signed_in else None
            check_page(port, name, path, cookies, marker)
            r = load.measure(port, path, cookies=cookies, concurrency=CONCURRENCY,
                             seconds=SECONDS, warmup=WARMUP)
            results[name] = {
                "path": path, "rps": round(r.rps, 1), "p50_ms": round(r.percentile_ms(50), 2),
                "p95_ms": round(r.percentile_ms(95), 2), "queries": len(sql[name]),
                "requests": r.requests, "bytes": r.body_bytes,
            }
            step(f"  {name:<24} {r.rps:8.1f} req/s", started)

    print()
    print(report.table(results))
    print()
    print(report.targets(results, scaling))
    print()
    print(f"Lesson page SQL ({len(sql['lesson'])} queries, signed-in learner, warm request):")
    for i, q in enumerate(sql["lesson"], 1):
        print(f"  {i:>2}. {queries.short(q)}")

    import django as dj
    import wagtail

    results["lesson"]["sql"] = [queries.short(q, 400) for q in sql["lesson"]]
    document = {
        **results,
        "lesson_query_scaling": scaling,
        "meta": {
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "server": f"gunicorn, {server.WORKERS} {server.WORKER_CLASS} workers, 127.0.0.1, "
                      "DEBUG off, CONN_MAX_AGE 60, Redis cache, DB sessions",
            "client": f"{CONCURRENCY} threads, http.client (server closes after each response)",
            "concurrency": CONCURRENCY, "warmup_s": WARMUP, "duration_s": SECONDS,
            "large_course": {"slug": data.course.slug, "lessons": data.lessons, "made_by": made_by,
                             "measured_lesson": data.lesson.get_url()},
            "cpus": os.cpu_count(), "python": platform.python_version(),
            "django": dj.get_version(), "wagtail": wagtail.__version__,
            "total_s": round(time.monotonic() - started, 1),
        },
    }
    path = report.write(document)
    step(f"wrote {path.relative_to(database.ROOT)}", started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
