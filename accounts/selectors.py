"""Reads about accounts."""
from django.contrib.auth import get_user_model
from django.db.models import QuerySet


def holders_of(permission: str) -> QuerySet:
    """Active people with an email who hold ``permission`` ("app.codename") through a group
    or directly: the people to tell when work of that kind waits. Superusers hold every
    permission but are not on any team by role, so they are left out."""
    users = get_user_model().objects.with_perm(
        permission, is_active=True, include_superusers=False,
        backend="django.contrib.auth.backends.ModelBackend",  # the one that reads groups and permissions
    )
    return users.exclude(email="").order_by("pk")
