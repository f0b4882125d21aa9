"""The network's load for operators: per hub, the parcels there now, those on their way, the sort
backlog against the hub's daily capacity, customs holds and late parcels.

Figures come from the legs' actual times and the tracking events the simulated e-hub writes, in a
constant number of queries for the whole network (one grouped query per figure), so the dashboard
and `GET /api/v1/hubs/{code}/load/` cost the same with 10 parcels or 10,000.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from logistics.clock import simulation_now
from logistics.models import (
    Hub,
    Shipment,
    ShipmentLeg,
    ShipmentStatus,
    TrackingEvent,
    TrackingStatus,
)

SORT_WINDOW = timedelta(hours=24)
BUSY_AT = Decimal("0.75")  # share of the daily sort capacity from which a hub counts as busy
OVERLOADED_AT = Decimal("1")  # more work than a day's sorting: parcels queue


class LoadStatus(models.TextChoices):
    """How a hub copes, by utilisation: the dashboard's colours and the API's `status`."""

    NORMAL = "normal", _("normal")  # below BUSY_AT
    BUSY = "busy", _("busy")  # from BUSY_AT up to its capacity
    OVERLOADED = "overloaded", _("overloaded")  # over its capacity: parcels queue for sorting
    UNKNOWN = "unknown", _("capacity unknown")  # no sort capacity recorded for the hub


@dataclass(frozen=True, slots=True)
class HubLoad:
    hub: Hub
    at_hub: int  # arrived here and not yet left (sorting, customs, waiting for a departure)
    awaiting_sort: int  # of those, not sorted yet: the backlog
    inbound: int  # on a leg to this hub now (departed, not arrived)
    sorted_last_24h: int
    held_in_customs: int  # held by customs here and not released
    late: int  # at or on their way to this hub, expected after the promised delivery
    as_of: datetime

    @property
    def sort_capacity_per_day(self) -> int:
        return self.hub.sort_capacity_per_day

    @property
    def utilisation(self) -> Decimal | None:
        """The sorting asked of the hub over a day — sorted in the last 24 hours plus the backlog —
        against its daily capacity; above 1 parcels queue. None when no capacity is recorded."""
        capacity = self.hub.sort_capacity_per_day
        if not capacity:
            return None
        return (Decimal(self.sorted_last_24h + self.awaiting_sort) / capacity).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def status(self) -> LoadStatus:
        utilisation = self.utilisation
        if utilisation is None:
            return LoadStatus.UNKNOWN
        if utilisation >= OVERLOADED_AT:
            return LoadStatus.OVERLOADED
        if utilisation >= BUSY_AT:
            return LoadStatus.BUSY
        return LoadStatus.NORMAL


def load_now() -> datetime:
    """The time the figures are taken at: the simulation's time, read and never advanced (a page
    view must not write), so a fast demo clock and its events agree."""
    return simulation_now(read_only=True)


def _legs_ending_here(legs: QuerySet[ShipmentLeg], now: datetime) -> QuerySet[ShipmentLeg]:
    """The legs a parcel is at the end of now: it arrived on the leg and no later leg has left yet."""
    left_since = ShipmentLeg.objects.filter(
        shipment=OuterRef("shipment"), sequence__gt=OuterRef("sequence"), actual_departure__isnull=False
    )
    return (
        legs.filter(actual_arrival__isnull=False, actual_arrival__lte=now)
        .alias(left=Exists(left_since))
        .filter(left=False)
    )


def shipments_at_hub(code: str, *, now: datetime | None = None) -> QuerySet[Shipment]:
    """In-transit shipments at the hub now (the dashboard's "at hub" figure, as a list)."""
    legs = _legs_ending_here(ShipmentLeg.objects.filter(to_hub__code=code.upper()), now or load_now())
    return Shipment.objects.filter(status=ShipmentStatus.IN_TRANSIT, pk__in=legs.values("shipment_id"))


def _counts(queryset, group: str, **aggregates) -> dict[int, dict[str, int]]:
    return {row.pop(group): row for row in queryset.values(group).order_by().annotate(**aggregates)}


def network_load(*, now: datetime | None = None, hub_code: str | None = None) -> list[HubLoad]:
    """Every hub's load (or one hub's, by code), ordered by code, in five queries."""
    now = now or load_now()
    hubs = Hub.objects.order_by("code")
    if hub_code is not None:
        hubs = hubs.filter(code=hub_code)
    hubs = list(hubs)
    if not hubs:
        return []
    hub_ids = [hub.pk for hub in hubs]
    late = Q(shipment__eta__gt=F("shipment__promised_delivery"))
    moving = ShipmentLeg.objects.filter(shipment__status=ShipmentStatus.IN_TRANSIT, to_hub__in=hub_ids)

    sorted_here = TrackingEvent.objects.filter(
        shipment=OuterRef("shipment"),
        hub=OuterRef("to_hub"),
        substatus="sorted",
        occurred_at__gte=OuterRef("actual_arrival"),
    )
    at_hub = _counts(
        _legs_ending_here(moving, now).alias(is_sorted=Exists(sorted_here)),
        "to_hub",
        at_hub=Count("id"),
        awaiting_sort=Count("id", filter=Q(is_sorted=False)),
        late=Count("id", filter=late),
    )
    inbound = _counts(
        moving.filter(actual_departure__isnull=False).filter(
            Q(actual_arrival__isnull=True) | Q(actual_arrival__gt=now)
        ),
        "to_hub",
        inbound=Count("id"),
        late=Count("id", filter=late),
    )
    sorted_recently = _counts(
        TrackingEvent.objects.filter(
            hub__in=hub_ids, substatus="sorted", occurred_at__gt=now - SORT_WINDOW, occurred_at__lte=now
        ),
        "hub",
        sorted=Count("id"),
    )
    released = TrackingEvent.objects.filter(
        shipment=OuterRef("shipment"),
        status=TrackingStatus.CUSTOMS,
        substatus="released",
        occurred_at__gte=OuterRef("occurred_at"),
    )
    held = _counts(
        TrackingEvent.objects.filter(
            hub__in=hub_ids,
            status=TrackingStatus.CUSTOMS,
            substatus="held",
            occurred_at__lte=now,
            shipment__status=ShipmentStatus.IN_TRANSIT,
        )
        .alias(released=Exists(released.filter(occurred_at__lte=now)))
        .filter(released=False),
        "hub",
        held=Count("shipment", distinct=True),
    )
    empty: dict[str, int] = {}
    return [
        HubLoad(
            hub=hub,
            at_hub=at_hub.get(hub.pk, empty).get("at_hub", 0),
            awaiting_sort=at_hub.get(hub.pk, empty).get("awaiting_sort", 0),
            inbound=inbound.get(hub.pk, empty).get("inbound", 0),
            sorted_last_24h=sorted_recently.get(hub.pk, empty).get("sorted", 0),
            held_in_customs=held.get(hub.pk, empty).get("held", 0),
            late=at_hub.get(hub.pk, empty).get("late", 0) + inbound.get(hub.pk, empty).get("late", 0),
            as_of=now,
        )
        for hub in hubs
    ]


def hub_load(code: str, *, now: datetime | None = None) -> HubLoad | None:
    """One hub's load by its code (any case); None for an unknown code."""
    loads = network_load(now=now, hub_code=code.upper())
    return loads[0] if loads else None


def shipments_through_hub(code: str) -> QuerySet[Shipment]:
    """Shipments with a leg from or to the hub (planned or done): the admin's hub filter."""
    legs = ShipmentLeg.objects.filter(shipment=OuterRef("pk")).filter(
        Q(from_hub__code=code.upper()) | Q(to_hub__code=code.upper())
    )
    return Shipment.objects.filter(Exists(legs))
