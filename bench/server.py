"""Gunicorn on a free loopback port, started and always stopped by a context manager
(through the process starter the integration tests use: ``tests/integration/processes.py``)."""
import contextlib
import http.client
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.integration import processes

WORKERS = 2
WORKER_CLASS = "sync"  # as the Procfile runs it: one request at a time per worker
START_SECONDS = 30


def _answers(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/bench/hello/")
            return conn.getresponse().status == 200
        finally:
            conn.close()
    except OSError:
        return False


@contextlib.contextmanager
def gunicorn(env: dict) -> Iterator[int]:
    """Yield the port of a running gunicorn serving ``lms.wsgi`` with ``env``."""
    port = processes.free_port()
    with tempfile.TemporaryDirectory(prefix="lms-bench-") as tmp:
        service = processes.Service(
            "gunicorn",
            [
                sys.executable, "-m", "gunicorn", "lms.wsgi:application",
                "--bind", f"127.0.0.1:{port}",
                "--workers", str(WORKERS), "--worker-class", WORKER_CLASS,
                "--log-level", "warning", "--error-logfile", "-",
            ],
            env=env, log_path=Path(tmp) / "gunicorn.log",
        )
        try:
            processes.wait_until(lambda: _answers(port), what=f"gunicorn on port {port}", timeout=START_SECONDS,
                                 services=[service], interval=0.2)
            yield port
        except processes.ProcessFailure as failure:
            raise SystemExit(str(failure)) from None
        except BaseException:
            print(f"--- gunicorn log (last lines) ---\n{service.log_tail(40)}", file=sys.stderr)
            raise
        finally:
            service.stop()  # SIGTERM: the arbiter stops its workers gracefully; SIGKILL after 15 s
