from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kernel.client_ip import client_ip
from kernel.site import site_name_lazy

from . import jobs, landing, throttle
from .models import User

# Where the request keeps the address a link proved, once it is out of the session.
_PROVED = "_accounts_proved_email"


def email_site() -> SimpleNamespace:
    """What allauth's email templates call ``current_site``: this service's name and
    address (the project runs without django.contrib.sites)."""
    return SimpleNamespace(
        name=site_name_lazy(), domain=urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc
    )


def on_base_url(url: str) -> str:
    """``url`` with the scheme and host of ``BASE_URL``.

    allauth makes its links (confirm an address, reset a password, sign up) from the
    request's own address. Every other link the site sends comes from ``BASE_URL``, the
    one address it is served on: the same rule here means a link never depends on the
    Host header a request came with (a host name the site also answers to, or the demo's
    former port)."""
    parts, base = urlsplit(url), urlsplit(settings.WAGTAILADMIN_BASE_URL)
    if not (parts.scheme and parts.netloc):
        return url
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, parts.fragment))


def user_display(user: User) -> str:
    """How allauth's messages name a person: by their email, which they sign in with."""
    return user.email


def _login(credentials: dict) -> str:
    return credentials.get("email") or credentials.get("username") or ""


def stash_proved_email(request: HttpRequest, email: str) -> None:
    """Note in the session that this visitor opened a link sent to ``email`` (an
    invitation): signing up with exactly that address needs no confirmation email. The
    sign-up form is filled in with it too (allauth reads the same session key)."""
    get_adapter(request).stash_verified_email(request, email)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # The sign-in page adds how to get in now (templates/account/login.html).
        "too_many_login_attempts": _("Too many failed sign-in attempts, so signing in with a password is paused for a while."),
    }

    def pre_authenticate(self, request: HttpRequest, **credentials: str) -> None:
        """allauth counts failures per client address; we add per client address and
        account, and per account (accounts/throttle.py), instead of allauth's per-account
        limit that let anyone lock an account."""
        super().pre_authenticate(request, **credentials)
        if not throttle.password_login_allowed(request, _login(credentials)):
            raise self.validation_error("too_many_login_attempts")

    def authentication_failed(self, request: HttpRequest, **credentials: str) -> None:
        throttle.password_login_failed(request, _login(credentials))

    def get_client_ip(self, request: HttpRequest) -> str:
        """The client behind the trusted proxies (kernel/client_ip.py), for allauth's rate
        limits: allauth's own reading trusts X-Forwarded-For from any peer once
        ALLAUTH_TRUSTED_PROXY_COUNT is set."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's emails here, send them from a Celery task after commit.

        The context is the one allauth's own ``send_mail`` gives its templates (the
        address, the site), which they need for their greeting and sign-off."""
        context = {"request": allauth_context.request, "email": email, "current_site": email_site(), **context}
        # The links allauth put in the context (activate_url, password_reset_url, signup_url).
        context.update({name: on_base_url(value) for name, value in context.items()
                        if name.endswith("_url") and isinstance(value, str)})
        message = self.render_mail(template_prefix, email, context)
        html = None
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        jobs.send_email.enqueue_on_commit(message.subject, message.body, list(message.to), html)

    # --- an address proved by a link (see stash_proved_email) ------------------------------
    #
    # allauth's own handling adds the stashed address to the new account *beside* the one
    # typed in the form, verified and primary, so a person who changed the address on the
    # form would end up signed up under the invited one. Here the stash vouches only for
    # the address typed: at sign-up it leaves the session (once, whatever the address, so
    # it cannot serve a second sign-up) and ``is_email_verified`` compares it with the
    # form's address. A different address gets the usual confirmation email.

    def unstash_verified_email(self, request: HttpRequest) -> None:
        proved = super().unstash_verified_email(request)
        setattr(request, _PROVED, proved or "")
        return None

    def is_email_verified(self, request: HttpRequest, email: str) -> bool:
        proved = getattr(request, _PROVED, "")
        return bool(proved and email) and proved.strip().lower() == email.strip().lower()

    # --- after signing in ---------------------------------------------------------------------

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """A page another app registered for this person (a manager's dashboard), else
        My learning. allauth asks only when no ``next`` was given: that still wins."""
        return landing.landing_for(request.user) or super().get_login_redirect_url(request)
