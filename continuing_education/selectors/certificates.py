"""CE certificates for staff: the listing's records and the report per body and period.

The report is what a provider sends its accrediting body at renewal: how many CE
certificates were issued under each approval and for how many hours, by the month the
learners completed (the completion date is the one boards read). Revoked certificates are
not counted (they are shown apart, so the figures can be checked). Months are the staff
member's: they are cut in the time zone active when the report is read. One query,
aggregated in the database, whatever the number of certificates.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from ..models import Approval, CECertificate

ZERO_HOURS = Decimal("0.00")


def ce_certificates_for_staff() -> QuerySet[CECertificate]:
    return CECertificate.objects.select_related("holder", "approval__body", "course")


def day_start(day: date) -> datetime:
    """The first moment of ``day`` in the active time zone (the staff member's)."""
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class ReportRow:
    month: date
    approval_id: int
    body_name: str
    provider_number: str
    approved_from: date
    approved_until: date
    certificates: int
    hours: Decimal
    partial: int  # of ``certificates``, those granted as partial credit by staff
    revoked: int  # not in ``certificates`` nor ``hours``


def ce_report(
    *, date_from: date | None = None, date_to: date | None = None, body_id: int | None = None,
    approval_id: int | None = None,
) -> list[ReportRow]:
    """CE certificates per approval and month of completion, newest month first."""
    certificates = CECertificate.objects.all()
    if date_from:
        certificates = certificates.filter(completed_at__gte=day_start(date_from))
    if date_to:
        certificates = certificates.filter(completed_at__lt=day_start(date_to + timedelta(days=1)))
    if body_id:
        certificates = certificates.filter(approval__body_id=body_id)
    if approval_id:
        certificates = certificates.filter(approval_id=approval_id)
    valid = Q(revoked_at__isnull=True)
    rows = (
        certificates.annotate(month=TruncMonth("completed_at", tzinfo=timezone.get_current_timezone()))
        .values(
            "month", "approval_id", "approval__body__name", "approval__provider_number",
            "approval__approved_from", "approval__approved_until",
        )
        .annotate(
            certificates=Count("pk", filter=valid),
            hours=Coalesce(Sum("hours", filter=valid), Value(ZERO_HOURS)),
            partial=Count("pk", filter=valid & Q(partial=True)),
            revoked=Count("pk", filter=~valid),
        )
        .order_by("-month", "approval__body__name", "approval__provider_number", "approval_id")
    )
    return [
        ReportRow(
            month=row["month"].date() if isinstance(row["month"], datetime) else row["month"],
            approval_id=row["approval_id"], body_name=row["approval__body__name"],
            provider_number=row["approval__provider_number"], approved_from=row["approval__approved_from"],
            approved_until=row["approval__approved_until"], certificates=row["certificates"], hours=row["hours"],
            partial=row["partial"], revoked=row["revoked"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class ReportTotal:
    approval_id: int
    body_name: str
    provider_number: str
    certificates: int
    hours: Decimal
    revoked: int


def ce_report_totals(rows: list[ReportRow]) -> list[ReportTotal]:
    """The report's totals per approval over the whole range (from its rows: no query)."""
    totals: dict[int, dict] = {}
    for row in rows:
        total = totals.setdefault(
            row.approval_id,
            {"approval_id": row.approval_id, "body_name": row.body_name, "provider_number": row.provider_number,
             "certificates": 0, "hours": ZERO_HOURS, "revoked": 0},
        )
        total["certificates"] += row.certificates
        total["hours"] += row.hours
        total["revoked"] += row.revoked
    return sorted((ReportTotal(**t) for t in totals.values()), key=lambda t: (t.body_name, t.provider_number, t.approval_id))


def approvals_for_report() -> QuerySet[Approval]:
    return Approval.objects.select_related("body").order_by("body__name", "-approved_until")
