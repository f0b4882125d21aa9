"""The marketplace's view of logistics (`marketplace.ports.ShippingProvider`), backed by the planner."""

from __future__ import annotations

from decimal import Decimal

from logistics.routing.planner import Preference
from logistics.selectors import network as selectors
from marketplace.ports import ShippingEstimate


class NetworkShipping:
    """Answers from the current network; both calls reuse the planner cached per network version."""

    def origin_countries_shipping_to(self, destination_country: str) -> frozenset[str]:
        return selectors.planner().origin_countries_shipping_to(destination_country)

    def estimate(
        self,
        *,
        origin_country: str,
        destination_country: str,
        weight_kg: Decimal,
        dimensions_cm: tuple[Decimal, Decimal, Decimal] | None = None,
    ) -> ShippingEstimate | None:
        """The cheapest route's price and delivery time, or None when no route exists."""
        try:
            quote = selectors.shipping_quote(
                origin_country=origin_country,
                destination_country=destination_country,
                weight_kg=weight_kg,
                dimensions_cm=dimensions_cm,
                preference=Preference.CHEAPEST,
            )
        except selectors.NoRoute:
            return None
        route = quote.route
        assert route is not None
        return ShippingEstimate(
            cost_amount=route.cost,
            currency=route.currency,
            estimated_delivery=route.estimated_delivery,
            transit_hours=route.transit_hours,
        )
