"""Demo accounts: a staff administrator, a learner, a course author, a course publisher,
an assessment reviewer and the manager of the demo organisation (``organisations/demo.py``).

Each is found by email (case-insensitive) and brought to the state below on every run, so
the logins the command prints always work. Email verification is mandatory on this site,
so every demo account gets a verified, primary allauth email address.

The reviewer's group ("Assessment reviewers") comes from a later migration than the other
staff groups: while it is missing, the reviewer account is skipped rather than made without
the permission it exists to show.
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
    # True: skip the account (instead of failing) while its group does not exist yet.
    group_optional: bool = False


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
REVIEWER = DemoUser(
    "reviewer@example.org", "demo-reviewer-pass", "Demo Reviewer", "assessment reviewer",
    group="Assessment reviewers", group_optional=True,
)
MANAGER = DemoUser(
    "manager@example.org", "demo-manager-pass", "Morgan Ellis",
    "organisation manager, Riverside Recovery Centre",
)
DEMO_USERS = [ADMIN, LEARNER, AUTHOR, PUBLISHER, REVIEWER, MANAGER]


def ensure_user(spec: DemoUser) -> tuple[User | None, bool]:
    """The demo account ``spec``, created or brought up to date; returns (user, created).

    (None, False) when the account's optional group does not exist yet.
    """
    group = None
    if spec.group:
        group = Group.objects.filter(name=spec.group).first()
        if group is None and spec.group_optional:
            return None, False
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


def ensure_person(email: str, name: str, *, password: str = "") -> User:
    """Someone who appears in the demo (an organisation's staff, a scholarship applicant),
    with a verified email; no password unless ``password`` is given (then it always works)."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(username=email, email=email, certificate_name=name)
        first, _, last = name.partition(" ")
        user.first_name, user.last_name = first, last
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    elif password and not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    if not EmailAddress.objects.filter(user=user, email__iexact=email).exists():
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def ensure_demo_users() -> tuple[dict[str, User], int]:
    """The demo accounts by email (skipped ones left out), and how many were created."""
    users, created_count = {}, 0
    for spec in DEMO_USERS:
        user, created = ensure_user(spec)
        if user is not None:
            users[spec.email] = user
        created_count += created
    return users, created_count
