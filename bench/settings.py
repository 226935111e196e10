"""Benchmark settings: production-like serving (DEBUG off) against PostgreSQL.

Built on ``lms.settings.base`` rather than ``production`` so that no real secret key or
HTTPS redirect is needed on loopback. ``run.py`` sets ``DATABASE_URL`` and
``BENCH_RUN_ID`` for itself and for gunicorn, so both see the same database and cache.
"""
from lms.settings.base import *  # noqa: F401,F403
from lms.settings.base import env

DEBUG = False
SECRET_KEY = "bench-only-not-secret-" + "k" * 40
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/lms_bench"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections, as production would run: no connect cost on any endpoint.
DATABASES["default"]["CONN_MAX_AGE"] = 60

# Production uses Redis for the cache when there is one (Wagtail keeps its site root
# paths there). A per-run key prefix means a recreated database never meets stale keys.
CACHES = {
    "default": {
        "BACKEND": "kernel.cache.DegradingRedisCache",  # as production (lms/settings/base.py)
        "LOCATION": env("BENCH_REDIS_URL", default="redis://127.0.0.1:6379/13"),
        "KEY_PREFIX": "lms-bench-" + env("BENCH_RUN_ID", default="manual"),
        "TIMEOUT": 900,
    }
}

# Plain static storage: no manifest, so no collectstatic step. The pages only link to
# static files; the benchmark does not fetch them.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# Tasks in-process (none run on the measured GET requests); mail kept in memory. The
# exam rush (bench/exam_rush.py) sets BENCH_BROKER_URL to its private Redis for its
# gunicorn and Celery workers: then tasks go through that broker to real workers.
CELERY_BROKER_URL = env("BENCH_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    CELERY_BROKER_URL = "memory://"  # never used while eager
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

LOGGING["root"]["level"] = "WARNING"  # noqa: F405
