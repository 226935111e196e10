"""SQL queries per request, counted in-process with Django's test client.

Each path is requested once to warm up (caches, first-visit writes), then once more inside
``CaptureQueriesContext``; the second request's queries are the ones reported.
"""
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def client(session: str | None = None) -> Client:
    c = Client(HTTP_HOST="127.0.0.1")
    if session:
        c.cookies[settings.SESSION_COOKIE_NAME] = session
    return c


def capture(path: str, *, session: str | None = None) -> list[str]:
    """The SQL of one warm request for ``path``; fails unless both answers are 200."""
    c = client(session)
    for warm in (True, False):
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(path)
        if response.status_code != 200:
            where = response.get("Location", "")
            raise SystemExit(f"in-process GET {path} answered {response.status_code} {where}")
    return [q["sql"] for q in ctx.captured_queries]

