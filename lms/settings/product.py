"""The product's own settings, beside Django's and Wagtail's (``base.py``): who the site
trusts as a proxy, the content policy browsers enforce, certificates, payments and
organisations. Everything from the environment, with the demo's defaults."""
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from wagtail.embeds import oembed_providers

from kernel.client_ip import parse_trusted_proxies

from .environment import env

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

# --- Attendance slips (attendance/keys.py) ----------------------------------------------------
# The HMAC keys that hash a participant's name with the slip code: their own secret, never
# SECRET_KEY. "id:secret" pairs separated by commas; the first makes new slips, every one
# is tried when a slip is checked, so a key is rotated by putting a new one first and
# dropping the old once its slips have expired. Production refuses this default.
ATTENDANCE_KEYS_DEFAULT = "dev1:attendance-dev-only-not-secret-key-0123456789"
ATTENDANCE_KEYS = env("ATTENDANCE_KEYS", default=ATTENDANCE_KEYS_DEFAULT)
# Participants' slip requests per client address: enough for a meeting's room sharing one
# network, far too few to guess meeting codes.
ATTENDANCE_REQUEST_RATE = env("ATTENDANCE_REQUEST_RATE", default="20/m")
# Slip checks that match nothing, per client address: enough for an officer typing by
# hand, far too few to guess codes or names.
ATTENDANCE_CHECK_RATE = env("ATTENDANCE_CHECK_RATE", default="20/m")

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

# --- Organisations (seats, invitations) ---------------------------------------------------
ORGANISATIONS_MAX_SEATS_PER_ORDER = env.int("ORGANISATIONS_MAX_SEATS_PER_ORDER", default=500)
ORGANISATIONS_INVITATION_DAYS = env.int("ORGANISATIONS_INVITATION_DAYS", default=14)
ORGANISATIONS_MAX_INVITATIONS_PER_UPLOAD = env.int("ORGANISATIONS_MAX_INVITATIONS_PER_UPLOAD", default=500)
# The manager's dashboard flags certificates that expire within this many days.
ORGANISATIONS_EXPIRY_SOON_DAYS = env.int("ORGANISATIONS_EXPIRY_SOON_DAYS", default=60)
