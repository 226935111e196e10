"""Real components for the integration tests: a private Redis server, real Celery worker
processes, and the test process publishing through that same broker.

- ``redis_server`` (session): ``redis-server`` on a free loopback port, keeping nothing on
  disk, so these tests never touch anyone else's Redis data.
- ``celery_worker`` (session): ``celery -A lms worker -P solo`` in its own process, using
  the pytest-django *test* database (``DATABASE_URL``), the private Redis as broker, and a
  file-based email backend whose files ``mailbox`` reads back (the locmem outbox of another
  process is invisible here).
- ``celery_broker`` (function): points this process's Celery app at the private Redis and
  turns eager execution off, restoring both afterwards (Celery reads Django settings once,
  at import, so ``app.conf`` is changed directly).
- ``shared_cache`` (function): this process uses the workers' Redis cache, as web and worker
  processes share one in production (outlines are cached and invalidated through it).
- ``live_worker`` (function): all of the above for a transactional test, plus ``wait_until``
  (bounded polling) and ``drain`` (a barrier that proves the worker has finished
  everything enqueued so far). It drains again at teardown so that no task of one test
  runs during the next test or during pytest-django's flush.

Every process started here runs in its own session and is stopped at teardown, at the
latest at interpreter exit: SIGTERM first (warm shutdown), SIGKILL if it does not stop.
If this process is killed outright, the kernel kills them (PR_SET_PDEATHSIG).
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from .processes import (
    WAIT_SECONDS,
    Mailbox,
    RedisServer,
    Worker,
    start_redis,
    start_worker,
    wait_until,
)


@pytest.fixture(scope="session")
def integration_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("integration")


@pytest.fixture(scope="session")
def redis_server(integration_dir):
    server = start_redis(integration_dir)
    try:
        yield server
    finally:
        server.client.close()
        server.stop()


# --------------------------------------------------------------------------- Celery workers


def _database_url() -> str:
    """The pytest-django test database (valid once ``django_db_setup`` has run)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    assert "postgresql" in db["ENGINE"], "the integration tests need PostgreSQL"
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{db.get('HOST') or ''}{port}/{quote(db['NAME'], safe='')}"


@pytest.fixture(scope="session")
def mail_dir(integration_dir) -> Path:
    path = integration_dir / "mail"
    path.mkdir()
    return path


def _media_dir(integration_dir: Path) -> Path:
    """The workers' MEDIA_ROOT (certificate PDFs)."""
    path = integration_dir / "media"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def worker_media(settings, integration_dir) -> Path:
    """This process reads and writes media where the workers do."""
    settings.MEDIA_ROOT = _media_dir(integration_dir)
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def worker_env(django_db_setup, integration_dir, redis_server, mail_dir) -> dict[str, str]:
    # Drop anything that would point a worker at other services (Celery itself reads
    # CELERY_BROKER_URL from the environment before any setting).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CELERY_") and k not in {"DATABASE_URL", "REDIS_URL", "CACHE_URL", "EMAIL_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.test",
        CELERY_TASK_ALWAYS_EAGER="false",
        DATABASE_URL=_database_url(),
        CONN_MAX_AGE="0",
        TEST_REDIS_URL=redis_server.url,
        CELERY_BROKER_URL=redis_server.url,
        TEST_CACHE_URL=redis_server.cache_url,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
        MEDIA_ROOT=str(_media_dir(integration_dir)),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture(scope="session")
def celery_worker(worker_env, integration_dir):
    """The shared worker: solo pool, so it runs one task at a time in queue order."""
    worker = start_worker(worker_env, integration_dir)
    try:
        yield worker
    finally:
        worker.stop()


@pytest.fixture
def worker_factory(worker_env, integration_dir):
    """Start extra workers for one test (stopped at its end)."""
    started: list[Worker] = []

    def start(**kwargs) -> Worker:
        worker = start_worker(worker_env, integration_dir, **kwargs)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


# --------------------------------------------------------------------------- this process


