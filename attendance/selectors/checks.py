"""Reads about slips: the public check, and the counts staff see.

The check answers the same "no slip matches" for an unknown code, a wrong name and an
expired slip, after the same work: one query by code and one HMAC, compared in constant
time (a dummy hash when the code is unknown), so neither the answer nor its cost tells a
guesser whether a code exists.
"""
import hmac
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Sum
from django.views.decorators.debug import sensitive_variables
from django.db.models.functions import TruncMonth


from .. import codes, keys
from ..models import Slip, SlipCount
from ..names import MAX_LENGTH, normalise

_DUMMY_HASH = "0" * 64


@dataclass(frozen=True)
class SlipFacts:
    code: str
    meeting_kind: str
    meeting_mode: str
    meeting_date: date
    starts_at: datetime  # in the meeting's own zone
    ends_at: datetime
    time_zone: str
    certificate_current: bool
    voided: bool


def _certificate_current_on(slip: Slip, zone: ZoneInfo) -> bool:
    """Issued on or before the meeting's day, not expired by it, not revoked on or before it
    (days in the meeting's zone)."""
    certificate = slip.certificate
    day = slip.meeting_date
    if certificate.issued_at.astimezone(zone).date() > day:
        return False
    if certificate.expires_at is not None and certificate.expires_at.astimezone(zone).date() <= day:
        return False
    return certificate.revoked_at is None or certificate.revoked_at.astimezone(zone).date() > day


@sensitive_variables("name", "typed")
def slip_check(*, code: str, name: str, today: date) -> SlipFacts | None:
    """The slip whose code and printed name these are, or None ("no slip matches")."""
    # A typed code of the wrong shape is never looked up (nor put in any cache key).
    stored = codes.normalise(code, codes.SLIP_LENGTH)
    slip = None
    if stored is not None:
        slip = Slip.objects.select_related("certificate").filter(code=stored).first()
    typed = name[: MAX_LENGTH * 4]  # an overlong name matches nothing; hash no megabytes
    normalised = normalise(typed)
    usable_name = 0 < len(normalised) <= MAX_LENGTH
    if slip is None:
        # The same HMAC and comparison as for a real slip, against a hash nothing matches.
        dummy = keys.name_hash(keys.current_key(), normalised, stored or "")
        hmac.compare_digest(dummy, _DUMMY_HASH)
        return None
    matches = keys.matches(key_id=slip.key_id, stored_hash=slip.name_hash, normalised_name=normalised, slip_code=slip.code)
    if not (matches and usable_name) or slip.expires_on < today:
        return None
    zone = ZoneInfo(slip.meeting_time_zone)
    return SlipFacts(
        code=slip.code, meeting_kind=slip.meeting_kind, meeting_mode=slip.meeting_mode,
        meeting_date=slip.meeting_date, starts_at=slip.meeting_starts_at.astimezone(zone),
        ends_at=slip.meeting_ends_at.astimezone(zone), time_zone=slip.meeting_time_zone,
        certificate_current=_certificate_current_on(slip, zone), voided=slip.voided_at is not None,
    )


# --- counts for staff ------------------------------------------------------------------------


def slip_counts_by_month() -> list[dict]:
    return list(
        SlipCount.objects.annotate(m=TruncMonth("month")).values("m").annotate(total=Sum("slips")).order_by("-m")
    )


def slip_counts_by(field: str) -> list[dict]:
    """Totals per ``meeting_kind`` or ``country``, largest first."""
    if field not in {"meeting_kind", "country"}:
        raise ValueError(field)
    return list(SlipCount.objects.values(field).annotate(total=Sum("slips")).order_by("-total", field))


def slip_count_rows() -> list[SlipCount]:
    """Every count (month, kind, region), newest month first: the staff spreadsheet."""
    return list(SlipCount.objects.order_by("-month", "meeting_kind", "country"))
