"""What the marketplace needs from logistics, as a small interface registered at start-up.

`marketplace` never imports `logistics`; logistics calls `register_shipping(...)` in its
`AppConfig.ready()`. Without a registered provider the marketplace degrades gracefully
(no "ships to" filtering, no delivery estimate).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from ewtp.money import Money

PREFERENCES = ("fastest", "cheapest", "balanced")


@dataclass(frozen=True)
class ShippingQuote:
    """One priced route for one parcel, as the buyer saw it.

    `id` names this answer and `valid_until` says how long the price holds, so an order can
    snapshot exactly what was shown (cost, route, dates) and refuse a stale quote.
    `promised_delivery` is the date buyers are told (the ETA plus the network's buffer, to the end
    of that day); `estimated_delivery` is the route's own ETA.
    """

    id: str
    cost: Money
    estimated_delivery: datetime
    promised_delivery: datetime
    transit_hours: Decimal
    valid_until: datetime
    preference: str
    hubs: tuple[str, ...] = ()  # hub codes in route order, e.g. ("HGH", "DXB", "NBO")
    carriers: tuple[str, ...] = ()  # who operates the line-haul legs, in route order (names, no repeats)


class ShippingProvider(Protocol):
    def served_countries(self) -> frozenset[str]:
        """Countries the network delivers to right now (a hub serving them is open)."""
        ...

    def origin_countries_shipping_to(self, destination_country: str) -> frozenset[str]:
        """Countries from which goods can currently reach `destination_country`."""
        ...

    def hub_cities(self) -> tuple[tuple[str, str], ...]:
        """(city, country code) of the e-hubs open now, by city: the home page's story."""
        ...

    def largest_parcel_kg(self) -> Decimal | None:
        """The heaviest parcel any open lane takes; None when no lane is open."""
        ...

    def quote(
        self,
        *,
        origin_country: str,
        destination_country: str,
        weight_kg: Decimal,
        dimensions_cm: tuple[Decimal, Decimal, Decimal] | None = None,
        preference: str = "cheapest",
    ) -> ShippingQuote | None:
        """A priced route for the preference (`PREFERENCES`), or None when no route exists."""
        ...


_provider: ShippingProvider | None = None


def register_shipping(provider: ShippingProvider | None) -> None:
    global _provider
    _provider = provider


def shipping() -> ShippingProvider | None:
    return _provider


# --- Parcels: what a consignment's shipment looks like to the marketplace's pages ------------------


@dataclass(frozen=True)
class ParcelSummary:
    """A consignment's shipment as the seller's pages show it: the tracking number, whether it can
    be handed over (its route is planned), the drop-off hub and the route's cities, or why not."""

    tracking_number: str
    status: str  # the shipment's status: created routing routed in_transit delivered exception cancelled
    status_label: str
    can_hand_over: bool  # routed: the drop-off hub is known and departures are booked
    drop_off_city: str = ""
    drop_off_code: str = ""
    route_cities: tuple[str, ...] = ()  # the hubs' cities in route order
    exception: str = ""  # why the parcel cannot go on (no route, …), in the user's words
    hand_over_by: datetime | None = None  # the booked first departure: the parcel must be there by then


class ParcelProvider(Protocol):
    def parcels_for_consignments(self, consignment_ids: list[int]) -> dict[int, ParcelSummary]:
        """{consignment id: its parcel} for those that have a shipment, in a fixed number of queries."""
        ...


_parcels: ParcelProvider | None = None


def register_parcels(provider: ParcelProvider | None) -> None:
    global _parcels
    _parcels = provider


def parcels_for_consignments(consignment_ids: list[int]) -> dict[int, ParcelSummary]:
    """Empty without a registered provider (the pages then show no parcel and no hand-over)."""
    if _parcels is None or not consignment_ids:
        return {}
    return _parcels.parcels_for_consignments(list(consignment_ids))
# What the buyer should know about parcels on their way (re-routed around an outage, or waiting at
# a hub), registered by logistics: {consignment id: (notice in the active language, tracking number)}.
ParcelNotices = Callable[[list[int]], dict[int, tuple[str, str]]]
_parcel_notices: ParcelNotices | None = None


def register_parcel_notices(provider: ParcelNotices | None) -> None:
    global _parcel_notices
    _parcel_notices = provider


def parcel_notices(consignment_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Notices for these consignments' parcels; empty without logistics (or without parcels)."""
    if _parcel_notices is None or not consignment_ids:
        return {}
    return _parcel_notices(consignment_ids)
