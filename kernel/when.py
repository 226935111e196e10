"""Dates and times as people read them: in the current time zone (the person's own once
the request or the email has switched to it), in the current language's format, with the
zone named. One place for every page, email and PDF, so that the site never mixes formats.
"""
from __future__ import annotations

from datetime import date, datetime

from django.utils import formats, timezone


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def zone_name(value: datetime) -> str:
    """The abbreviation of the current time zone at that moment ("CET", "EST"), or its
    UTC offset where the zone has no abbreviation ("+0530" is shown as "UTC+05:30")."""
    local = _local(value)
    name = local.tzname() or ""
    if not name or name[0] in "+-":
        offset = local.strftime("%z")
        return f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    return name


def day_text(value: date | datetime | None) -> str:
    """A day ("5 December 2026" in English), in the current time zone for a datetime."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value).date()
    return formats.date_format(value, "DATE_FORMAT")


def time_text(value: datetime | None) -> str:
    """A time of day with its zone ("14:30 CET")."""
    if value is None:
        return ""
    return f"{formats.time_format(_local(value), 'TIME_FORMAT')} {zone_name(value)}"


def when_text(value: datetime | None) -> str:
    """A moment: day, time and zone ("5 December 2026, 14:30 CET")."""
    if value is None:
        return ""
    return f"{day_text(value)}, {time_text(value)}"
