"""What the marketplace needs from logistics, as a small interface registered at start-up.

`marketplace` never imports `logistics`; logistics calls `register_shipping(...)` in its
`AppConfig.ready()`. Without a registered provider the marketplace degrades gracefully
(no "ships to" filtering, no delivery estimate).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class ShippingEstimate:
    """The cheapest/fastest answer the network gives for one parcel, in the quote's currency."""

    cost_amount: Decimal
    currency: str
    estimated_delivery: datetime
    transit_hours: Decimal


class ShippingProvider(Protocol):
    def origin_countries_shipping_to(self, destination_country: str) -> frozenset[str]:
        """Countries from which goods can currently reach `destination_country`."""
        ...

    def estimate(
        self,
        *,
        origin_country: str,
        destination_country: str,
        weight_kg: Decimal,
        dimensions_cm: tuple[Decimal, Decimal, Decimal] | None = None,
    ) -> ShippingEstimate | None:
        """A shipping estimate, or None when no route exists."""
        ...


_provider: ShippingProvider | None = None


def register_shipping(provider: ShippingProvider) -> None:
    global _provider
    _provider = provider


def shipping() -> ShippingProvider | None:
    return _provider
