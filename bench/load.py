"""A small HTTP load generator: N threads, each with its own persistent connection.

Each thread sends GET requests (or the POST a ``Post`` target describes) back to back until the deadline. ``http.client`` keeps the
connection open when the server allows it and reconnects transparently when the server
closes it (gunicorn's sync workers answer ``Connection: close``). Any answer but 200 stops
the run with the status and redirect target.
"""
import http.client
import os
import statistics
import threading
import time
from dataclasses import dataclass
from typing import NamedTuple

# The knobs every measurement shares (``make bench`` and each step run alone).
SECONDS = float(os.environ.get("BENCH_SECONDS", "6"))  # per endpoint, split into ROUNDS rounds taken in turn
WARMUP = float(os.environ.get("BENCH_WARMUP", "1"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))


class LoadError(SystemExit):
    pass


class Post(NamedTuple):
    """A target sent as a POST with this body (a form or JSON), in place of a GET path."""

    path: str
    body: bytes
    content_type: str

    def __str__(self) -> str:
        return self.path


@dataclass
class Result:
    requests: int
    seconds: float
    latencies: list  # seconds, one per request
    body_bytes: int  # size of one response body

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile_ms(self, p: int) -> float:
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive")
        return 1000 * cuts[p - 1]


def _client(port, path, headers, stop_at, latencies, sizes, errors):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        while time.perf_counter() < stop_at and not errors:
            started = time.perf_counter()
            if isinstance(path, Post):
                conn.request("POST", path.path, body=path.body, headers={**headers, "Content-Type": path.content_type})
            else:
                conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            latencies.append(time.perf_counter() - started)
            if response.status != 200:
                location = response.getheader("Location", "")
                errors.append(f"GET {path} -> {response.status} {location}".strip())
                return
            sizes.append(len(body))
    except Exception as error:  # a dropped connection or timeout fails the whole run
        errors.append(f"GET {path}: {error!r}")
    finally:
        conn.close()


def _phase(port, path, cookies, concurrency, seconds) -> Result:
    stop_at = time.perf_counter() + seconds
    errors: list[str] = []
    per_thread = [([], []) for _ in range(concurrency)]
    threads = []
    started = time.perf_counter()
    for i, (latencies, sizes) in enumerate(per_thread):
        headers = {"Cookie": cookies[i % len(cookies)]} if cookies else {}
        thread = threading.Thread(
            target=_client, args=(port, path, headers, stop_at, latencies, sizes, errors), daemon=True
        )
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise LoadError(f"{len(errors)} failed request(s), first: {errors[0]}")
    latencies = [x for lat, _ in per_thread for x in lat]
    sizes = [x for _, size in per_thread for x in size]
    return Result(len(latencies), elapsed, latencies, sizes[0] if sizes else 0)


def measure(port, targets: dict, *, seconds=6.0, warmup=1.0, rounds=3) -> dict[str, Result]:
    """Measure each target for ``seconds`` in total, after ``warmup`` seconds (discarded).

    ``targets``: name -> (path, cookies, concurrency); ``cookies`` are ``Cookie`` header
    values handed to the threads in turn (one per learner), or None. The time is split
    into ``rounds`` taken in turn across the targets, so that a burst of other work on the
    machine slows every target alike instead of one of them.
    """
    for path, cookies, concurrency in targets.values():
        _phase(port, path, cookies, concurrency, warmup)
    parts: dict[str, list[Result]] = {name: [] for name in targets}
    for _ in range(rounds):
        for name, (path, cookies, concurrency) in targets.items():
            parts[name].append(_phase(port, path, cookies, concurrency, seconds / rounds))
    return {
        name: Result(
            requests=sum(r.requests for r in rs),
            seconds=sum(r.seconds for r in rs),
            latencies=[x for r in rs for x in r.latencies],
            body_bytes=rs[0].body_bytes,
        )
        for name, rs in parts.items()
    }
