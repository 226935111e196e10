from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings

from .tasks import send_email_task


def email_site() -> SimpleNamespace:
    """What allauth's email templates call ``current_site``: this service's name and
    address (the project runs without django.contrib.sites)."""
    return SimpleNamespace(
        name=settings.WAGTAIL_SITE_NAME, domain=urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc
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


def user_display(user) -> str:
    """How allauth's messages name a person: by their email, which they sign in with."""
    return user.email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
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
        send_email_task.delay_on_commit(message.subject, message.body, list(message.to), html)
