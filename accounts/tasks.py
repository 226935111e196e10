from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from . import services
from .models import User


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email_task(subject: str, body: str, to: list[str], html: str | None = None):
    """Send one already-rendered email. Retries only on connection errors."""
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


@shared_task
def send_welcome_email_task(user_id: int):
    """Welcome a newly verified learner, once, however often this runs."""
    if not services.user_mark_welcomed(user_id=user_id):
        return
    user = User.objects.get(pk=user_id)
    context = {"user": user, "base_url": settings.WAGTAILADMIN_BASE_URL}
    send_email_task.delay(
        render_to_string("accounts/email/welcome_subject.txt", context).strip(),
        render_to_string("accounts/email/welcome.txt", context),
        [user.email],
    )


@shared_task
def purge_unverified_accounts_task():
    return services.users_purge_unverified()
