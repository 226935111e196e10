"""What the bench steps (exam rush, certification, webhook, manager's dashboard) share: a
timestamped log line, a percentile, and running one step alone on its own fresh database."""
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable


def log(message: str, started: float) -> None:
    print(f"[{time.monotonic() - started:6.1f}s] {message}", flush=True)


def percentile(values: list, p: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def standalone(
    *,
    database_name: str,
    measure: Callable[[dict, float], dict],
    describe: Callable[[dict], str],
    errors: Callable[[dict], int],
    write: bool = True,
) -> int:
    """Run one step alone: recreate its own database (never ``lms_bench``, which a full
    ``make bench`` may be using), measure, print, and update only the step's keys in
    ``bench/latest.json`` (unless ``write`` is false). ``measure`` returns those keys."""
    os.environ.setdefault("BENCH_DATABASE", database_name)
    from . import database, report

    if database.NAME == "lms_bench":
        raise SystemExit("a bench step run alone never uses lms_bench: set BENCH_DATABASE to another name")
    started = time.monotonic()
    media = tempfile.mkdtemp(prefix="lms-bench-media-")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.settings", DATABASE_URL=database.database_url(),
               BENCH_RUN_ID=f"{os.getpid()}-{int(time.time())}", MEDIA_ROOT=media)
    os.environ.update(env)  # this process uses the same settings, database and media
    try:
        log(f"recreating database {database.NAME}", started)
        migrated = database.recreate(env)
        log("  migrated" if migrated else f"  copied from {database.TEMPLATE}", started)
        import django

        django.setup()
        document = measure(env, started)
    finally:
        shutil.rmtree(media, ignore_errors=True)
    print()
    print(describe(document))
    if write:
        for key, value in document.items():
            path = report.merge(key, value)
        log(f"updated {', '.join(document)} in {path.relative_to(database.ROOT)}", started)
    return 1 if errors(document) else 0


def standalone_step(
    key: str,
    run: Callable[[dict, float], dict],
    describe: Callable[[dict], str],
    argv: list[str],
    *,
    errors: Callable[[dict], int] = lambda figures: figures["errors"],
) -> int:
    """``python -m bench.<step>``: one step whose figures are the ``key`` of latest.json,
    on its own database ``lms_bench_<key>``; ``--no-write`` only prints."""
    return standalone(
        database_name=f"lms_bench_{key}",
        measure=lambda env, started: {key: run(env, started)},
        describe=lambda document: describe(document[key]),
        errors=lambda document: errors(document[key]),
        write="--no-write" not in argv,
    )
