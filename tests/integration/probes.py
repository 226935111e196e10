"""Probes the integration tests use to watch the worker processes, PostgreSQL and Redis
from outside: who waits for a lock, which sessions exist, which messages are unacknowledged,
whether a process is still alive."""
import json
import os

from django.db import connection

# Broker options for a worker that should pick up what a killed worker held within
# seconds, not after the production visibility timeout.
SHORT_VISIBILITY = json.dumps(
    {"visibility_timeout": 2, "unacked_restore_interval": 1, "unacked_restore_throttle": 1}
)


def sessions_waiting_for_locks() -> set[int]:
    """Database sessions (of the workers: this test's are not waiting) stuck behind a lock.

    A second session waiting for the same row waits behind the first waiter, not
    directly behind the holder, so this looks for any blocker, not just ours.
    """
    with connection.cursor() as cursor:
        # pg_stat_activity is read once per transaction unless the snapshot is cleared.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND cardinality(pg_blocking_pids(pid)) > 0"
        )
        return {row[0] for row in cursor.fetchall()}


def database_sessions() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        return {row[0] for row in cursor.fetchall()}


def unacked_task_ids(redis) -> set[str]:
    """Ids of the tasks whose messages Redis holds as delivered but not acknowledged."""
    return {json.loads(raw)[0]["headers"]["id"] for raw in redis.hvals("unacked")}


def pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for its parent to reap it counts as gone
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
