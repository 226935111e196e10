"""The benchmark's own PostgreSQL database: dropped and recreated on every run.

Migrating from nothing takes most of a minute, so the migrated schema is kept in a
template database (``lms_bench_template``) labelled with a fingerprint of the migration
files and requirements. A run copies it (``CREATE DATABASE … TEMPLATE``, about a second)
and runs ``manage.py migrate`` into the template only when the fingerprint has changed
(or with BENCH_FRESH_DB=1).
"""
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("BENCH_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
NAME = os.environ.get("BENCH_DATABASE", "lms_bench")
TEMPLATE = NAME + "_template"


def database_url(name: str = NAME) -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")) + [ROOT / "requirements.txt"]:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


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


def _template_label(conn) -> str | None:
    row = conn.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        [TEMPLATE],
    ).fetchone()
    return row[0] if row else None


def recreate(env: dict) -> bool:
    """Drop and recreate the bench database, migrated. Returns True if it migrated now."""
    wanted = fingerprint()
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        template = sql.Identifier(TEMPLATE)
        migrated = os.environ.get("BENCH_FRESH_DB") == "1" or _template_label(conn) != wanted
        if migrated:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(template))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(template))
            manage("migrate", "--noinput", env=dict(env, DATABASE_URL=database_url(TEMPLATE)))
            conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(template, sql.Literal(wanted)))
        name = sql.Identifier(NAME)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(name, template))
    return migrated
