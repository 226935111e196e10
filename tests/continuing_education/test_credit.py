"""The pure CE credit rules (continuing_education/credit.py): no database, no clock."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from continuing_education import credit as rules
from continuing_education.credit import CAP, TIME, credit, quarter_hours_down, required_seconds

UTC = timezone.utc
START = datetime(2026, 3, 2, 9, tzinfo=UTC)


def hours_of_study(start: datetime, count: int, seconds: int = 3600) -> dict:
    return {start + timedelta(hours=i): seconds for i in range(count)}


def run(study, *, hours="8", per_hour="1", cap="8", percent=100, rules_=None, now=None):
    return credit(
        hours=Decimal(hours), ce_hours_per_hour=Decimal(per_hour), daily_cap_hours=Decimal(cap),
        time_on_task_percent=percent, study=study, rules=rules_ or {}, now=now or START + timedelta(days=30),
    )


# --- required time -------------------------------------------------------------------------------


def test_required_time_is_hours_over_rate_times_percent():
    assert required_seconds(Decimal("6"), Decimal("1"), 100) == 6 * 3600
    assert required_seconds(Decimal("6"), Decimal("2"), 100) == 3 * 3600
    assert required_seconds(Decimal("6"), Decimal("1"), 50) == 3 * 3600
    assert required_seconds(Decimal("1.25"), Decimal("1"), 80) == 3600


def test_time_short_by_one_second_is_unmet():
    study = hours_of_study(START, 8)
    study[START] = 3599
    result = run(study)
    assert TIME in result.unmet and CAP in result.unmet
    assert result.time_met_at is None and result.completed_at is None
    assert result.studied_seconds == 8 * 3600 - 1
    assert result.required_seconds == 8 * 3600
    assert result.credited_now == Decimal("7.75")  # 7.9997 hours, rounded down to a quarter


def test_time_met_exactly_completes_at_the_end_of_the_hour_it_was_reached_in():
    result = run(hours_of_study(START, 8))
    assert result.unmet == ()
    assert result.time_met_at == START + timedelta(hours=8)
    assert result.completed_at == START + timedelta(hours=8)
    assert result.credited_now == Decimal("8.00")


def test_time_met_in_the_running_hour_is_met_now():
    now = START + timedelta(hours=7, minutes=20)
    result = run(hours_of_study(START, 8), now=now)
    assert result.time_met_at == now and result.completed_at == now and result.unmet == ()


def test_no_study_at_all():
    result = run({})
    assert result.unmet == (TIME, CAP)
    assert result.credited_now == Decimal("0.00") and result.periods == ()


def test_percent_lowers_the_required_time():
    result = run(hours_of_study(START, 4), percent=50)
    assert result.unmet == () and result.credited_now == Decimal("8.00")


# --- other rules ---------------------------------------------------------------------------------


def test_other_rules_unmet_are_named_in_order_and_block_completion():
    result = run(hours_of_study(START, 8), rules_={"evaluation": None, "licence": False, "score": START})
    assert result.unmet == ("evaluation", "licence")
    assert result.completed_at is None
    # The hours earned so far are shown all the same.
    assert result.credited_now == Decimal("8.00")


def test_completion_is_the_latest_dated_rule_and_undated_rules_only_gate():
    later = START + timedelta(days=3)
    result = run(hours_of_study(START, 8), rules_={"evaluation": later, "licence": True})
    assert result.unmet == () and result.completed_at == later


def test_a_rule_dated_after_now_counts_as_met_now():
    now = START + timedelta(days=1)
    result = run(hours_of_study(START, 8), rules_={"evaluation": now + timedelta(minutes=5)}, now=now)
    assert result.completed_at == now


def test_own_rule_names_are_refused():
    with pytest.raises(ValueError):
        run({}, rules_={TIME: True})


# --- the daily cap -------------------------------------------------------------------------------


def test_cap_carries_forward_and_credits_all_at_the_start_of_the_period_reaching_the_hours():
    # 20 hours studied in the first 24 hours, capped at 8 a period: 8, 8, 4.
    study = hours_of_study(START, 20)
    result = run(study, hours="20", now=START + timedelta(hours=21))
    assert [p.credited for p in result.periods] == [8, 8, 4]
    assert result.all_credited_at == START + timedelta(hours=48)
    assert result.completed_at == START + timedelta(hours=48)
    assert result.unmet == (CAP,)
    assert result.credited_now == Decimal("8.00")

    next_day = run(study, hours="20", now=START + timedelta(hours=24))
    assert next_day.credited_now == Decimal("16.00") and next_day.unmet == (CAP,)
    done = run(study, hours="20", now=START + timedelta(hours=48))
    assert done.unmet == () and done.credited_now == Decimal("20.00")


def test_cap_across_calendar_days_is_counted_in_24_hour_periods_not_days():
    # 8 hours before midnight and 8 after: two calendar days, one 24-hour period.
    evening = datetime(2026, 3, 2, 16, tzinfo=UTC)
    result = run(hours_of_study(evening, 16), hours="16", now=evening + timedelta(days=5))
    assert [p.credited for p in result.periods] == [8, 8]
    assert result.all_credited_at == evening + timedelta(hours=24)


def test_study_spread_over_days_is_credited_in_proportion():
    # 6 hours on day one, 6 on day three (a period without study between): 6, 0, 6.
    study = {**hours_of_study(START, 6), **hours_of_study(START + timedelta(days=2), 6)}
    result = run(study, hours="12", now=START + timedelta(days=10))
    assert [p.credited for p in result.periods] == [6, 0, 6]
    assert result.all_credited_at == START + timedelta(days=2)
    assert result.completed_at == START + timedelta(days=2, hours=6)


def test_study_past_the_required_time_never_moves_the_date():
    base = hours_of_study(START, 8)
    more = {**base, **hours_of_study(START + timedelta(days=9), 5)}
    assert run(base).completed_at == run(more).completed_at == START + timedelta(hours=8)
    assert run(more).studied_seconds == 13 * 3600


def test_the_hours_follow_the_rate_of_ce_hours_per_hour():
    # 2 CE hours per hour of instruction: 8 CE hours need 4 hours on task, credited 2 per hour.
    result = run(hours_of_study(START, 4), per_hour="2", cap="6", now=START + timedelta(hours=5))
    assert result.required_seconds == 4 * 3600
    assert [p.credited for p in result.periods] == [6, 2]
    assert result.all_credited_at == START + timedelta(hours=24)


def test_same_moments_in_any_time_zone_give_the_same_result():
    study = hours_of_study(datetime(2026, 3, 2, 20, tzinfo=UTC), 10)
    results = []
    for zone in ("UTC", "Pacific/Auckland", "America/Los_Angeles", "Asia/Kolkata"):
        tz = ZoneInfo(zone)
        local = {moment.astimezone(tz): seconds for moment, seconds in study.items()}
        results.append(run(local, hours="10", now=datetime(2026, 3, 3, 6, tzinfo=UTC).astimezone(tz)))
    assert all(r == results[0] for r in results)
    assert results[0].all_credited_at == datetime(2026, 3, 3, 20, tzinfo=UTC)


def test_a_local_midnight_does_not_open_a_new_period():
    # Someone in Auckland studies 16 hours spanning their midnight: still one period.
    auckland = ZoneInfo("Pacific/Auckland")
    start = datetime(2026, 3, 3, 16, tzinfo=auckland)
    result = run(hours_of_study(start, 16), hours="16")
    assert len([p for p in result.periods if p.seconds]) == 1
    assert result.all_credited_at == start + timedelta(hours=24)


def test_quarter_hour_cap_and_hours():
    result = run(hours_of_study(START, 2), hours="1.5", cap="0.75", percent=75, now=START + timedelta(hours=30))
    assert result.required_seconds == 4050
    assert [p.credited for p in result.periods] == [Decimal("0.75"), Decimal("0.75")]
    assert result.credited_now == Decimal("1.50") and result.unmet == ()


def test_partial_seconds_in_a_period_boundary_hour():
    # The hour starting exactly 24 hours after the first belongs to the second period.
    study = {START: 3600, START + timedelta(hours=24): 3600}
    result = run(study, hours="2", cap="1")
    assert [p.starts_at for p in result.periods] == [START, START + timedelta(hours=24)]
    assert result.all_credited_at == START + timedelta(hours=24)


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize("seconds", [-1, 3601, 1.5, True])
def test_impossible_seconds_are_refused(seconds):
    with pytest.raises(ValueError):
        run({START: seconds})


def test_naive_moments_are_refused():
    with pytest.raises(ValueError):
        run({datetime(2026, 3, 2, 9): 60})
    with pytest.raises(ValueError):
        run({}, now=datetime(2026, 3, 2, 9))


@pytest.mark.parametrize("field", ["hours", "per_hour", "cap"])
def test_non_positive_or_float_amounts_are_refused(field):
    with pytest.raises(ValueError):
        run({}, **{field: "0"})
    with pytest.raises(TypeError):
        rules.credit(hours=8.0, ce_hours_per_hour=Decimal(1), daily_cap_hours=Decimal(8), time_on_task_percent=100,
                     study={}, rules={}, now=START)


def test_quarter_hours_round_down():
    from fractions import Fraction

    assert quarter_hours_down(Fraction(249, 100)) == Decimal("2.25")
    assert quarter_hours_down(Fraction(5, 2)) == Decimal("2.50")
