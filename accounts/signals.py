from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, user_signed_up
from django.dispatch import receiver

from .tasks import send_welcome_email_task


@receiver(email_confirmed)
def welcome_on_first_confirmation(sender, request, email_address, **kwargs):
    send_welcome_email_task.delay_on_commit(email_address.user_id)


@receiver(user_signed_up)
def welcome_when_signed_up_verified(sender, request, user, **kwargs):
    """An address proved at sign-up (an invitation's link) is never confirmed by email,
    so ``email_confirmed`` never comes: welcome the person now instead."""
    if EmailAddress.objects.filter(user=user, verified=True).exists():
        send_welcome_email_task.delay_on_commit(user.pk)
