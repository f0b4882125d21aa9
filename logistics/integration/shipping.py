"""The marketplace's view of logistics (`marketplace.ports.ShippingProvider`), backed by the planner."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ewtp.money import Money
from logistics.routing.model import Preference
from logistics.selectors import network as selectors
from marketplace.ports import ShippingQuote

# How long a quoted price holds: long enough to check out, short enough that schedules still match.
QUOTE_VALIDITY = timedelta(minutes=30)


def _carriers(route) -> tuple[str, ...]:
    """The line-haul legs' carriers by name, in route order, each once (one query)."""
    by_lane = selectors.carriers_of_lanes([leg.lane_id for leg in route.legs if leg.lane_id])
    names = [by_lane[leg.lane_id]["name"] for leg in route.legs if leg.lane_id in by_lane]
    return tuple(dict.fromkeys(names))


class NetworkShipping:
    """Answers from the current network; both calls reuse the planner cached per network version."""

    def served_countries(self) -> frozenset[str]:
        return selectors.served_countries()

    def largest_parcel_kg(self) -> Decimal | None:
        return selectors.largest_parcel_kg()

    def hub_cities(self) -> tuple[tuple[str, str], ...]:
        return selectors.hub_cities()

    def origin_countries_shipping_to(self, destination_country: str) -> frozenset[str]:
        return selectors.planner().origin_countries_shipping_to(destination_country)

    def quote(
        self,
        *,
        origin_country: str,
        destination_country: str,
        weight_kg: Decimal,
        dimensions_cm: tuple[Decimal, Decimal, Decimal] | None = None,
        preference: str = "cheapest",
    ) -> ShippingQuote | None:
        """The route for `preference`, priced in its currency, or None when no route exists."""
        try:
            quote = selectors.shipping_quote(
                origin_country=origin_country,
                destination_country=destination_country,
                weight_kg=weight_kg,
                dimensions_cm=dimensions_cm,
                preference=Preference(preference),
            )
        except selectors.NoRoute:
            return None
        route = quote.route
        assert route is not None
        return ShippingQuote(
            id=uuid.uuid4().hex,
            cost=Money(route.cost, route.currency),
            estimated_delivery=route.estimated_delivery,
            promised_delivery=selectors.delivery_promise(route),
            transit_hours=route.transit_hours,
            valid_until=timezone.now() + QUOTE_VALIDITY,
            preference=str(Preference(preference).value),
            hubs=route.hubs,
            carriers=_carriers(route),
        )
