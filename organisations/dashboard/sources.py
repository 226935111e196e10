"""What the rows and the summary read: active members' enrolments in the organisation's
courses, its pending invitations to them, current certificates with their state, and
the CE hours earned (continuing education's certificates: their hours only)."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Case, CharField, DecimalField, Exists, OuterRef, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from certification.models import Certificate
from continuing_education.models import CECertificate
from courses.models import Enrollment

from ..models import Invitation, Membership
from .scope import Scope
from .states import EXPIRED, EXPIRING, REVOKED, VALID, expiry_soon_days


def enrolments(scope: Scope) -> QuerySet:
    """Active members' enrolments in the organisation's courses (withdrawn ones, such as
    a seat taken back, are not places any more)."""
    active_member = Membership.objects.filter(
        organisation_id=scope.organisation.pk, user_id=OuterRef("user_id"), left_at__isnull=True
    )
    return (
        Enrollment.objects.filter(course_id__in=scope.course_ids)
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .filter(Exists(active_member))
    )


def invitations(scope: Scope) -> QuerySet:
    """Pending invitations to one of the courses: people who have not answered yet (and
    so have shared nothing: no certificate is looked up for them)."""
    return Invitation.objects.filter(
        organisation_id=scope.organisation.pk, status=Invitation.Status.PENDING, course_id__in=scope.course_ids
    )


def current_certificates() -> QuerySet:
    """Certificates that are their holder's current one in their programme: a renewal
    points the certificate it renews at itself (``renewed_by``), so the current one is
    the one not renewed (as certification's expiry reminders read it)."""
    return Certificate.objects.filter(renewed_by__isnull=True)


def certificate_state(now: datetime) -> Case:
    soon = now + timedelta(days=expiry_soon_days())
    return Case(
        When(revoked_at__isnull=False, then=Value(REVOKED)),
        When(expires_at__lte=now, then=Value(EXPIRED)),
        When(expires_at__lte=soon, then=Value(EXPIRING)),
        default=Value(VALID),
        output_field=CharField(),
    )


def ce_hours(period: tuple[datetime | None, datetime | None]) -> Coalesce:
    """The CE hours the row's person earned in the row's course (correlated with the
    enrolment row: ``user_id``, ``course_id``, both the source course's as CE
    certificates are): the sum of their CE certificates' hours that are not revoked,
    completed within ``period`` ([from, until) moments; None: open). Only the hours: never
    the time on task, the licence or anything else a CE certificate holds. 0 when none."""
    since, until = period
    certificates = CECertificate.objects.filter(
        holder_id=OuterRef("user_id"), course_id=OuterRef("course_id"), revoked_at__isnull=True
    )
    if since is not None:
        certificates = certificates.filter(completed_at__gte=since)
    if until is not None:
        certificates = certificates.filter(completed_at__lt=until)
    total = certificates.order_by().values("holder_id").annotate(total=Sum("hours")).values("total")
    field = DecimalField(max_digits=7, decimal_places=2)
    return Coalesce(Subquery(total, output_field=field), Value(Decimal("0"), output_field=field), output_field=field)
