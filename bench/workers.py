"""Processes for the benchmarks' task steps: a private ``redis-server`` (the broker) and a
Celery worker.

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

from lms.worker_priority import session_group_nice

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
def celery_workers(env: dict, concurrency: int, tmp: Path):
    """Yield a one-item list: a running ``celery -A lms worker -P prefork -c <concurrency>``
    answering a ping, laid out as the Procfile runs it in production (one worker, a pool of
    child processes), with prefetch multiplier 1 from the settings and late acks.

    Why one prefork worker, not one ``-P solo`` process per slot: the kernel's autogroup
    scheduler shares the CPU between sessions, so two worker sessions took twice the web
    server's share and the measured request latency was the benchmark's layout, not the
    product's. It logs at INFO: one "succeeded in N s" line per task, which
    ``task_runtimes`` reads, tagged with the pool child that ran it (``pool_children``).
    """
    from celery import Celery

    control = Celery("bench-control", broker=env["CELERY_BROKER_URL"], set_as_current=False)
    node = f"bench-{uuid.uuid4().hex[:6]}@rush"
    argv = [_celery(), "-A", "lms", "worker", "-P", "prefork", "-c", str(concurrency), "-n", node,
            "-Q", QUEUE, "--prefetch-multiplier", "1", "--loglevel", "INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat"]
    process = Process(f"celery worker {node}", argv, env=env, log=tmp / "worker.log")
    try:
        _wait(lambda: any(node in r for r in control.control.ping(destination=[node], timeout=0.5) or []),
              what=f"{node} to answer a ping", timeout=60, processes=[process])
        yield [process]
    finally:
        process.stop(timeout=20)
        control.close()


def priority(processes) -> str:
    """The worker's CPU priority as the kernel has it (``lms/worker_priority.py`` lowers
    it at start): "nice 10, session group nice 10", for the report."""
    process = processes[0]
    nice = os.getpriority(os.PRIO_PROCESS, process.proc.pid)
    group = session_group_nice(process.proc.pid)
    if group is None:  # no autogroup, or a CPU cgroup of its own
        return f"nice {nice}"
    return f"nice {nice}, session group nice {group}"


def _task_lines(processes, task: str):
    marker = f"Task {task}["
    for process in processes:
        for line in process.tail(chars=10**8).splitlines():
            if marker in line and " succeeded in " in line:
                yield line


def task_runtimes(processes, task: str) -> list[float]:
    """Seconds each run of ``task`` took, from the workers' INFO log lines
    (``[...: INFO/ForkPoolWorker-1] Task <name>[<id>] succeeded in 0.0123s: ...``)."""
    found = []
    for line in _task_lines(processes, task):
        with contextlib.suppress(ValueError):
            found.append(float(line.split(" succeeded in ", 1)[1].split("s", 1)[0]))
    return found


def pool_children(processes, task: str) -> set[str]:
    """The pool processes (``ForkPoolWorker-N``) that have run ``task`` at least once: a
    warm-up goes on until each child has paid its first-run costs."""
    found = set()
    for line in _task_lines(processes, task):
        head = line.split("]", 1)[0]
        if "/" in head:
            found.add(head.rsplit("/", 1)[1])
    return found


@contextlib.contextmanager
def scratch():
    with tempfile.TemporaryDirectory(prefix="lms-bench-rush-") as tmp:
        yield Path(tmp)
