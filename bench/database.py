"""The benchmark's own PostgreSQL database: dropped, recreated and migrated every run."""
import os
import subprocess
import sys
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("BENCH_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
NAME = os.environ.get("BENCH_DATABASE", "lms_bench")


def database_url() -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + NAME


def recreate() -> None:
    """Drop the bench database (closing any connection left on it) and create it empty."""
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        name = sql.Identifier(NAME)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def manage(*args: str, env: dict, check: bool = True) -> str:
    """Run ``manage.py`` with the bench settings; raise with its output if it fails
    (unless ``check`` is false: then return what it printed either way)."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    if check and result.returncode != 0:
        raise SystemExit(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout or ''}{result.stderr or ''}"
        )
    return (result.stdout or "") + ("" if check else result.stderr or "")


def migrate(env: dict) -> None:
    manage("migrate", "--noinput", env=env)
