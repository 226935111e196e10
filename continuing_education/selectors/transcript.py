"""A learner's CE transcript: their CE certificates, and hours per body and per period.

Only the learner's own certificates are ever read (the holder is the query's first
condition). Revoked certificates are listed, marked, and never counted: a board auditing
a transcript must see that a certificate it may meet elsewhere was withdrawn, and a
transcript that silently dropped it would disagree with the public verification page,
which says "revoked" for its code. Dates are days in the current time zone (the
learner's own on their pages, the holder's in the PDF).
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from accounts.models import User

from ..models import CECertificate


@dataclass(frozen=True)
class BodyHours:
    body_name: str
    hours: Decimal
    certificates: int


@dataclass(frozen=True)
class YearHours:
    year: int
    bodies: list[BodyHours]

    @property
    def hours(self) -> Decimal:
        return sum((b.hours for b in self.bodies), Decimal(0))


@dataclass
class Transcript:
    holder_name: str
    since: date | None
    until: date | None
    counted: list[CECertificate] = field(default_factory=list)
    revoked: list[CECertificate] = field(default_factory=list)

    @property
    def total_hours(self) -> Decimal:
        return sum((c.hours for c in self.counted), Decimal(0))

    @property
    def by_body(self) -> list[BodyHours]:
        return _per_body(self.counted)

    @property
    def by_year(self) -> list[YearHours]:
        years: dict[int, list[CECertificate]] = defaultdict(list)
        for certificate in self.counted:
            years[certificate.completed_on.year].append(certificate)
        return [YearHours(year=year, bodies=_per_body(years[year])) for year in sorted(years, reverse=True)]


def _per_body(certificates: list[CECertificate]) -> list[BodyHours]:
    hours: dict[str, Decimal] = defaultdict(Decimal)
    counts: dict[str, int] = defaultdict(int)
    for certificate in certificates:
        hours[certificate.body_name] += certificate.hours
        counts[certificate.body_name] += 1
    return [BodyHours(body_name=name, hours=hours[name], certificates=counts[name]) for name in sorted(hours)]


def transcript_for(*, user: User, since: date | None = None, until: date | None = None) -> Transcript:
    """The user's own CE certificates completed between ``since`` and ``until`` (days,
    both included, either open), oldest first: one query."""
    rows = CECertificate.objects.filter(holder=user).order_by("completed_at", "pk")
    transcript = Transcript(holder_name=user.certificate_name or "", since=since, until=until)
    for certificate in rows:
        certificate.completed_on = timezone.localtime(certificate.completed_at).date()
        if (since and certificate.completed_on < since) or (until and certificate.completed_on > until):
            continue
        if not transcript.holder_name:
            transcript.holder_name = certificate.holder_name
        (transcript.revoked if certificate.revoked_at else transcript.counted).append(certificate)
    return transcript