def _reset_broker_connections(app) -> None:
    """Forget the app's pooled broker connections so the next publish uses the current
    broker_url. (The pools themselves live on in kombu's registry, keyed by URL, and are
    reused when the URL comes back: they must not be closed here.)"""
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


class BrokerConfig:
    def __init__(self, app, settings, url: str):
        self.app = app
        self._settings = settings
        self.use(url)

    def use(self, url: str) -> None:
        _reset_broker_connections(self.app)
        self.url = url
        self.app.conf.broker_url = url
        self._settings.CELERY_BROKER_URL = url


@pytest.fixture
def celery_broker(settings, redis_server, monkeypatch):
    """This process publishes to the private Redis instead of running tasks eagerly."""
    from lms.celery import app

    for var in ("CELERY_BROKER_URL", "CELERY_BROKER_READ_URL", "CELERY_BROKER_WRITE_URL"):
        monkeypatch.delenv(var, raising=False)
    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    config = BrokerConfig(app, settings, redis_server.url)
    try:
        yield config
    finally:
        _reset_broker_connections(app)
        app.conf.update(saved)


# --------------------------------------------------------------------------- mail


@pytest.fixture(scope="session")
def mailbox(mail_dir) -> Mailbox:
    return Mailbox(mail_dir)


# --------------------------------------------------------------------------- the harness


class LiveWorker:
    def __init__(self, worker: Worker, mailbox: Mailbox, redis: RedisServer, broker: BrokerConfig):
        self.worker = worker
        self.mailbox = mailbox
        self.redis = redis
        self.broker = broker
        self.services = [worker.service, redis.service]

    def wait_until(self, predicate, *, what: str, timeout: float = WAIT_SECONDS, services=(), diagnostics=None):
        return wait_until(
            predicate, what=what, timeout=timeout, services=[*self.services, *services],
            diagnostics=diagnostics or self.diagnostics,
        )

    def diagnostics(self) -> str:
        from django.db import connection

        client = self.redis.client
        queues = {k.decode(): client.llen(k) for k in client.keys("*") if client.type(k) == b"list"}
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT pid, state, wait_event_type, wait_event, pg_blocking_pids(pid), left(query, 80)"
                " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            sessions = cursor.fetchall()
        return (
            f"queue lengths: {queues}\nunacked: {client.hlen('unacked')}\n"
            f"other database sessions: {sessions}"
        )

    def drain(self, rounds: int = 5) -> None:
        """Return once the shared worker has run everything enqueued so far, and what
        those tasks enqueued, ``rounds`` generations deep.

        A barrier task (a marker email) goes to the back of the queue; the solo worker
        runs tasks one at a time in queue order, so when the marker arrives every task
        queued before it has finished, and their follow-up tasks (queued before they
        were acknowledged) sit ahead of the next round's marker.
        """
        from accounts.tasks import send_email_task

        for n in range(1, rounds + 1):
            marker = f"barrier-{uuid.uuid4().hex}@example.invalid"
            send_email_task.delay("barrier", "barrier", [marker])
            wait_until(
                lambda: self.mailbox.to(marker), what=f"barrier {n} of {rounds}", services=self.services,
                interval=0.02, diagnostics=self.diagnostics,
            )


@pytest.fixture
def shared_cache(settings, redis_server):
    """This process uses the workers' cache (Redis), emptied for each test, as web and
    worker processes share one in production."""
    import redis

    settings.CACHES = {
        "default": {"BACKEND": "kernel.cache.DegradingRedisCache", "LOCATION": redis_server.cache_url}
    }
    with redis.Redis.from_url(redis_server.cache_url) as client:
        client.flushdb()
    yield
    # (pytest-django restores CACHES; Django then drops the Redis cache connections.)


@pytest.fixture
def live_worker(transactional_db, celery_broker, shared_cache, celery_worker, mailbox, redis_server):
    harness = LiveWorker(celery_worker, mailbox, redis_server, celery_broker)
    yield harness
    # Nothing this test enqueued may run during the flush or the next test.
    if celery_worker.alive and redis_server.service.alive:
        harness.drain()
