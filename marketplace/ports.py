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
    """

    id: str
    cost: Money
    estimated_delivery: datetime
    transit_hours: Decimal
    valid_until: datetime
    preference: str
    hubs: tuple[str, ...] = ()  # hub codes in route order, e.g. ("HGH", "DXB", "NBO")


class ShippingProvider(Protocol):
    def served_countries(self) -> frozenset[str]:
        """Countries the network delivers to right now (a hub serving them is open)."""
        ...

    def origin_countries_shipping_to(self, destination_country: str) -> frozenset[str]:
        """Countries from which goods can currently reach `destination_country`."""
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
