"""Weekly lane schedules: departures on given weekdays at given local times.

A lane departs from its origin hub, so its times are wall-clock times in the origin hub's
time zone (a 22:00 departure from Hangzhou stays 22:00 in Hangzhou whatever UTC says).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY


@dataclass(frozen=True, slots=True)
class WeeklySchedule:
    """Departures on every `weekdays` day (0 = Monday … 6 = Sunday) at every time in `times`."""

    weekdays: tuple[int, ...]
    times: tuple[time, ...]

    @property
    def departures_per_week(self) -> int:
        return len(set(self.weekdays)) * len(set(self.times))


# How `departures_per_week` from the reference data becomes a schedule (reference README:
# 2 → Tuesday and Friday 22:00, 7 → daily, 14 → twice daily). Other counts: spread over the week
# as evenly as whole days allow, evening departures like the published freighter rotations.
EVENING = time(22, 0)
MORNING = time(10, 0)
WEEKDAYS_FOR_COUNT: dict[int, tuple[int, ...]] = {
    1: (2,),  # Wednesday
    2: (1, 4),  # Tuesday, Friday
    3: (0, 2, 4),  # Monday, Wednesday, Friday
    4: (0, 1, 3, 4),  # Monday, Tuesday, Thursday, Friday
    5: (0, 1, 2, 3, 4),  # Monday to Friday
    6: (0, 1, 2, 3, 4, 5),  # Monday to Saturday
    7: (0, 1, 2, 3, 4, 5, 6),  # daily
}


def schedule_for_departures_per_week(count: int) -> WeeklySchedule:
    """The conventional schedule for `count` departures a week (1–7 daily at 22:00, 8–14 twice
    daily at 10:00 and 22:00 on as many days as needed)."""
    if not 1 <= count <= 14:
        raise ValueError(f"departures per week must be 1–14, not {count}")
    if count <= 7:
        return WeeklySchedule(WEEKDAYS_FOR_COUNT[count], (EVENING,))
    if count == 14:
        return WeeklySchedule(WEEKDAYS_FOR_COUNT[7], (MORNING, EVENING))
    # 8–13 cannot be "n days × same times"; approximate with twice daily on count // 2 days.
    return WeeklySchedule(WEEKDAYS_FOR_COUNT[count // 2], (MORNING, EVENING))


DEPARTURES_REMEMBERED = 4096  # per lane schedule


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


class CompiledSchedule:
    """A schedule fixed to a time zone, answering "next departure at or after" with a bisect."""

    __slots__ = ("_departures", "offsets", "zone")

    def __init__(self, schedule: WeeklySchedule, timezone: str) -> None:
        self._departures: dict[datetime, datetime] = {}  # not_before → departure (pure, bounded)
        self.zone = zone(timezone)
        self.offsets: list[int] = sorted(
            {
                day * MINUTES_PER_DAY + t.hour * 60 + t.minute
                for day in schedule.weekdays
                for t in schedule.times
            }
        )

    def __bool__(self) -> bool:
        return bool(self.offsets)

    def next_departure(self, not_before: datetime) -> datetime:
        """The first departure at or after `not_before` (aware), as an aware UTC datetime.

        Remembered per schedule: after the first leg, a parcel is ready at a scheduled arrival
        plus a dwell, the same instants for every quote over that lane, so most asks repeat."""
        found = self._departures.get(not_before)
        if found is None:
            if len(self._departures) >= DEPARTURES_REMEMBERED:
                self._departures.clear()
            found = self._departures[not_before] = self._next_departure(not_before)
        return found

    def _next_departure(self, not_before: datetime) -> datetime:
        if not self.offsets:
            raise ValueError("this lane has no departures")
        local = not_before.astimezone(self.zone)
        monday = datetime.combine(local.date() - timedelta(days=local.weekday()), time())
        minute = local.weekday() * MINUTES_PER_DAY + local.hour * 60 + local.minute
        if local.second or local.microsecond:
            minute += 1
        index = bisect_left(self.offsets, minute)
        # The loop only repeats when a wall-clock time falls into a DST gap and maps earlier.
        while True:
            week, slot = divmod(index, len(self.offsets))
            wall = monday + timedelta(minutes=week * MINUTES_PER_WEEK + self.offsets[slot])
            departure = wall.replace(tzinfo=self.zone).astimezone(UTC)
            if departure >= not_before:
                return departure
            index += 1


def departure_after_cutoff(compiled: CompiledSchedule, *, ready_at: datetime, cutoff_hours: int) -> datetime:
    """The first departure a parcel ready at the hub at `ready_at` can make: it must be there
    `cutoff_hours` before departure, otherwise it waits for the next one."""
    return compiled.next_departure(ready_at + timedelta(hours=cutoff_hours))
