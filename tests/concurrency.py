"""Running the same work in several threads released at the same moment (each thread
has its own database connection), for race tests against PostgreSQL."""
import threading

from django.db import connection

STUCK_SECONDS = 60  # a thread still running after this fails the test instead of hanging it


def outcomes(n: int, work) -> list[tuple[str, object]]:
    """Run ``work(i)`` in ``n`` threads released at once: for each ``i``, ("ok", its
    result) or ("error", the exception it raised)."""
    barrier = threading.Barrier(n)
    found: list = [None] * n

    def run(i):
        try:
            barrier.wait()
            found[i] = ("ok", work(i))
        except Exception as error:  # noqa: BLE001 - reported by the test
            found[i] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=STUCK_SECONDS)
    assert not any(t.is_alive() for t in threads), "a thread is stuck"
    return found


def run_together(n: int, work) -> tuple[list, list]:
    """Run ``work(i)`` in ``n`` threads released at once; return (results, errors)."""
    found = outcomes(n, work)
    return [v for kind, v in found if kind == "ok"], [v for kind, v in found if kind == "error"]
