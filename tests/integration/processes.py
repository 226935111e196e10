"""The one process starter for the integration tests and the benchmarks: a supervised
subprocess (``Service``), a free loopback port, bounded polling (``wait_until``), a private
Redis server, Celery workers started and pinged by node name, and the mailbox that the
workers' file-based email backend writes to. The integration fixtures that wire these
together are in ``conftest.py``; ``bench/workers.py`` and ``bench/server.py`` start the
benchmarks' broker, worker and gunicorn with them.

No pytest here, so the benchmarks can run it: whatever does not start, dies or is not
seen in time raises ``ProcessFailure``, its message carrying the processes' logs (a test
fails with it; the benchmarks stop with it)."""
from __future__ import annotations

import atexit
import email
import email.policy
import email.utils
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from functools import cached_property
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 20.0
POLL_SECONDS = 0.1
WORKER_START_SECONDS = 60.0
DEFAULT_QUEUE = "celery"
# What Django's file-based email backend writes after each message.
MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"

_RUNNING: set[Service] = set()


class ProcessFailure(Exception):
    """A process did not start, died, or what was waited for was not seen in time."""


# --------------------------------------------------------------------------- processes


def _die_with_parent() -> None:
    """In the child: get SIGKILL when this test process dies, however it dies (Linux)."""
    try:
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:  # not Linux/glibc: the atexit and fixture clean-ups still apply
        pass


class Service:
    """A subprocess in its own session, with its output in a log file.

    Its own session keeps a terminal's Ctrl-C from reaching it before the fixtures stop
    it in order; ``_die_with_parent`` covers a test process killed without clean-up.
    """

    def __init__(self, name: str, argv: list[str], *, env: dict[str, str], log_path: Path):
        self.name = name
        self.log_path = log_path
        self._log = open(log_path, "ab")
        self.proc = subprocess.Popen(
            argv,
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        _RUNNING.add(self)

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def group_members(self) -> list[int]:
        """Live processes in this service's process group (e.g. prefork children)."""
        members = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # Fields after the parenthesised command: state ppid pgrp ...
            state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
            if int(pgrp) == self.proc.pid and state != "Z":
                members.append(int(entry.name))
        return members

    def kill_group(self) -> None:
        """SIGKILL the process and everything in its group, as if its machine died."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM (warm shutdown), SIGKILL if it has not exited within ``timeout``."""
        try:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=10)
            # Anything it left behind in its own process group (a killed parent's children).
            for pid in self.group_members():
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        finally:
            self._log.close()
            _RUNNING.discard(self)


