"""How many CE hours a learner is credited, and when: the pure core of CE issuing.

Nothing here touches Django, the database or the clock (``now`` is an input), so the same
study record always gives the same answer, a repeated issuing task decides the same way,
and every rule is tested without a database (tests/continuing_education/test_credit.py).

Input (``credit``)::

    hours               Decimal > 0   the course's CE hours under one approval (quarter hours)
    ce_hours_per_hour   Decimal > 0   CE hours per hour of instruction (the approval's rule)
    daily_cap_hours     Decimal > 0   hours credited per 24-hour period at most
    time_on_task_percent int 1..100   share of the course's length to be spent on task
    study               {aware datetime: int}   seconds on task (0..3600) per clock hour,
                                      keyed by the hour's start (UTC or any zone: only
                                      the instant counts)
    rules               {name: datetime | True | None}   the other rules: met at that
                                      moment, met with no date of its own (True), or not
                                      met (None or False)
    now                 aware datetime

Output: ``Credit`` (below). The rules, as the README states them:

- Required time = hours / ce_hours_per_hour × 3600 × time_on_task_percent / 100 seconds.
  It is met in the clock hour in which the running total of study reaches it; that moment
  is the end of the hour (or ``now`` while the hour is still running).
- Daily cap, in absolute time so that no time zone can game it: 24-hour periods counted
  from the start of the first hour studied. The course's hours are spread over the
  periods in proportion to the time studied in each (study past the required time is not
  counted, so studying more later never moves the date); a period credits at most the
  cap and the excess carries to the next. All hours are credited at the start of the
  period in which the credited total reaches the course's hours.
- The completion moment is the latest of that moment, the moment the time was met and
  the dated rules' moments; it exists only when every rule is met (it may lie after
  ``now``: the rest of the hours are credited then).

Amounts are computed exactly (``Fraction``); hours shown are rounded down to a quarter
hour, as boards award them.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from math import ceil, floor
from typing import Union

HOUR = timedelta(hours=1)
PERIOD = timedelta(hours=24)
QUARTER = Fraction(1, 4)

TIME = "time"  # the required time on task
CAP = "cap"  # every hour credited under the daily cap

RuleState = Union[datetime, bool, None]


@dataclass(frozen=True)
class Period:
    """One 24-hour period: when it starts, the study counted in it (seconds) and the hours
    it credits (exact)."""

    starts_at: datetime
    seconds: Fraction
    credited: Fraction


@dataclass(frozen=True)
class Credit:
    required_seconds: int  # rounded up
    studied_seconds: int
    time_met_at: datetime | None
    credited_now: Decimal  # credited by the start of the current period, in quarter hours
    all_credited_at: datetime | None  # when the cap lets every hour be credited (None: time not met)
    completed_at: datetime | None  # every rule met (may be after ``now``); None while one is unmet
    unmet: tuple[str, ...]  # the rules not met at ``now``, in the order given (TIME and CAP last)
    periods: tuple[Period, ...]

    @property
    def complete(self) -> bool:
        return not self.unmet


def quarter_hours_down(value: Fraction) -> Decimal:
    """``value`` hours rounded down to a quarter hour, as a Decimal with 2 places."""
    quarters = floor(value / QUARTER)
    return (Decimal(quarters) / 4).quantize(Decimal("0.01"))


def _exact(value: Decimal | int, name: str) -> Fraction:
    if isinstance(value, (bool, float)) or not isinstance(value, (int, Decimal)):
        raise TypeError(f"{name} must be an int or a Decimal")
    exact = Fraction(value)
    if exact <= 0:
        raise ValueError(f"{name} must be positive")
    return exact


def _aware(moment: datetime, name: str) -> datetime:
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")
    return moment.astimezone(timezone.utc)


def required_seconds(hours: Decimal, ce_hours_per_hour: Decimal, time_on_task_percent: int) -> Fraction:
    """Seconds on task the rules require (exact)."""
    if isinstance(time_on_task_percent, bool) or not isinstance(time_on_task_percent, int):
        raise TypeError("time_on_task_percent must be an int")
    if not 1 <= time_on_task_percent <= 100:
        raise ValueError("time_on_task_percent must be between 1 and 100")
    return _exact(hours, "hours") / _exact(ce_hours_per_hour, "ce_hours_per_hour") * 3600 * time_on_task_percent / 100


def _counted_study(study: Mapping[datetime, int], required: Fraction) -> tuple[list[tuple[datetime, Fraction]], int, datetime | None]:
    """The hours in order with the seconds counted (none past the required time), the
    total studied, and the start of the hour in which the required time was reached."""
    hours: dict[datetime, int] = {}
    for moment, seconds in study.items():
        if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 <= seconds <= 3600:
            raise ValueError("seconds per hour must be a whole number from 0 to 3600")
        start = _aware(moment, "a study hour")
        hours[start] = hours.get(start, 0) + seconds
    counted: list[tuple[datetime, Fraction]] = []
    total = 0
    running = Fraction(0)
    met_in = None
    for start in sorted(hours):
        seconds = hours[start]
        if seconds == 0:
            continue
        total += seconds
        if met_in is not None:
            continue
        take = min(Fraction(seconds), required - running)
        running += take
        counted.append((start, take))
        if running >= required:
            met_in = start
    return counted, total, met_in


def _periods(counted: list[tuple[datetime, Fraction]], hours: Fraction, cap: Fraction, required: Fraction) -> list[Period]:
    if not counted:
        return []
    first = counted[0][0]
    seconds_by_period: dict[int, Fraction] = {}
    for start, seconds in counted:
        index = (start - first) // PERIOD
        seconds_by_period[index] = seconds_by_period.get(index, Fraction(0)) + seconds
    periods = []
    carried = Fraction(0)
    index = 0
    last_studied = max(seconds_by_period)
    # After the last period studied, the carried excess is credited, a cap per period.
    while index <= last_studied or carried > 0:
        seconds = seconds_by_period.get(index, Fraction(0))
        due = carried + hours * seconds / required
        credited = min(cap, due)
        carried = due - credited
        periods.append(Period(starts_at=first + index * PERIOD, seconds=seconds, credited=credited))
        index += 1
    return periods


def _rule_moment(name: str, state: RuleState) -> tuple[bool, datetime | None]:
    if state is None or state is False:
        return False, None
    if state is True:
        return True, None
    return True, _aware(state, f"the moment of rule {name!r}")


def credit(
    *,
    hours: Decimal,
    ce_hours_per_hour: Decimal,
    daily_cap_hours: Decimal,
    time_on_task_percent: int,
    study: Mapping[datetime, int],
    rules: Mapping[str, RuleState],
    now: datetime,
) -> Credit:
    """Where a learner stands under one approval's rules at ``now`` (see the module)."""
    now = _aware(now, "now")
    course_hours = _exact(hours, "hours")
    cap = _exact(daily_cap_hours, "daily_cap_hours")
    required = required_seconds(hours, ce_hours_per_hour, time_on_task_percent)
    if TIME in rules or CAP in rules:
        raise ValueError(f"{TIME!r} and {CAP!r} are this module's own rules")

    counted, studied, met_in = _counted_study(study, required)
    time_met_at = min(met_in + HOUR, now) if met_in is not None else None
    periods = _periods(counted, course_hours, cap, required)

    all_credited_at = None
    credited_so_far = Fraction(0)
    running = Fraction(0)
    for period in periods:
        running += period.credited
        if period.starts_at <= now:
            credited_so_far = running
        if met_in is not None and all_credited_at is None and running >= course_hours:
            all_credited_at = period.starts_at

    unmet = []
    moments = []
    for name, state in rules.items():
        met, moment = _rule_moment(name, state)
        if not met:
            unmet.append(name)
        elif moment is not None:
            moments.append(min(moment, now))  # a record cannot have been met after now
    if time_met_at is None:
        unmet.append(TIME)
    else:
        moments.append(time_met_at)
    if all_credited_at is None or all_credited_at > now:
        unmet.append(CAP)
    if all_credited_at is not None:
        moments.append(all_credited_at)

    waiting_only_for_cap = unmet == [CAP] and all_credited_at is not None
    completed_at = max(moments) if (not unmet or waiting_only_for_cap) else None
    credited_now = course_hours if not unmet else min(credited_so_far, course_hours)
    return Credit(
        required_seconds=ceil(required),
        studied_seconds=studied,
        time_met_at=time_met_at,
        credited_now=quarter_hours_down(credited_now),
        all_credited_at=all_credited_at,
        completed_at=completed_at,
        unmet=tuple(unmet),
        periods=tuple(periods),
    )
