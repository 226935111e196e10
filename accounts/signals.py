from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, password_reset, user_signed_up
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import jobs, throttle


@receiver(email_confirmed)
def welcome_on_first_confirmation(sender, request, email_address, **kwargs):
    jobs.welcome_email.enqueue_on_commit(email_address.user_id)


@receiver(user_logged_in)
@receiver(password_reset)
def failed_sign_ins_start_again(sender, request, user, **kwargs):
    """Only the account's owner signs in or resets its password: their failed-sign-in
    counters start again, so a pause caused by someone else's guessing ends for them."""
    if request is None:
        return
    emails = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    throttle.owner_proved(request, [email for email in emails if email])


@receiver(user_signed_up)
def welcome_when_signed_up_verified(sender, request, user, **kwargs):
    """An address proved at sign-up (an invitation's link) is never confirmed by email,
    so ``email_confirmed`` never comes: welcome the person now instead."""
    if EmailAddress.objects.filter(user=user, verified=True).exists():
        jobs.welcome_email.enqueue_on_commit(user.pk)
