"""Schedules: no database."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from logistics.routing.schedule import (
    CompiledSchedule,
    WeeklySchedule,
    departure_after_cutoff,
    schedule_for_departures_per_week,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
TUE_FRI_22 = WeeklySchedule(weekdays=(1, 4), times=(time(22, 0),))


def test_schedule_for_departures_per_week_follows_the_reference_conventions():
    assert schedule_for_departures_per_week(2) == TUE_FRI_22
    assert schedule_for_departures_per_week(7).weekdays == (0, 1, 2, 3, 4, 5, 6)
    twice_daily = schedule_for_departures_per_week(14)
    assert twice_daily.times == (time(10, 0), time(22, 0))
    assert twice_daily.departures_per_week == 14
    for count in range(1, 8):
        assert schedule_for_departures_per_week(count).departures_per_week == count


def test_schedule_for_departures_per_week_refuses_impossible_counts():
    with pytest.raises(ValueError):
        schedule_for_departures_per_week(0)


def test_departure_after_cutoff_takes_tonights_flight_when_before_the_cutoff():
    compiled = CompiledSchedule(TUE_FRI_22, "Asia/Shanghai")
    ready = datetime(2026, 3, 3, 13, 0, tzinfo=SHANGHAI)  # Tuesday 13:00, cut-off 14:00
    departs = departure_after_cutoff(compiled, ready_at=ready, cutoff_hours=8)
    assert departs == datetime(2026, 3, 3, 22, 0, tzinfo=SHANGHAI)
    assert departs.tzinfo == UTC


def test_departure_after_cutoff_waits_for_friday_when_tuesdays_cutoff_is_missed():
    compiled = CompiledSchedule(TUE_FRI_22, "Asia/Shanghai")
    ready = datetime(2026, 3, 3, 14, 1, tzinfo=SHANGHAI)  # one minute after Tuesday's cut-off
    departs = departure_after_cutoff(compiled, ready_at=ready, cutoff_hours=8)
    assert departs == datetime(2026, 3, 6, 22, 0, tzinfo=SHANGHAI)


def test_next_departure_wraps_to_next_week():
    compiled = CompiledSchedule(TUE_FRI_22, "Asia/Shanghai")
    saturday = datetime(2026, 3, 7, 9, 0, tzinfo=SHANGHAI)
    assert compiled.next_departure(saturday) == datetime(2026, 3, 10, 22, 0, tzinfo=SHANGHAI)


def test_next_departure_keeps_local_wall_time_across_daylight_saving():
    brussels = ZoneInfo("Europe/Brussels")
    daily = CompiledSchedule(WeeklySchedule(tuple(range(7)), (time(22, 0),)), "Europe/Brussels")
    # Clocks go forward on Sunday 29 March 2026: 22:00 is 21:00 UTC before, 20:00 UTC after.
    before = daily.next_departure(datetime(2026, 3, 28, 12, 0, tzinfo=brussels))
    after = daily.next_departure(datetime(2026, 3, 29, 12, 0, tzinfo=brussels))
    assert before == datetime(2026, 3, 28, 21, 0, tzinfo=UTC)
    assert after == datetime(2026, 3, 29, 20, 0, tzinfo=UTC)


def test_remembered_departures_are_the_ones_worked_out_and_stay_bounded(monkeypatch):
    """`next_departure` remembers its answers per schedule (later legs ask the same instants on
    every quote): what it remembers is what it would work out, for any zone the instant is in
    (equal instants share an answer), across a DST change, and it never grows past its bound."""
    from datetime import timedelta

    from logistics.routing import schedule as module

    brussels = ZoneInfo("Europe/Brussels")
    daily = CompiledSchedule(WeeklySchedule(tuple(range(7)), (time(2, 30), time(22, 0))), "Europe/Brussels")
    start = datetime(2026, 3, 27, 0, 0, tzinfo=UTC)  # the spring-forward weekend
    instants = [start + timedelta(minutes=37 * step) for step in range(400)]
    for instant in instants:
        for asked in (instant, instant.astimezone(brussels), instant.astimezone(SHANGHAI)):
            assert daily.next_departure(asked) == daily._next_departure(instant)
    assert len(daily._departures) == len(instants)  # one entry per instant, whatever its zone

    monkeypatch.setattr(module, "DEPARTURES_REMEMBERED", 50)
    for instant in instants:
        daily.next_departure(instant + timedelta(seconds=1))
        assert len(daily._departures) <= 50
