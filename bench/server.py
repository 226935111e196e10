"""Gunicorn on a free loopback port, started and always stopped by a context manager."""
import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
WORKER_CLASS = "sync"  # as the Procfile runs it: one request at a time per worker


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(port: int, proc: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/hello/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within {timeout}s:\n{log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)  # the arbiter stops its workers gracefully
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # its own session: only gunicorn's processes
        proc.wait()


@contextlib.contextmanager
def gunicorn(env: dict):
    """Yield the port of a running gunicorn serving ``lms.wsgi`` with ``env``."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="lms-bench-") as tmp:
        log = Path(tmp) / "gunicorn.log"
        with log.open("w") as out:
            proc = subprocess.Popen(
                [
                    sys.executable, "-m", "gunicorn", "lms.wsgi:application",
                    "--bind", f"127.0.0.1:{port}",
                    "--workers", str(WORKERS), "--worker-class", WORKER_CLASS,
                    "--log-level", "warning", "--error-logfile", "-",
                ],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )
        try:
            _wait_until_up(port, proc, log)
            yield port
        except BaseException:
            print(f"--- gunicorn log (last lines) ---\n{log.read_text()[-3000:]}", file=sys.stderr)
            raise
        finally:
            _stop(proc)
