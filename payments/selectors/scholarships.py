"""Reads about scholarship applications: where a learner's request stands, the staff's
queue, and who hears that an application waits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from accounts.selectors import holders_of
from courses.models import Enrollment

from .. import permissions
from ..models import DiscountCode, ScholarshipApplication

# How long an approved application's code works, unless PAYMENTS_SCHOLARSHIP_CODE_DAYS says otherwise.
CODE_DAYS = 30


def scholarship_code_days() -> int:
    return int(getattr(settings, "PAYMENTS_SCHOLARSHIP_CODE_DAYS", CODE_DAYS))


@dataclass(frozen=True)
class ScholarshipState:
    """Where a learner's scholarship request for a course stands, for the pages they see:
    waiting for staff (no ``code``), or approved with a ``code`` still unused."""

    application: ScholarshipApplication
    code: DiscountCode | None = None


def usable_code_q(now: datetime) -> Q:
    """Applications approved with a code that still works: active, unused, not expired."""
    return Q(status=ScholarshipApplication.Status.APPROVED, discount_code__active=True, discount_code__uses=0) & (
        Q(discount_code__expires_at__isnull=True) | Q(discount_code__expires_at__gt=now)
    )


def scholarship_states(
    *, user: User | AnonymousUser, course_id: int | None = None, now: datetime | None = None
) -> list[ScholarshipState]:
    """One query: the learner's applications still waiting, and approved ones whose code
    still works, for courses they have no place on yet (oldest first; one course's only)."""
    if not getattr(user, "is_authenticated", False):
        return []
    placed = Enrollment.objects.filter(
        user=user, course=OuterRef("course"), status__in=[Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED]
    )
    apps = (
        ScholarshipApplication.objects.filter(user=user)
        .filter(Q(status=ScholarshipApplication.Status.OPEN) | usable_code_q(now or timezone.now()))
        .exclude(Exists(placed))
        .select_related("discount_code", "course")
        .order_by("created_at")
    )
    if course_id is not None:
        apps = apps.filter(course_id=course_id)
    return [ScholarshipState(application=app, code=None if app.status == app.Status.OPEN else app.discount_code)
            for app in apps]


def scholarship_state(
    *, user: User | AnonymousUser, course_id: int, now: datetime | None = None
) -> ScholarshipState | None:
    """The course page's and checkout's line: the newest of ``scholarship_states`` for the
    course (a declined application, or a used or expired code, shows nothing)."""
    states = scholarship_states(user=user, course_id=course_id, now=now)
    return states[-1] if states else None


def open_scholarship_application(*, user: User, course_id: int) -> ScholarshipApplication | None:
    return ScholarshipApplication.objects.filter(
        user=user, course_id=course_id, status=ScholarshipApplication.Status.OPEN
    ).first()


def usable_scholarship_code(*, user: User, course_id: int, now: datetime | None = None) -> DiscountCode | None:
    """An approved, unused, unexpired scholarship code the learner already holds for the course."""
    app = (
        ScholarshipApplication.objects.filter(usable_code_q(now or timezone.now()), user=user, course_id=course_id)
        .select_related("discount_code")
        .first()
    )
    return app.discount_code if app else None


def scholarships_waiting_count() -> int:
    """Applications waiting for a decision."""
    return ScholarshipApplication.objects.filter(status=ScholarshipApplication.Status.OPEN).count()


def scholarship_staff_to_tell() -> list[str]:
    """``PAYMENTS_STAFF_EMAILS`` if set, else the people who may decide applications, else
    (a new site, the demo: no payments staff yet) the superusers, who may decide
    everything. Superusers are left out whenever someone holds the permission: they are
    not on the payments team by role."""
    if settings.PAYMENTS_STAFF_EMAILS:
        return list(settings.PAYMENTS_STAFF_EMAILS)
    deciders = list(holders_of(permissions.DECIDE_SCHOLARSHIPS).values_list("email", flat=True))
    if deciders:
        return deciders
    return list(
        get_user_model().objects.filter(is_superuser=True, is_active=True).exclude(email="")
        .order_by("pk").values_list("email", flat=True)
    )
