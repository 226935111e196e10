"""Counts over all the organisation's staff, whatever the filters: three queries."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from courses.models import Enrollment

from ..models import Membership
from . import sources
from .scope import Scope
from .states import EXPIRING, VALID


@dataclass(frozen=True)
class Summary:
    """Counts over all the organisation's staff (whatever the filters)."""

    invited: int  # pending invitations
    invitations_expired: int  # of which the link has expired
    enrolled: int  # enrolments in the organisation's courses (completed included)
    completed: int
    valid_certificates: int  # current certificates, counted once each
    expiring_soon: int  # of which expiring within ORGANISATIONS_EXPIRY_SOON_DAYS


def staff_summary(scope: Scope, *, now: datetime | None = None) -> Summary:
    """Three queries, aggregated in the database, each count named as ``Summary`` names it.

    Certificates are counted from the certificate side: each current certificate of an
    active member once, when its programme includes one of the organisation's courses
    that the holder is enrolled in (so a certificate covering two courses counts once).
    """
    now = now or timezone.now()
    enrolments = sources.enrolments(scope).aggregate(
        enrolled=Count("pk"), completed=Count("pk", filter=Q(status=Enrollment.Status.COMPLETED))
    )
    members = Membership.objects.filter(organisation_id=scope.organisation.pk, left_at__isnull=True)
    enrolled_in_programme = Enrollment.objects.filter(
        user_id=OuterRef("holder_id"), course_id__in=scope.course_ids, course__programmes=OuterRef("programme_id")
    ).exclude(status=Enrollment.Status.WITHDRAWN)
    certificates = (
        sources.current_certificates()
        .filter(holder_id__in=members.values("user_id"))
        .filter(Exists(enrolled_in_programme))
        .alias(state=sources.certificate_state(now))
        .aggregate(
            valid_certificates=Count("pk", filter=Q(state__in=[VALID, EXPIRING])),
            expiring_soon=Count("pk", filter=Q(state=EXPIRING)),
        )
    )
    invitations = sources.invitations(scope).aggregate(
        invited=Count("pk"), invitations_expired=Count("pk", filter=Q(expires_at__lte=now))
    )
    return Summary(**invitations, **enrolments, **certificates)
