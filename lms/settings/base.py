"""Settings shared by every environment.

Everything that differs between machines comes from the environment (django-environ),
with defaults that give the zero-setup demo: a SQLite file, no broker (tasks run
in-process), console email.
"""
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from wagtail.embeds import oembed_providers

from kernel.client_ip import parse_trusted_proxies

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env is convenient in development; production sets real variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
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
    "payments",
    "organisations",
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
    "django.middleware.locale.LocaleMiddleware",
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
                "lms.context_processors.site",
            ],
        },
    },
    {
        # Plain-text email: nothing is HTML-escaped, so "Family & Friends" and "O'Brien"
        # arrive as written (accounts/emails.py renders with it; pages never do).
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

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

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
# retry countdown (600 s, see accounts.tasks.RETRY), or a waiting retry would be run twice.
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
    # Learners wait on reviewers: a morning email when written answers wait for one.
    "review-digest": {
        "task": "courses.assessment.tasks.review_digest_task",
        "schedule": crontab(hour=7, minute=30),
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

# The reverse proxies in front of the site: IP addresses or CIDR networks (e.g. the load
# balancer's "10.0.0.0/24"). Only a request from one of them has its X-Forwarded-For read,
# walked from the right past these proxies (kernel/client_ip.py); empty, the client is the
# connection's own address. Every rate limit (django-ratelimit, allauth) reads the client
# through kernel.client_ip.client_ip.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
try:
    parse_trusted_proxies(TRUSTED_PROXIES)
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from None
RATELIMIT_IP_META_KEY = "kernel.client_ip.client_ip"

# --- Content-Security-Policy (django-csp; lms/csp.py) -----------------------------------------
# Sent in every environment, so that the browser tests meet the policy production sends.
# Lesson videos are embedded from YouTube and Vimeo only (WAGTAILEMBEDS_FINDERS), and those
# are the only frames a page may hold. The checkout form's POST is answered with a redirect
# to Stripe Checkout, which form-action must allow.
VIDEO_EMBED_ORIGINS = ["https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com"]
STRIPE_CHECKOUT_ORIGIN = "https://checkout.stripe.com"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": VIDEO_EMBED_ORIGINS,
        "frame-ancestors": [NONE],
        "form-action": [SELF, STRIPE_CHECKOUT_ORIGIN],
        "object-src": [NONE],
        "base-uri": [SELF],
    },
}
# Wagtail's and Django's admin write inline scripts and styles: a looser policy there only.
CSP_ADMIN_PATH_PREFIXES = ["/admin/", "/django-admin/"]
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF, *VIDEO_EMBED_ORIGINS],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
    },
}
WAGTAILEMBEDS_FINDERS = [
    {
        "class": "wagtail.embeds.finders.oembed",
        "providers": [oembed_providers.youtube, oembed_providers.vimeo],
    }
]

# Public certificate checks per client address (django-ratelimit's rate syntax): enough
# for anyone checking certificates by hand, far too few to enumerate codes.
CERTIFICATE_VERIFY_RATE = env("CERTIFICATE_VERIFY_RATE", default="30/m")

# --- Digital credentials (Open Badges 3.0, certification/credentials.py) --------------------
# The Ed25519 key that signs certificates' downloadable credentials: a base64 32-byte
# seed, a Multikey secretKeyMultibase (z...) or a PEM (certification/keys.py). Its public
# half is published at /.well-known/did.json as did:web:<host of BASE_URL>, so BASE_URL
# must be the site's root. Production must set its own key and keep it (production
# settings refuse to start without it); when unset in development and tests, a
# per-installation key is derived from SECRET_KEY with HKDF.
CREDENTIAL_SIGNING_KEY = env("CREDENTIAL_SIGNING_KEY", default="")

