"""Processes for the exam rush: a private ``redis-server`` (the broker) and Celery workers.

Like ``tests/integration/processes.py`` (which needs pytest, so is not imported here):
every process runs in its own session, so a terminal's Ctrl-C reaches only this process,
which then stops them in order (SIGTERM, then SIGKILL for the whole process group); and
each child asks the kernel to kill it if this process dies without cleaning up.
"""
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUEUE = "celery"  # Celery's default queue: the project routes no task elsewhere


def _die_with_parent() -> None:
    """In the child: SIGKILL when the bench process dies, however it dies (Linux)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class Process:
    """A subprocess in its own session, its output in ``log``."""

    def __init__(self, name: str, argv: list[str], *, env: dict, log: Path):
        self.name = name
        self.log = log
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent,
            )

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self, timeout: float = 15) -> None:
        """SIGTERM (a Celery worker finishes its task; Redis exits), SIGKILL if it lingers,
        then anything left in its process group."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(predicate, *, what: str, timeout: float, processes) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        dead = [p for p in processes if not p.alive]
        if dead or time.monotonic() > deadline:
            why = f"{dead[0].name} exited" if dead else f"not within {timeout:.0f}s"
            logs = "\n".join(f"--- {p.name} log ---\n{p.tail()}" for p in processes)
            raise SystemExit(f"waiting for {what}: {why}\n{logs}")
        time.sleep(0.1)


@contextlib.contextmanager
def redis_server(tmp: Path):
    """Yield the URL of a ``redis-server`` on a free loopback port, keeping nothing on disk."""
    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("the exam rush needs redis-server (apt-get install redis-server)")
    port = free_port()
    data = tmp / "redis"
    data.mkdir(exist_ok=True)
    server = Process(
        "redis-server",
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--daemonize", "no", "--dir", str(data)],
        env=dict(os.environ), log=tmp / "redis.log",
    )
    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=2)

    def up() -> bool:
        try:
            return bool(client.ping())
        except redis.exceptions.ConnectionError:
            return False

    try:
        _wait(up, what="redis-server", timeout=10, processes=[server])
        yield f"redis://127.0.0.1:{port}/0", client
    finally:
        client.close()
        server.stop(timeout=10)


def _celery() -> str:
    candidate = Path(sys.executable).with_name("celery")
    return str(candidate) if candidate.exists() else (shutil.which("celery") or "celery")


@contextlib.contextmanager
def celery_workers(env: dict, count: int, tmp: Path):
    """Yield ``count`` running ``celery -A lms worker -P solo`` processes (one task at a
    time each, prefetch multiplier 1 from the settings, late acks), each answering a ping.

    They log at INFO: one "succeeded in N s" line per task, which ``task_runtimes`` reads.
    """
    from celery import Celery

    control = Celery("bench-control", broker=env["CELERY_BROKER_URL"], set_as_current=False)
    workers: list[tuple[str, Process]] = []
    try:
        for n in range(count):
            node = f"bench-{n + 1}-{uuid.uuid4().hex[:6]}@rush"
            argv = [_celery(), "-A", "lms", "worker", "-P", "solo", "-n", node, "-Q", QUEUE,
                    "--prefetch-multiplier", "1", "--loglevel", "INFO",
                    "--without-gossip", "--without-mingle", "--without-heartbeat"]
            workers.append((node, Process(f"celery worker {node}", argv, env=env,
                                          log=tmp / f"worker-{n + 1}.log")))
        processes = [p for _, p in workers]
        for node, _ in workers:
            _wait(lambda node=node: any(node in r for r in control.control.ping(
                destination=[node], timeout=0.5) or []),
                what=f"{node} to answer a ping", timeout=60, processes=processes)
        yield processes
    finally:
        for _, process in workers:
            process.stop(timeout=20)
        control.close()


def task_runtimes(processes, task: str) -> list[float]:
    """Seconds each run of ``task`` took, from the workers' INFO log lines
    (``Task <name>[<id>] succeeded in 0.0123s: ...``)."""
    found = []
    marker = f"Task {task}["
    for process in processes:
        for line in process.tail(chars=10**8).splitlines():
            if marker in line and " succeeded in " in line:
                with contextlib.suppress(ValueError):
                    found.append(float(line.split(" succeeded in ", 1)[1].split("s", 1)[0]))
    return found


@contextlib.contextmanager
def scratch():
    with tempfile.TemporaryDirectory(prefix="lms-bench-rush-") as tmp:
        yield Path(tmp)
