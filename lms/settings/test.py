"""Tests: PostgreSQL and Redis on loopback by default (``.ci/run`` starts them).

Unit tests run Celery tasks eagerly; the integration tests start a real worker that
uses the broker named here.
"""
from .base import *  # noqa: F401,F403
from .base import env

SECRET_KEY = "test-only-key"
DATABASES = {  # noqa: F405
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/lms"),
}
REDIS_URL = env("TEST_REDIS_URL", default="redis://127.0.0.1:6379/14")
CELERY_BROKER_URL = REDIS_URL
# Unit tests run tasks in-process; tests/integration flips this for the real worker.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# The integration tests give one worker a short visibility_timeout (JSON, merged in) to
# pick up what a killed worker held, without waiting for the production hour.
CELERY_BROKER_TRANSPORT_OPTIONS = {  # noqa: F405
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    **env.json("CELERY_BROKER_TRANSPORT_OPTIONS", default={}),
}
# The integration tests give their worker and this process one Redis cache, as in
# production: with a cache per process, the worker would not see invalidations.
TEST_CACHE_URL = env("TEST_CACHE_URL", default="")
if TEST_CACHE_URL:
    CACHES = {"default": {"BACKEND": "kernel.cache.DegradingRedisCache", "LOCATION": TEST_CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The integration tests' worker process writes mail to files they can read back.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default="")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# The integration tests give a worker they kill mid-task a storage (and, through
# EMAIL_BACKEND, a mail backend) that waits there: tests/integration/blocking.py.
STORAGES["default"] = {  # noqa: F405
    "BACKEND": env("TEST_DEFAULT_STORAGE", default="django.core.files.storage.FileSystemStorage")
}
WAGTAILADMIN_BASE_URL = "http://testserver"