# --- Payments (payments/: Stripe Checkout, webhooks, refunds, codes, donations) -------------
# Unset STRIPE_SECRET_KEY (the demo): paid courses say online payment is not set up, and
# codes covering the whole fee still enrol. STRIPE_API_BASE is for tests only (localstripe
# on loopback); production leaves it empty. The webhook endpoint is /stripe/webhook/ and
# its signing secret (whsec_...) comes from Stripe's dashboard or `stripe listen`.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
STRIPE_TIMEOUT_SECONDS = env.float("STRIPE_TIMEOUT_SECONDS", default=20.0)
STRIPE_MAX_NETWORK_RETRIES = env.int("STRIPE_MAX_NETWORK_RETRIES", default=2)
STRIPE_WEBHOOK_TOLERANCE_SECONDS = env.int("STRIPE_WEBHOOK_TOLERANCE_SECONDS", default=300)
# Donations offered at checkout, in the course's currency, and the bounds of a custom one.
PAYMENTS_DONATION_PRESETS = env.list("PAYMENTS_DONATION_PRESETS", default=["5", "10", "25"])
PAYMENTS_DONATION_MIN = env("PAYMENTS_DONATION_MIN", default="1")
PAYMENTS_DONATION_MAX = env("PAYMENTS_DONATION_MAX", default="1000")
# A full refund ends the learner's place in the course; a partial one never does.
PAYMENTS_FULL_REFUND_ENDS_ACCESS = env.bool("PAYMENTS_FULL_REFUND_ENDS_ACCESS", default=True)
# A Checkout Session stays payable this long (Stripe allows 30 to 1440 minutes); a
# discount code's use is held for it and given back if it expires unpaid.
PAYMENTS_CHECKOUT_EXPIRES_MINUTES = env.int("PAYMENTS_CHECKOUT_EXPIRES_MINUTES", default=60)
# Reconciliation asks Stripe about orders still open after this long (and at most this often).
PAYMENTS_RECONCILE_AFTER_MINUTES = env.int("PAYMENTS_RECONCILE_AFTER_MINUTES", default=15)
PAYMENTS_EVENT_MAX_ATTEMPTS = env.int("PAYMENTS_EVENT_MAX_ATTEMPTS", default=8)
# Stripe's event bodies carry the payer's name, email and card details; once an event is
# processed the order keeps what matters. After this many days only its id and type stay
# (enough to recognise a late re-delivery as a duplicate).
PAYMENTS_EVENT_PAYLOAD_DAYS = env.int("PAYMENTS_EVENT_PAYLOAD_DAYS", default=90)
# Who hears about disputes, mismatched payments and duplicate purchases (besides the admin).
PAYMENTS_STAFF_EMAILS = env.list("PAYMENTS_STAFF_EMAILS", default=[])
# Where learners write to the training team (questions, a copy of their data, closing an
# account): in every page's footer and on the account page.
CONTACT_EMAIL = env("CONTACT_EMAIL", default="training@example.org")
PAYMENTS_CONTACT_EMAIL = env("PAYMENTS_CONTACT_EMAIL", default=CONTACT_EMAIL)
# Printed on receipts.
ORGANISATION_NAME = env("ORGANISATION_NAME", default="Recovery Facilitator Network")
ORGANISATION_ADDRESS = env("ORGANISATION_ADDRESS", default="")
ORGANISATION_CHARITY_NUMBER = env("ORGANISATION_CHARITY_NUMBER", default="")
CELERY_BEAT_SCHEDULE["payments-reconcile"] = {
    "task": "payments.tasks.orders_reconcile_task",
    "schedule": 300.0,
}
CELERY_BEAT_SCHEDULE["payments-prune-event-payloads"] = {
    "task": "payments.tasks.stripe_events_prune_task",
    "schedule": crontab(hour=3, minute=41),
}

# --- Organisations (seats, invitations) ---------------------------------------------------
ORGANISATIONS_MAX_SEATS_PER_ORDER = env.int("ORGANISATIONS_MAX_SEATS_PER_ORDER", default=500)
ORGANISATIONS_INVITATION_DAYS = env.int("ORGANISATIONS_INVITATION_DAYS", default=14)
ORGANISATIONS_MAX_INVITATIONS_PER_UPLOAD = env.int("ORGANISATIONS_MAX_INVITATIONS_PER_UPLOAD", default=500)
# The manager's dashboard flags certificates that expire within this many days.
ORGANISATIONS_EXPIRY_SOON_DAYS = env.int("ORGANISATIONS_EXPIRY_SOON_DAYS", default=60)