@atexit.register
def _stop_leftovers():  # a safety net if pytest is interrupted before teardown
    for service in list(_RUNNING):
        service.stop(timeout=5)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(
    predicate, *, what: str, timeout: float = WAIT_SECONDS, services=(), interval=POLL_SECONDS, diagnostics=None
):
    """Poll ``predicate`` until it returns something truthy (returned), at most ``timeout``.

    Fails early, with their logs, if one of ``services`` dies meanwhile; ``diagnostics``
    (a callable returning text) adds to the failure message.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        dead = [s for s in services if not s.alive]
        if dead or time.monotonic() >= deadline:
            reason = f"{dead[0].name} exited" if dead else f"timed out after {timeout:.0f} s"
            logs = "\n".join(f"--- {s.name} log (tail) ---\n{s.log_tail()}" for s in services)
            extra = ""
            if diagnostics is not None:
                try:
                    extra = f"--- diagnostics ---\n{diagnostics()}\n"
                except Exception as error:  # the failure message matters more
                    extra = f"--- diagnostics failed: {error!r}\n"
            raise ProcessFailure(f"Waiting for {what}: {reason}.\n{extra}{logs}")
        time.sleep(interval)


# --------------------------------------------------------------------------- Redis


class RedisServer:
    def __init__(self, service: Service, port: int):
        import redis

        self.service = service
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"  # the broker
        self.cache_url = f"redis://127.0.0.1:{port}/1"  # Django's cache, shared with the workers
        self.client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=5)

    def ping(self) -> bool:
        import redis

        try:
            return bool(self.client.ping())
        except redis.exceptions.ConnectionError:
            return False

    def stop(self) -> None:
        """Stop the server (SIGTERM): it keeps nothing on disk, so its data goes with it."""
        self.service.stop(timeout=10)

    def start_again(self) -> None:
        """A new, empty server on the same port (a restart that lost every message)."""
        service = _launch_redis(self.port, self.service.log_path.parent)
        if service is None:
            raise ProcessFailure(f"redis-server did not start again on port {self.port}")
        self.service = service


def _launch_redis(port: int, log_dir: Path) -> Service | None:
    """``redis-server`` on ``port`` (loopback, nothing kept on disk) once it answers, or
    None if it did not start (the port was taken)."""
    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        raise ProcessFailure("redis-server is needed (apt-get install redis-server).")
    data_dir = log_dir / "redis"
    data_dir.mkdir(exist_ok=True)
    service = Service(
        "redis-server",
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--daemonize", "no", "--dir", str(data_dir)],
        env=dict(os.environ),
        log_path=log_dir / f"redis-{port}.log",
    )
    probe = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1)
    try:
        deadline = time.monotonic() + 10
        while service.alive and time.monotonic() < deadline:
            try:
                if probe.ping():
                    return service
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
    finally:
        probe.close()
    service.stop(timeout=5)
    return None


def start_redis(log_dir: Path) -> RedisServer:
    """A private Redis server on a free loopback port."""
    for _ in range(5):  # the free port may be taken between choosing and binding it
        port = free_port()
        service = _launch_redis(port, log_dir)
        if service is not None:
            return RedisServer(service, port)
    raise ProcessFailure(f"redis-server did not start (see the redis-*.log files in {log_dir})")


def _celery_binary() -> str:
    candidate = Path(sys.executable).with_name("celery")
    return str(candidate) if candidate.exists() else (shutil.which("celery") or "celery")


class Worker:
    """A running ``celery worker`` process and its node name (for ping and inspect)."""

    def __init__(self, service: Service, nodename: str, broker_url: str):
        self.service = service
        self.nodename = nodename
        self.broker_url = broker_url

    @property
    def alive(self) -> bool:
        return self.service.alive

    @property
    def name(self) -> str:
        return self.service.name

    def log_tail(self, lines: int = 60) -> str:
        return self.service.log_tail(lines)

    @cached_property
    def _control_app(self):
        # Its own app: the project's app publishes control messages through its producer
        # pool, bound to whatever broker_url it had when first used.
        from celery import Celery

        return Celery("integration-control", broker=self.broker_url, set_as_current=False)

    def ping(self) -> bool:
        replies = self._control_app.control.ping(destination=[self.nodename], timeout=0.5)
        return any(self.nodename in reply for reply in replies or [])

    def active(self) -> list[dict]:
        """Tasks this worker is executing right now (with their pool process's pid)."""
        replies = self._control_app.control.inspect(destination=[self.nodename], timeout=1.0).active()
        return (replies or {}).get(self.nodename, [])

    def stop(self, timeout: float = 15.0) -> None:
        self.service.stop(timeout=timeout)
        if "_control_app" in self.__dict__:
            self._control_app.close()


def start_worker(
    env: dict[str, str], log_dir: Path, *, pool: str = "solo", concurrency: int = 1,
    queues: str = DEFAULT_QUEUE, prefix: str = "itest", extra_env: dict[str, str] | None = None,
    loglevel: str = "WARNING", prefetch_multiplier: int | None = None,
) -> Worker:
    """Start ``celery -A lms worker`` and return once it answers a ping.

    The benchmarks log at INFO (one "succeeded in N s" line per task, which they read) and
    pass the prefetch multiplier the Procfile's worker gets from the settings."""
    env = {**env, **(extra_env or {})}
    tag = uuid.uuid4().hex[:8]
    nodename = f"{prefix}-{tag}@integration"
    argv = [
        _celery_binary(), "-A", "lms", "worker", "-P", pool, "--loglevel", loglevel,
        "-n", nodename, "-Q", queues, "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]
    if pool != "solo":
        argv += ["--concurrency", str(concurrency)]
    if prefetch_multiplier is not None:
        argv += ["--prefetch-multiplier", str(prefetch_multiplier)]
    service = Service(f"celery worker {nodename}", argv, env=env, log_path=log_dir / f"worker-{prefix}-{tag}.log")
    worker = Worker(service, nodename, env["CELERY_BROKER_URL"])
    try:
        wait_until(worker.ping, what=f"{nodename} to answer a ping", timeout=WORKER_START_SECONDS, services=[service])
    except BaseException:
        worker.stop()
        raise
    return worker


# --------------------------------------------------------------------------- mail


class Mailbox:
    """Messages the workers wrote with Django's file-based email backend."""

    def __init__(self, path: Path):
        self.path = path

    def messages(self) -> list[email.message.EmailMessage]:
        found = []
        for file in sorted(self.path.glob("*")):
            # Only chunks followed by a separator: a message still being written is skipped.
            for chunk in file.read_bytes().split(MAIL_SEPARATOR)[:-1]:
                found.append(email.message_from_bytes(chunk.lstrip(b"\n"), policy=email.policy.default))
        return found

    def to(self, address: str) -> list[email.message.EmailMessage]:
        address = address.lower()
        return [
            m for m in self.messages()
            if address in {a.lower() for _, a in email.utils.getaddresses([str(m["To"] or "")])}
        ]
