"""What accounts does when allauth or Django say something happened: the welcome email,
failed sign-ins counted again from zero once the owner proves the account is theirs, and
the person's language and time zone kept in their session at sign-in."""
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, password_reset, user_signed_up
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from kernel import i18n

from . import jobs, selectors, throttle
from .models import User


@receiver(email_confirmed)
def welcome_on_first_confirmation(sender: object, request: HttpRequest | None, email_address: EmailAddress, **kwargs: object) -> None:
    jobs.welcome_email.enqueue_on_commit(email_address.user_id)


@receiver(user_logged_in)
@receiver(password_reset)
def failed_sign_ins_start_again(sender: object, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    """Only the account's owner signs in or resets its password: their failed-sign-in
    counters start again, so a pause caused by someone else's guessing ends for them."""
    if request is None:
        return
    emails = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    throttle.owner_proved(request, [email for email in emails if email])


@receiver(user_signed_up)
def welcome_when_signed_up_verified(sender: object, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    """An address proved at sign-up (an invitation's link) is never confirmed by email,
    so ``email_confirmed`` never comes: welcome the person now instead."""
    if EmailAddress.objects.filter(user=user, verified=True).exists():
        jobs.welcome_email.enqueue_on_commit(user.pk)


@receiver(user_logged_in)
def language_and_zone_into_session(sender: object, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    """Pages read the person's language and time zone from the session (lms/i18n.py), so
    no page asks the database for them."""
    session = getattr(request, "session", None)
    if session is None:
        return
    language, time_zone = selectors.user_language_and_zone(user)
    i18n.remember(session, language=language, time_zone=time_zone)
