from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, password_reset
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import throttle
from .tasks import send_welcome_email_task


@receiver(email_confirmed)
def welcome_on_first_confirmation(sender, request, email_address, **kwargs):
    send_welcome_email_task.delay_on_commit(email_address.user_id)


@receiver(user_logged_in)
@receiver(password_reset)
def failed_sign_ins_start_again(sender, request, user, **kwargs):
    """Only the account's owner signs in or resets its password: their failed-sign-in
    counters start again, so a pause caused by someone else's guessing ends for them."""
    if request is None:
        return
    emails = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    throttle.owner_proved(request, [email for email in emails if email])
