"""Writes for accounts: the name printed on certificates, the language and time zone a
person reads in, the welcome email, and removing accounts whose address was never
confirmed."""
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.users.models import UserProfile

from kernel import emails, i18n
from kernel.names import validate_printable_name

from .models import User
from .events import certificate_name_changed


def user_set_certificate_name(*, user: User, name: str) -> User:
    name = " ".join(name.split())
    if not name:
        raise ValueError("A certificate name cannot be empty.")
    validate_printable_name(name)  # ValidationError: nothing invisible may reorder a printed name
    changed = user.certificate_name != name
    user.certificate_name = name
    if user.pk:
        # One transaction: what listeners record about the change (certification keeps a
        # request to reissue certificates) is saved with it, or neither is.
        with transaction.atomic():
            user.save(update_fields=["certificate_name"])
            if changed:
                # Certificates already issued are reissued with the new name (certification).
                certificate_name_changed.send(sender=User, user_id=user.pk)
    return user


def user_set_language_and_zone(*, user: User, language: str | None = None, time_zone: str | None = None) -> None:
    """Save the language and/or time zone this person reads in, on their Wagtail profile
    (the admin follows them too). An unknown one raises ValueError and nothing is saved."""
    if language is not None and not i18n.is_language(language):
        raise ValueError(_("Choose one of the languages offered."))
    if time_zone is not None and not i18n.is_time_zone(time_zone):
        raise ValueError(_("Choose a time zone from the list."))
    profile = UserProfile.get_for_user(user)
    fields = []
    if language is not None:
        profile.preferred_language = language
        fields.append("preferred_language")
    if time_zone is not None:
        profile.current_time_zone = time_zone
        fields.append("current_time_zone")
    if fields:
        profile.save(update_fields=fields)


def user_welcome(*, user_id: int) -> bool:
    """Send the welcome email once; True if this call sent it.

    The row lock makes concurrent runs queue behind each other, and the mark is saved
    in the same transaction as the send: if sending fails nothing is marked and the
    task's retry tries again (a crash after sending may, rarely, send it twice; it is
    never lost).
    """
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None or user.welcomed_at is not None:
            return False
        emails.send_templated(
            template="accounts/email/welcome", context={"user": user}, to=[user.email], recipient=user.pk
        )
        user.welcomed_at = timezone.now()
        user.save(update_fields=["welcomed_at"])
        return True


def users_purge_unverified(*, now: datetime | None = None) -> int:
    """Delete learner accounts that never verified their email within the grace period.

    Staff accounts and anyone who has verified any address are kept.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.UNVERIFIED_ACCOUNT_DAYS)
    stale = User.objects.filter(
        date_joined__lt=cutoff, is_staff=False, is_superuser=False
    ).exclude(emailaddress__verified=True)
    count = stale.count()
    stale.delete()
    return count


def user_set_preferred_currency(*, user: User, currency: str) -> User:
    """The currency the person wants fees in (``""``: their country's). The caller checks
    that payments can take it (``payments.currencies``); here only its shape."""
    currency = (currency or "").strip().upper()
    if currency and (len(currency) != 3 or not currency.isalpha()):
        raise ValueError("A currency is a three-letter code, for example EUR.")
    if user.preferred_currency != currency:
        user.preferred_currency = currency
        user.save(update_fields=["preferred_currency"])
    return user
