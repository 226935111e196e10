"""Reads about accounts."""
from django.db.models import QuerySet

from kernel import i18n

from .models import User


def holders_of(permission: str) -> QuerySet[User]:
    """Active people with an email who hold ``permission`` ("app.codename") through a group
    or directly: the people to tell when work of that kind waits. Superusers hold every
    permission but are not on any team by role, so they are left out."""
    users = User.objects.with_perm(
        permission, is_active=True, include_superusers=False,
        backend="django.contrib.auth.backends.ModelBackend",  # the one that reads groups and permissions
    )
    return users.exclude(email="").order_by("pk")


def user_with_email(email: str) -> User | None:
    """The account with this email address, whatever its case (addresses are unique
    case-insensitively), or None."""
    return User.objects.filter(email__iexact=email).first()


def user_language_and_zone(user: User) -> tuple[str, str]:
    """(language, time zone) this person saved on their profile, "" for each not saved."""
    return i18n.saved_choices(user.pk)
