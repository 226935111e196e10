"""Settings shared by every environment.

Everything that differs between machines comes from the environment (django-environ),
with defaults that give the zero-setup demo: a SQLite file, no broker (tasks run
in-process), console email.
"""
import os

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from .environment import BASE_DIR, env, language_choices

# Read as written: django-environ would take a value starting with "$" for the name of
# another variable, and Django's own get_random_secret_key() may start with one.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Our apps first so their templates override library ones (allauth layouts).
    "lms",
    "kernel",
    "accounts",
    "courses",
    "certification",
    "continuing_education",
    "attendance",
    "payments",
    "organisations",
    # Course content translated in the CMS (see the README: "Courses in several languages").
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_countries",
    "csp",
    "allauth",
    "allauth.account",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (lms/csp.py; the policies are below).
    "lms.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The request's language (URL prefix, saved choice, cookie, browser) and time zone (lms/i18n.py).
    "lms.i18n.LanguageMiddleware",
    "lms.i18n.TimeZoneMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Pages only: the request's Wagtail site from this process's memory (courses/site_lookup.py).
    "courses.site_lookup.SiteLookupMiddleware",
]

ROOT_URLCONF = "lms.urls"
CSRF_FAILURE_VIEW = "lms.views.csrf_failure"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "lms.context_processors.site",
            ],
        },
    },
    {
        # Plain-text email: nothing is HTML-escaped, so "Family & Friends" and "O'Brien"
        # arrive as written (kernel/emails.py renders with it; pages never do).
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")

# The cache holds sessions, the login throttle and course outlines (whose freshness
# relies on every process seeing the same version number), so it must be shared by all
# web and worker processes: Redis whenever there is one. The in-process cache is only
# for the single-process demo; lms.checks refuses it next to a real broker.
CACHE_URL = env("CACHE_URL", default=REDIS_URL or "")
if not CACHE_URL and env("CELERY_BROKER_URL", default="").startswith(("redis://", "rediss://")):
    CACHE_URL = env("CELERY_BROKER_URL")
# While Redis cannot be reached the cache works as "no cache" (kernel/cache.py): everything
# in it can be read again from the database, so pages keep answering.
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "kernel.cache.DegradingRedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions are read from the cache and written through to the database: one query
# fewer on every signed-in page, and nothing lost when the cache is flushed.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "courses:dashboard"

# django-allauth: email is the login; verification is required before sign-in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# "Signed in as …": people sign in with their email and never chose a username.
ACCOUNT_USER_DISPLAY = "accounts.adapter.user_display"
# Failed sign-ins (accounts/throttle.py): 10 a minute per client address (allauth), 5 in
# 5 minutes per client address and account, and per account from anywhere 30 an hour and
# 100 a day. None is keyed by the account alone at a level a stranger reaches easily, and
# when the account-wide one is reached the owner signs in by a code sent by email (or
# resets the password), which works at once.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
LOGIN_FAILED_RATE_LIMIT = env("LOGIN_FAILED_RATE_LIMIT", default="10/m/ip")
if "/key" in LOGIN_FAILED_RATE_LIMIT:
    # allauth's "key" is the account: anyone could lock anyone out with it.
    raise ImproperlyConfigured(
        "LOGIN_FAILED_RATE_LIMIT counts per client address only (e.g. 10/m/ip); set the per-account "
        "limits with LOGIN_FAILED_CLIENT_ACCOUNT_RATE_LIMIT and LOGIN_FAILED_ACCOUNT_RATE_LIMIT."
    )
ACCOUNT_RATE_LIMITS = {
    "login_failed": LOGIN_FAILED_RATE_LIMIT,
    "login_failed_client_account": env("LOGIN_FAILED_CLIENT_ACCOUNT_RATE_LIMIT", default="5/5m/key"),
    "login_failed_account": env("LOGIN_FAILED_ACCOUNT_RATE_LIMIT", default="30/h/key,100/d/key"),
}

# Wagtail admin sign-in goes through the same throttled allauth form.
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"

# Languages: adding one is a setting and a catalogue, no code (README, "Languages and time
# zones"). Each is named in its own words ("English", "Español") in the switcher and admin.
LANGUAGES = language_choices(env.list("LANGUAGES", default=["en", "es"]))
LANGUAGE_CODE = env("LANGUAGE_CODE", default="en")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE {LANGUAGE_CODE!r} is not one of LANGUAGES.")
# The Wagtail admin offers the same languages and follows each staff member's own choice.
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Pages have a locale per language; staff translate them with wagtail-localize.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date and number format per language (kernel/formats/<lang>/formats.py), used by
# kernel/when.py and by Django's own ``date`` filter alike.
FORMAT_MODULE_PATH = ["kernel.formats"]
# The language-choice cookie (set by the switcher, read for people not signed in).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploaded files are served by the web server in production. Only the demo's own settings
# (lms/settings/demo.py) let Django serve them, as DEBUG does for developers.
DEMO_SERVE_MEDIA = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Facilitator Training <training@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail
WAGTAIL_SITE_NAME = env("SITE_NAME", default="Facilitator Training")
WAGTAILADMIN_BASE_URL = env("BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
# The admin contacts no outside service: no avatar from Gravatar (it would send a hash of
# each staff member's email), no release check against releases.wagtail.org.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Celery. No broker configured means no worker either: run tasks in-process so the
# demo needs no service. With a broker, tasks go through it and workers run them.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Eager tasks still open a producer (Celery 5.7 asks it for the serializer): an
    # in-memory one, named so that kombu does not warn "No hostname was supplied".
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
# Our tasks are idempotent, so acknowledge after running: a worker that dies mid-task
# leaves the message for another worker instead of losing it.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message a dead worker held comes back after this long. It must outlast the longest
# retry countdown (600 s, see kernel.retry.RETRY), or a waiting retry would be run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 900}
CELERY_TIMEZONE = TIME_ZONE
# Celery workers run at a lower CPU priority than the web server (lms/worker_priority.py).
WORKER_NICE = env.int("WORKER_NICE", default=10)
CELERY_BEAT_SCHEDULE = {
    "purge-unverified-accounts": {
        "task": "accounts.tasks.purge_unverified_accounts_task",
        "schedule": crontab(hour=3, minute=17),
    },
    "certificate-expiry-reminders": {
        "task": "certification.tasks.expiry_reminders_task",
        "schedule": crontab(hour=6, minute=5),
    },
    # An expired CE approval issues nothing: staff are warned ahead, once per threshold.
    "ce-approval-lapse-warnings": {
        "task": "continuing_education.tasks.approval_lapse_warnings_task",
        "schedule": crontab(hour=6, minute=20),
    },
    # Submits attempts whose time ran out and re-enqueues grading lost with a message.
    "sweep-quiz-attempts": {
        "task": "courses.assessment.tasks.attempts_sweep_task",
        "schedule": 60.0,
    },
    # Evaluations, PDFs and "issued" emails whose message was lost (certification/services/sweep.py).
    "sweep-certification": {
        "task": "certification.tasks.certification_sweep_task",
        "schedule": 120.0,
    },
    # CE certificates the daily cap held back whose moment has come, and CE work whose
    # message was lost (continuing_education/services/sweep.py).
    # No permanent record of attendance: expired slips and spent meeting codes are deleted
    # (attendance/services/retention.py).
    "attendance-retention": {
        "task": "attendance.tasks.attendance_retention_task",
        "schedule": crontab(hour=2, minute=41),
    },
    "sweep-continuing-education": {
        "task": "continuing_education.tasks.ce_sweep_task",
        "schedule": 120.0,
    },
    # Learners wait on reviewers: a morning email when written answers wait for one.
    "review-digest": {
        "task": "courses.assessment.tasks.review_digest_task",
        "schedule": crontab(hour=7, minute=30),
    },
    # Asks Stripe about orders still open, processes stored events, re-sends lost receipts.
    "payments-reconcile": {
        "task": "payments.tasks.orders_reconcile_task",
        "schedule": 300.0,
    },
    # Blanks the payer's details in Stripe events processed long ago.
    "payments-prune-event-payloads": {
        "task": "payments.tasks.stripe_events_prune_task",
        "schedule": crontab(hour=3, minute=41),
    },
}

# How long an account may stay unverified before it is deleted (privacy: keep nothing
# we do not need).
UNVERIFIED_ACCOUNT_DAYS = env.int("UNVERIFIED_ACCOUNT_DAYS", default=14)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The development server's request lines, as Django formats them by default.
    "formatters": {"django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Configured here so that Django's own console handler goes (dictConfig replaces a
        # configured logger's handlers): its records reach the root handler once, not twice.
        # That resets its children too, so the server's request log is set up again.
        "django": {"level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
        # Wagtail's background tasks (search index, references) log every run at INFO.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # WeasyPrint logs each step of every certificate PDF it renders at INFO.
        "weasyprint": {"level": "WARNING"},
    },
}

# The product's own settings: security (proxies, content policy), certificates, payments,
# organisations.
from .product import *  # noqa: E402,F401,F403
