"""Searching every place the server keeps anything for a participant's name: the whole
PostgreSQL database (pg_dump of the test database), every key and value in the test's
Redis database, the captured logs and console output, the email outbox and every file
under MEDIA_ROOT (PDFs read as text too). ``found_in`` returns where a term was found."""
import subprocess
import uuid
from pathlib import Path

import redis
from django.conf import settings
from django.core import mail
from django.db import connection
from pypdf import PdfReader


def database_dump() -> str:
    db = connection.settings_dict
    command = ["pg_dump", "--no-owner", "--data-only", "-h", db["HOST"] or "127.0.0.1", "-U", db["USER"], db["NAME"]]
    if db.get("PORT"):
        command[1:1] = ["-p", str(db["PORT"])]
    env = {"PGPASSWORD": db.get("PASSWORD") or "", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(command, capture_output=True, env=env, check=True, timeout=120)
    return done.stdout.decode("utf-8", "replace")


def redis_contents(url: str) -> str:
    client = redis.Redis.from_url(url)
    parts = []
    for key in client.scan_iter(count=1000):
        kind = client.type(key).decode()
        parts.append(repr(key))
        if kind == "string":
            parts.append(repr(client.get(key)))
        elif kind == "hash":
            parts.append(repr(client.hgetall(key)))
        elif kind == "list":
            parts.append(repr(client.lrange(key, 0, -1)))
        elif kind == "set":
            parts.append(repr(client.smembers(key)))
        elif kind == "zset":
            parts.append(repr(client.zrange(key, 0, -1)))
        elif kind == "stream":
            parts.append(repr(client.xrange(key)))
    # The bytes' repr escapes non-ASCII letters: decode them back for the search.
    return "\n".join(parts).encode("latin-1", "backslashreplace").decode("unicode_escape", "replace")


def outbox_text() -> str:
    parts = []
    for message in mail.outbox:
        parts += [message.subject, message.body, " ".join(message.to), repr(message.extra_headers)]
        parts += [content for content, _ in getattr(message, "alternatives", [])]
        parts += [repr(attachment) for attachment in message.attachments]
    return "\n".join(str(p) for p in parts)


def media_text() -> str:
    parts = []
    root = Path(settings.MEDIA_ROOT)
    for path in root.rglob("*") if root.exists() else []:
        if path.is_file():
            parts.append(str(path))
            raw = path.read_bytes()
            parts.append(raw.decode("utf-8", "replace"))
            if raw.startswith(b"%PDF"):
                parts.append("\n".join(page.extract_text() or "" for page in PdfReader(path).pages))
    return "\n".join(parts)


def found_in(terms: list[str], *, logs: str, redis_url: str) -> list[str]:
    places = {
        "database": database_dump(), "redis": redis_contents(redis_url), "logs": logs,
        "outbox": outbox_text(), "media": media_text(),
    }
    return sorted(
        f"{place}: {term!r}" for place, text in places.items() for term in terms if term.casefold() in text.casefold()
    )


def unique_prefix() -> str:
    return f"privacy-{uuid.uuid4().hex[:12]}"
