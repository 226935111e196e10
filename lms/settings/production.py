"""Production: everything from the environment; refuses to start without a strong secret
key (lms/secret_keys.py) or a credential signing key."""
import os

from django.core.exceptions import ImproperlyConfigured

from lms.secret_keys import secret_key_problem

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = False
# Django's file-serving view is for development and the demo only.
DEMO_SERVE_MEDIA = False
# Read as written: django-environ would take a value starting with "$" for the name of
# another variable, and Django's own get_random_secret_key() may start with one.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set (at least 50 random characters) in production. "
        "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )
# Django's check --deploy only warns about a weak key; sessions, password reset links and
# signed invitation links all rest on it, so production does not start with one.
_secret_key_problem = secret_key_problem(SECRET_KEY)
if _secret_key_problem:
    raise ImproperlyConfigured(
        f"SECRET_KEY is not safe for production: {_secret_key_problem}. Set one of at least 50 random "
        "characters, generated with: python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )

# The key that signs certificates' digital credentials: never derived from SECRET_KEY here.
CREDENTIAL_SIGNING_KEY = env("CREDENTIAL_SIGNING_KEY", default="")
if not CREDENTIAL_SIGNING_KEY:
    raise ImproperlyConfigured(
        "CREDENTIAL_SIGNING_KEY must be set in production (an Ed25519 key; keep it stable). Generate one with: "
        "python -c 'import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())'"
    )
from certification.keys import parse_private_key  # noqa: E402  (raises ImproperlyConfigured if unreadable)

parse_private_key(CREDENTIAL_SIGNING_KEY)

if CACHES["default"]["BACKEND"].endswith("LocMemCache"):  # noqa: F405
    raise ImproperlyConfigured(
        "Production needs a cache shared by all processes: set REDIS_URL (or CACHE_URL)."
    )

# Persistent database connections, as the benchmarks measure (bench/settings.py): without
# them every request and task opens a new PostgreSQL connection (a backend process to fork
# and authenticate), which tripled the Stripe webhook's intake time (about 3 to 9 ms one at a
# time, p99 at concurrency 8 from 18 to 66 ms with nothing else running).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="smtp://localhost:25")
vars().update(EMAIL_CONFIG)
