"""The public attendance slip check against hello-world (key ``attendance_check``).

An officer's check is a POST of the slip code and the printed name to
``/attendance/check/`` (the form, with its CSRF cookie and token): the rate limiter's
counter read, one query, one HMAC, the page. gunicorn (``bench/server.py``) serves it with
ATTENDANCE_CHECK_RATE raised so that the limiter runs but never refuses (the bench
measures the page, not the limiter); hello-world is measured in the same rounds.
Run alone: ``python -m bench.attendance`` (its own database).
"""
import http.client
import re
import sys
from urllib.parse import urlencode

from . import load, server, steps
from .load import CONCURRENCY, ROUNDS, SECONDS, WARMUP, Post

CHECK_RATE = "1000000000/m"
NAME = "Ana Pérez Bench"


def slip_create() -> str:
    """A facilitator, their current certificate, a meeting and one slip; the slip's code."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from attendance import keys, names
    from attendance.models import Meeting, Slip
    from attendance.codes import new_slip_code
    from certification.codes import new_code
    from certification.models import Certificate, Programme

    # Names of their own: the other measurements share this database and make their own
    # "Bench Facilitator" programme.
    user, _ = get_user_model().objects.get_or_create(
        username="bench-attendance-facilitator", defaults={"email": "bench-attendance-facilitator@example.org"}
    )
    programme, _ = Programme.objects.get_or_create(
        slug="bench-attendance-facilitator",
        defaults={"title": "Bench attendance facilitator", "validity_months": 24,
                  "signatory_name": "Bench", "signatory_title": "Bench"},
    )
    now = timezone.now()
    certificate = Certificate.objects.filter(holder=user, programme=programme).first() or Certificate.objects.create(
        code=new_code(), holder=user, programme=programme, holder_name="Bench Facilitator",
        issued_at=now - timedelta(days=100), expires_at=now + timedelta(days=600),
    )
    meeting = Meeting.objects.create(
        facilitator=user, kind="four_point", mode="online", weekday=2, starts_at=time(19), ends_at=time(20, 30),
        time_zone="Europe/Madrid", facilitator_display_name="Bench F.",
    )
    zone, day = ZoneInfo("Europe/Madrid"), timezone.localdate() - timedelta(days=1)
    code = new_slip_code()
    key = keys.current_key()
    digest, key_id = keys.name_hash(key, names.normalise(NAME), code), key.id
    Slip.objects.create(
        code=code, meeting=meeting, facilitator=user, certificate=certificate, via="facilitator",
        meeting_kind="four_point", meeting_mode="online", meeting_date=day,
        meeting_starts_at=datetime.combine(day, time(19), tzinfo=zone),
        meeting_ends_at=datetime.combine(day, time(20, 30), tzinfo=zone), meeting_time_zone="Europe/Madrid",
        facilitator_display_name="Bench F.", name_hash=digest, key_id=key_id, issued_at=now,
        expires_on=day + timedelta(days=365),
    )
    return code


def _form_token(port: int) -> tuple[str, str]:
    """(Cookie header, form token) from the check form, as a browser gets them."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", "/attendance/check/")
        response = conn.getresponse()
        page = response.read().decode()
        cookie = response.getheader("Set-Cookie", "").split(";")[0]
    finally:
        conn.close()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if response.status != 200 or not token or not cookie:
        raise SystemExit(f"GET /attendance/check/ -> {response.status}; no form token")
    return cookie, token.group(1)


def _check(port: int, target: Post, cookie: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", target.path, body=target.body, headers={"Cookie": cookie, "Content-Type": target.content_type})
        response = conn.getresponse()
        body = response.read().decode()
    finally:
        conn.close()
    if response.status != 200 or "✓" not in body:
        raise SystemExit(f"POST {target.path} -> {response.status}; expected the slip to match")


def measure(env: dict, started: float, *, seconds: float = SECONDS, warmup: float = WARMUP,
            rounds: int = ROUNDS, concurrency: int = CONCURRENCY) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    code = slip_create()
    client = Client(HTTP_HOST="127.0.0.1")
    client.post("/attendance/check/", {"code": code, "name": NAME})
    with CaptureQueriesContext(connection) as sql:
        client.post("/attendance/check/", {"code": code, "name": NAME})
    with server.gunicorn(dict(env, ATTENDANCE_CHECK_RATE=CHECK_RATE)) as port:
        cookie, token = _form_token(port)
        target = Post("/attendance/check/", urlencode({"csrfmiddlewaretoken": token, "code": code, "name": NAME}).encode(),
                      "application/x-www-form-urlencoded")
        _check(port, target, cookie)
        steps.log(f"  gunicorn on 127.0.0.1:{port}; slip check and hello, {seconds:g}s each in {rounds} rounds "
                  f"at concurrency {concurrency}", started)
        measured = load.measure(port, {"attendance_check": (target, [cookie], concurrency),
                                       "hello": ("/bench/hello/", None, concurrency)},
                                seconds=seconds, warmup=warmup, rounds=rounds)
    check, hello = measured["attendance_check"], measured["hello"]
    ratio = check.rps / hello.rps
    return {"attendance_check": {
        "rps": round(check.rps, 1), "p50_ms": round(check.percentile_ms(50), 2),
        "p95_ms": round(check.percentile_ms(95), 2), "requests": check.requests,
        "hello_rps": round(hello.rps, 1), "ratio_to_hello": round(ratio, 2), "concurrency": concurrency,
        "queries": len(sql.captured_queries), "kib": round(check.body_bytes / 1024, 1),
        "path": "POST /attendance/check/",
        "rate_limit": f"ATTENDANCE_CHECK_RATE={CHECK_RATE} for the bench (the limiter still runs)",
    }}


def run(env: dict, started: float) -> dict:
    steps.log("attendance: the slip check against hello-world", started)
    return measure(env, started)


def report(document: dict) -> str:
    r = document["attendance_check"]
    return "\n".join([
        "Attendance",
        f"  attendance_check   {r['rps']:g} rps, p50 {r['p50_ms']:g} ms, p95 {r['p95_ms']:g} ms at concurrency "
        f"{r['concurrency']} ({r['queries']} queries, {r['kib']} KiB); hello {r['hello_rps']:g} rps "
        f"-> {r['ratio_to_hello']:.2f} x",
    ])


def main(argv: list[str]) -> int:
    return steps.standalone(
        database_name="lms_bench_attendance", measure=run, describe=report,
        errors=lambda document: 0, write="--no-write" not in argv,
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
