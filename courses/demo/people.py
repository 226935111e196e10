"""Demo accounts: a staff administrator, a learner, a course author and a course publisher.

Each is found by email (case-insensitive) and brought to the state below on every run, so
the logins the command prints always work. Email verification is mandatory on this site,
so every demo account gets a verified, primary allauth email address.
"""
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.models import User


class MissingGroup(Exception):
    pass


@dataclass(frozen=True)
class DemoUser:
    email: str
    password: str
    certificate_name: str
    role: str
    superuser: bool = False
    group: str | None = None


ADMIN = DemoUser(
    "admin@example.org", "demo-admin-pass", "Demo Administrator", "staff admin", superuser=True
)
LEARNER = DemoUser("learner@example.org", "demo-learner-pass", "Alex Learner", "learner")
AUTHOR = DemoUser(
    "author@example.org", "demo-author-pass", "Demo Author", "course author",
    group="Course authors",
)
PUBLISHER = DemoUser(
    "publisher@example.org", "demo-publisher-pass", "Demo Publisher", "course publisher",
    group="Course publishers",
)
DEMO_USERS = [ADMIN, LEARNER, AUTHOR, PUBLISHER]


def ensure_user(spec: DemoUser) -> tuple[User, bool]:
    """The demo account ``spec``, created or brought up to date; returns (user, created)."""
    group = None
    if spec.group:
        group = Group.objects.filter(name=spec.group).first()
        if group is None:
            raise MissingGroup(f"The group “{spec.group}” is missing: run `manage.py migrate`.")
    user = User.objects.filter(email__iexact=spec.email).first()
    created = user is None
    if created:
        user = User(username=spec.email, email=spec.email)
    user.certificate_name = spec.certificate_name
    user.is_active = True
    user.is_staff = spec.superuser
    user.is_superuser = spec.superuser
    if created or not user.check_password(spec.password):
        user.set_password(spec.password)
    user.save()
    if group is not None:
        user.groups.add(group)
    _ensure_verified_email(user, spec.email)
    return user, created


def _ensure_verified_email(user: User, email: str):
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        address = EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    elif not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])
    EmailAddress.objects.filter(user=user, primary=True).exclude(pk=address.pk).update(primary=False)


def ensure_demo_users() -> tuple[dict[str, User], int]:
    """All demo accounts by email, and how many were created."""
    users, created_count = {}, 0
    for spec in DEMO_USERS:
        user, created = ensure_user(spec)
        users[spec.email] = user
        created_count += created
    return users, created_count
