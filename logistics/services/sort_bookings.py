"""Sorting at a hub, booked against its daily sort capacity (`HubSortDay`): a parcel that arrives
when the day is full is sorted the next day with room, and everything after it moves with it.
Called by the simulation's tick for the parcels that just reached a hub.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Protocol

from django.db import connection
from django.db.models import Q

from ewtp.db import advisory_xact_lock
from logistics.models import HubSortDay
from logistics.simulation import sorting
from logistics.simulation.timeline import HubInfo

# Postgres advisory-lock namespace of a hub's sort bookings (the second key is the hub's id).
SORT_LOCK = 0x534F5254  # "SORT"


class SortingHub(Protocol):
    info: HubInfo
    sort_capacity: int


class Arrival(Protocol):
    """A leg that just reached a hub: its sort day and delay are set here."""

    to_hub_id: int
    actual_arrival: datetime
    sort_day: date | None
    sort_delay: timedelta


def sorting_book(arrivals: list[tuple[int, Arrival]], hubs: dict[int, SortingHub]) -> None:
    """Book each parcel's sorting at the hub it just reached, in arrival order: its arrival day when
    the hub has room, else the next day with room (`leg.sort_day`, `leg.sort_delay`). A hub's
    bookings are serialised by a transaction lock, so concurrent ticks never exceed its capacity."""
    by_hub: dict[int, list[tuple[datetime, int, Arrival]]] = defaultdict(list)
    for shipment_id, leg in arrivals:
        by_hub[leg.to_hub_id].append((leg.actual_arrival, shipment_id, leg))
    hub_ids = sorted(by_hub)
    _lock(hub_ids)
    first_day = {
        pk: min(sorting.hub_day(at, hubs[pk].info.timezone) for at, _pk, _leg in by_hub[pk]) for pk in hub_ids
    }
    booked: dict[int, dict] = defaultdict(dict)
    rows = HubSortDay.objects.filter(
        Q.create([Q(hub_id=pk, day__gte=day) for pk, day in first_day.items()], connector=Q.OR)
    )
    for hub_id, day, parcels in rows.values_list("hub_id", "day", "parcels"):
        booked[hub_id][day] = parcels
    changed = []
    for pk in hub_ids:
        hub = hubs[pk]
        zone = hub.info.timezone
        arrivals = sorted(by_hub[pk], key=lambda arrival: arrival[:2])
        before = dict(booked[pk])
        days = sorting.sort_days(
            [sorting.hub_day(at, zone) for at, _pk, _leg in arrivals], hub.sort_capacity, booked[pk]
        )
        for (at, _pk, leg), day in zip(arrivals, days, strict=True):
            leg.sort_day = day
            leg.sort_delay = sorting.sort_delay(at, zone, day)
        changed += [
            HubSortDay(hub_id=pk, day=day, parcels=n) for day, n in booked[pk].items() if before.get(day) != n
        ]
    HubSortDay.objects.bulk_create(
        changed, update_conflicts=True, unique_fields=["hub", "day"], update_fields=["parcels"]
    )


def _lock(hub_ids: list[int]) -> None:
    """One booker per hub at a time, until commit (in id order: no deadlock between ticks). SQLite
    (the zero-configuration demo) has a single writer anyway."""
    if connection.vendor != "postgresql":
        return
    for pk in hub_ids:
        advisory_xact_lock(SORT_LOCK, pk)
