from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from .tasks import send_welcome_email_task


@receiver(email_confirmed)
def welcome_on_first_confirmation(sender, request, email_address, **kwargs):
    send_welcome_email_task.delay_on_commit(email_address.user_id)
