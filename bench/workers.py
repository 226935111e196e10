"""The task steps' stack (exam rush, certification, webhook): a private ``redis-server`` as
the broker, one Celery worker laid out as the Procfile runs it and, for the steps that
serve pages, gunicorn (``server.py``); then what the bench reads from the worker's log.

The processes are started by the integration tests' process starter
(``tests/integration/processes.py``): each in its own session, so a terminal's Ctrl-C
reaches only this process, which then stops them in order (SIGTERM, then SIGKILL for the
whole process group); each child asks the kernel to kill it if this process dies without
cleaning up; a process that does not start ends the run with its log.

Why one prefork worker (``-P prefork -c 2``), not one ``-P solo`` process per slot: the
kernel's autogroup scheduler shares the CPU between sessions, so two worker sessions took
twice the web server's share and the measured request latency was the benchmark's layout,
not the product's. Prefetch multiplier 1 and late acks, as the settings give the
Procfile's worker.
"""
import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lms.worker_priority import session_group_nice
from tests.integration import processes

from . import server, steps

QUEUE = processes.DEFAULT_QUEUE  # Celery's default queue: the project routes no task elsewhere
WORKERS = 2  # the worker's pool processes, as the Procfile runs it


@dataclass
class Stack:
    broker_url: str
    redis: object  # a redis.Redis client of the broker
    worker: processes.Worker
    env: dict  # the environment the worker (and gunicorn) run with
    port: int | None  # gunicorn's, for the steps that serve pages

    @property
    def priority(self) -> str:
        """The worker's CPU priority as the kernel has it (``lms/worker_priority.py`` lowers
        it at start): "nice 10, session group nice 10", for the report."""
        pid = self.worker.service.pid
        nice, group = os.getpriority(os.PRIO_PROCESS, pid), session_group_nice(pid)
        if group is None:  # no autogroup, or a CPU cgroup of its own
            return f"nice {nice}"
        return f"nice {nice}, session group nice {group}"

    @property
    def worker_text(self) -> str:
        return f"a Celery worker (-P prefork -c {WORKERS}, prefetch 1, acks_late, {self.priority})"

    def _task_lines(self, task: str) -> Iterator[str]:
        marker = f"Task {task}["
        for line in self.worker.service.log_text().splitlines():
            if marker in line and " succeeded in " in line:
                yield line

    def task_runtimes(self, task: str) -> list[float]:
        """Seconds each run of ``task`` took, from the worker's INFO log lines
        (``[...: INFO/ForkPoolWorker-1] Task <name>[<id>] succeeded in 0.0123s: ...``)."""
        found = []
        for line in self._task_lines(task):
            with contextlib.suppress(ValueError):
                found.append(float(line.split(" succeeded in ", 1)[1].split("s", 1)[0]))
        return found

    def pool_children(self, task: str) -> set[str]:
        """The pool processes (``ForkPoolWorker-N``) that have run ``task`` at least once: a
        warm-up goes on until each child has paid its first-run costs."""
        found = set()
        for line in self._task_lines(task):
            head = line.split("]", 1)[0]
            if "/" in head:
                found.add(head.rsplit("/", 1)[1])
        return found


def stack_env(env: dict, broker_url: str, *, drop: tuple[str, ...] = (), **extra: str) -> dict:
    """The bench environment with the private broker (``bench/settings.py`` then publishes
    tasks instead of running them eagerly), without any other Celery settings or variables
    starting with ``drop``, plus ``extra``."""
    clean = {k: v for k, v in env.items()
             if not k.startswith(("CELERY_", *drop)) and k not in {"REDIS_URL", "CACHE_URL"}}
    return dict(clean, BENCH_BROKER_URL=broker_url, CELERY_BROKER_URL=broker_url, PYTHONUNBUFFERED="1", **extra)


@contextlib.contextmanager
def _failure_ends_the_run() -> Iterator[None]:
    try:
        yield
    except processes.ProcessFailure as failure:
        raise SystemExit(str(failure)) from None


@contextlib.contextmanager
def stack(env: dict, started: float, *, web: bool = False, drop: tuple[str, ...] = (), **extra: str) -> Iterator[Stack]:
    """Yield the running stack (``web``: with gunicorn); every process is stopped when the
    block ends, however it ends."""
    with tempfile.TemporaryDirectory(prefix="lms-bench-stack-") as tmp, _failure_ends_the_run():
        redis_server = processes.start_redis(Path(tmp))
        try:
            full = stack_env(env, redis_server.url, drop=drop, **extra)
            worker = processes.start_worker(full, Path(tmp), pool="prefork", concurrency=WORKERS, prefix="bench",
                                            loglevel="INFO", prefetch_multiplier=1)
            try:
                with server.gunicorn(full) if web else contextlib.nullcontext() as port:
                    running = Stack(redis_server.url, redis_server.client, worker, full, port)
                    steps.log(f"  broker {running.broker_url}; a Celery worker (prefork, {WORKERS} processes, "
                              f"prefetch 1, {running.priority})"
                              + (f"; gunicorn on 127.0.0.1:{port} ({server.WORKERS} {server.WORKER_CLASS} workers)"
                                 if web else ""), started)
                    yield running
            finally:
                worker.stop(timeout=20)
        finally:
            redis_server.client.close()
            redis_server.stop()
