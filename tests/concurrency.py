"""Running the same work in several threads released at the same moment (each thread
has its own database connection), for race tests against PostgreSQL."""
import threading

from django.db import connection


def run_together(n: int, work) -> tuple[list, list]:
    """Run ``work(i)`` in ``n`` threads released at once; return (results, errors)."""
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait()
            results.append(work(i))
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors
