"""A hub's daily sort capacity: which local day a parcel is sorted on, and how long it waits for it.

A hub sorts at most `capacity` parcels per local day (0 = no limit). A parcel is booked on the day it
arrives when that day has room; otherwise on the next day with room, where sorting starts at local
midnight — the backlog that delays parcels at a saturated hub. Pure: the caller reads and stores the
per-day counters (`logistics.models.HubSortDay`), in arrival order, so the outcome is deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def hub_day(at: datetime, timezone: str) -> date:
    """The hub's local date at `at`."""
    return at.astimezone(ZoneInfo(timezone)).date()


def day_starts(day: date, timezone: str) -> datetime:
    """Local midnight of `day` at the hub, in UTC."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def sort_days(arrivals: Iterable[date], capacity: int, booked: dict[date, int]) -> list[date]:
    """The day each parcel (given by its arrival day, in arrival order) is sorted on: its arrival day
    if the hub has room then, else the next day with room. `booked` holds the parcels already booked
    per day and is updated in place. A capacity of 0 never delays."""
    days = []
    for arrival in arrivals:
        day = arrival
        if capacity > 0:
            while booked.get(day, 0) >= capacity:
                day += timedelta(days=1)
        booked[day] = booked.get(day, 0) + 1
        days.append(day)
    return days


def sort_delay(arrives_at: datetime, timezone: str, day: date) -> timedelta:
    """How long a parcel that arrived at `arrives_at` waits before sorting starts on `day`."""
    return max(timedelta(0), day_starts(day, timezone) - arrives_at)
