"""The Network page's quote as summary cards: each route's total in the visitor's currency, its
arrival day in the destination's time, its hubs as city names, and for alternatives what they trade
against the best route (faster for more money, cheaper for more time).

Plain reads: the planner's `Quote`, the hubs (for cities and time zones) and the rates in force.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ewtp.money import Money
from logistics import map as network_map_geometry
from logistics.models import Hub
from logistics.routing.model import LegKind, Preference, Quote, Route
from logistics.selectors.tracking import days_until
from marketplace.pricing.fx import Rates

BEST_LABELS = {
    Preference.CHEAPEST: _("Cheapest route"),
    Preference.FASTEST: _("Fastest route"),
    Preference.BALANCED: _("Best balance of cost and time"),
}
TRADE_LABELS = {
    "faster": _("Faster"),
    "cheaper": _("Cheaper"),
    "better": _("Faster and cheaper"),
    "other": _("Another route"),
}


@dataclass(frozen=True)
class RouteCard:
    route: Route
    kind: str  # best | faster | cheaper | better (faster and cheaper) | other
    label: str
    cost: Money  # what the planner charges (its currency, USD)
    total: Money  # in the visitor's currency when a rate is known, else `cost`
    arrives: datetime  # in the destination hub's time zone
    days: int  # calendar days from today to arrival, destination time
    cities: list[str]
    hubs: tuple[str, ...]
    time_saved: timedelta | None = None  # against the best route: positive = sooner
    cost_saved: Money | None = None  # against the best route, in `total`'s currency: positive = less

    @property
    def is_converted(self) -> bool:
        return self.total.currency != self.cost.currency

    @property
    def hours_sooner(self) -> int:
        return round(self.time_saved.total_seconds() / 3600) if self.time_saved else 0

    @property
    def hours_later(self) -> int:
        return -self.hours_sooner

    @property
    def days_sooner(self) -> int:
        return round(self.hours_sooner / 24)

    @property
    def days_later(self) -> int:
        return -self.days_sooner

    @property
    def cost_less(self) -> Money | None:
        return self.cost_saved if self.cost_saved and self.cost_saved.amount > 0 else None

    @property
    def cost_more(self) -> Money | None:
        if self.cost_saved and self.cost_saved.amount < 0:
            return Money(-self.cost_saved.amount, self.cost_saved.currency)
        return None


def _kind(route: Route, best: Route) -> str:
    sooner = route.estimated_delivery < best.estimated_delivery
    cheaper = route.cost < best.cost
    if sooner and cheaper:
        return "better"
    if sooner:
        return "faster"
    if cheaper:
        return "cheaper"
    return "other"


def _card(
    route: Route,
    *,
    kind: str,
    label: str,
    currency: str,
    rates: Rates,
    hubs: Mapping[str, Hub],
    now: datetime,
    best: RouteCard | None = None,
) -> RouteCard:
    cost = Money(route.cost, route.currency).quantized()
    total = rates.convert(cost, currency) or cost
    codes = route.hubs
    last = hubs.get(codes[-1]) if codes else None
    zone = ZoneInfo(last.timezone) if last else ZoneInfo("UTC")
    arrives = route.estimated_delivery.astimezone(zone)
    time_saved = cost_saved = None
    if best is not None:
        time_saved = best.route.estimated_delivery - route.estimated_delivery
        if total.currency == best.total.currency:
            cost_saved = best.total - total
    return RouteCard(
        route=route,
        kind=kind,
        label=str(label),
        cost=cost,
        total=total,
        arrives=arrives,
        days=days_until(arrives, now=now, zone=zone),
        cities=[hubs[code].city if code in hubs else code for code in codes],
        hubs=codes,
        time_saved=time_saved,
        cost_saved=cost_saved,
    )


def quote_cards(
    quote: Quote,
    *,
    preference: Preference,
    currency: str,
    rates: Rates,
    hubs: Mapping[str, Hub],
    now: datetime | None = None,
) -> list[RouteCard]:
    """The best route first, then each alternative labelled by what it trades against it."""
    if quote.route is None:
        return []
    now = now or timezone.now()
    common = {"currency": currency, "rates": rates, "hubs": hubs, "now": now}
    best = _card(quote.route, kind="best", label=BEST_LABELS[preference], **common)
    cards = [best]
    for route in quote.alternatives:
        kind = _kind(route, quote.route)
        cards.append(_card(route, kind=kind, label=TRADE_LABELS[kind], best=best, **common))
    return cards


def route_map(
    drawn: network_map_geometry.NetworkMap | None, route: Route
) -> network_map_geometry.NetworkMap | None:
    """The network map with `route`'s hubs and line-haul lanes highlighted."""
    modes = [str(leg.mode) for leg in route.legs if leg.kind == LegKind.LINE_HAUL]
    return network_map_geometry.highlight_route(drawn, route.hubs, modes)
