"""The route planner: which hubs and lanes a parcel takes, when it leaves and arrives, what it costs.

Pure: the network comes in as plain dataclasses (built by `logistics.selectors` from the database,
or by `logistics.reference_data` from the demo CSVs) and quotes go out as dataclasses.

How a quote is found
--------------------
1. `Planner(network)` builds a directed graph once (cache it per network version): hub nodes, one
   edge per hub pair carrying *all* its usable lanes (parallel lanes — a road and an air lane
   KUL→BKK — stay separate candidates), plus a virtual node per country on each side
   (`("from", "CN")` → every hub serving China; every hub serving Rwanda → `("to", "RW")`).
   Suspended hubs, inactive lanes and lanes without departures are left out of the graph.
2. Candidate hub paths come from networkx: the exact cheapest path for this parcel (Dijkstra with
   a weight function pricing each edge's cheapest lane at this chargeable weight), and the k best
   simple paths by expected hours and by rate per kg (Yen's algorithm, memoised per country pair).
3. Each candidate is expanded into its lane combinations and evaluated against the schedules:
   first mile → handling at the hub → wait for the first departure the cut-off allows → transit →
   handling at the next hub … → import clearance at the last hub → last mile. Taking the earliest
   feasible departure at every hop is optimal for a fixed lane sequence (departures are FIFO).
4. Routes are ranked by the preference:
   - `cheapest`: cost, then delivery time. Exact: the cheapest path is always a candidate.
   - `fastest`: delivery time, then cost. Best among the candidates (exact whenever the network has
     no more simple paths than the candidate budget, as on the demo network).
   - `balanced`: minimises cost / cheapest cost + hours / fastest hours over the candidates — both
     criteria count equally, relative to the best found for this parcel.

Timeline conventions: a degraded hub adds `DEGRADED_DELAY_HOURS` to its handling; import clearance
applies at the last hub when the parcel crosses a border; first and last mile are couriers (mode
`road`) priced on actual weight; line-haul lanes price `max(minimum charge, rate × chargeable kg)`,
where air chargeable weight is max(actual, L×W×H cm / 6000). All money is USD Decimal, rounded to
the USD minor unit per leg by `ewtp.money.quantize` (Babel only, no Django) so that a route's
cost is exactly the sum of its legs.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import networkx as nx

from ewtp.money import quantum
from logistics.routing.memo import LruMemo
from logistics.routing.model import (
    PRE_CLEARED,
    USD,
    ZERO,
    Dimensions,
    HubData,
    HubStatus,
    LaneData,
    Leg,
    LegKind,
    Mode,
    Network,
    NoRouteReason,
    Preference,
    Quote,
    QuoteRequest,
    Route,
    chargeable_weight_kg,
    lane_cost,
)
from logistics.routing.schedule import CompiledSchedule, departure_after_cutoff

CANDIDATE_PATHS_PER_METRIC = 8
MAX_LANE_COMBINATIONS = 64
MAX_ALTERNATIVES = 3
MAX_MEMOISED_PAIRS = 20_000  # bounds the per-planner memo of candidate paths on big networks


# --- The planner -------------------------------------------------------------------------------

Node = Any  # a hub code, or ("from" | "to", country)
HubPaths = tuple[tuple[str, ...], ...]  # candidate paths as hub codes, best first


def origin_node(country: str) -> tuple[str, str]:
    return ("from", country)


def destination_node(country: str) -> tuple[str, str]:
    return ("to", country)


class Planner:
    """A network compiled for quoting. Build once per network version; `quote` may be called from
    several threads at once: the graph is only read, and the memo of candidate paths is a locked
    LRU (`memo.LruMemo`) that evicts one entry at a time."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self.hubs: dict[str, HubData] = {hub.code: hub for hub in network.hubs}
        self.schedules: dict[int, CompiledSchedule] = {}
        self.graph = nx.DiGraph()
        open_hubs = {code for code, hub in self.hubs.items() if hub.status != HubStatus.SUSPENDED}
        for code in open_hubs:
            hub = self.hubs[code]
            self.graph.add_node(code)
            for country in hub.serves:
                first = network.first_mile.get(country, network.default_first_mile)
                last = network.last_mile.get(country, network.default_last_mile)
                self.graph.add_edge(origin_node(country), code, hours=first.hours + hub.dwell_hours(), rate=0)
                self.graph.add_edge(code, destination_node(country), hours=last.hours, rate=0)
        for lane in network.lanes:
            if not lane.is_active or lane.origin not in open_hubs or lane.destination not in open_hubs:
                continue
            compiled = CompiledSchedule(lane.schedule, self.hubs[lane.origin].timezone)
            if not compiled:
                continue
            self.schedules[lane.id] = compiled
            if self.graph.has_edge(lane.origin, lane.destination):
                self.graph[lane.origin][lane.destination]["lanes"].append(lane)
            else:
                self.graph.add_edge(lane.origin, lane.destination, lanes=[lane])
        for _, destination, data in self.graph.edges(data=True):
            if "lanes" in data:
                data["hours"] = (
                    min(_expected_hours(lane) for lane in data["lanes"])
                    + self.hubs[destination].dwell_hours()
                )
                data["rate"] = min(lane.cost_per_kg for lane in data["lanes"])
        self._static_paths: LruMemo[tuple[frozenset[str], frozenset[str], str], HubPaths] = LruMemo(
            MAX_MEMOISED_PAIRS
        )
        self._reach: dict[str, frozenset[str]] = {}  # at most one entry per country: never evicted

    # -- public API --

    def quote(self, request: QuoteRequest) -> Quote:
        source, reason = self._source(request)
        target = destination_node(request.destination_country)
        if reason is None:
            reason = self._check_destination(request.destination_country)
        if reason is not None:
            return Quote(request=request, route=None, reason=reason)
        memo = _QuoteMemo()
        cost_weight = self._cost_weight(request, memo)
        try:
            cheapest = nx.shortest_path(self.graph, source, target, weight=cost_weight)
        except nx.NetworkXNoPath:
            return Quote(request=request, route=None, reason=NoRouteReason.NO_PATH)
        paths = [cheapest, *self._paths(source, target, "hours"), *self._paths(source, target, "rate")]
        routes: dict[tuple, Route] = {}
        seen_paths: set[tuple] = set()
        for path in paths:
            if tuple(path) in seen_paths:
                continue
            seen_paths.add(tuple(path))
            for route in self._evaluate(request, path, memo):
                routes.setdefault(route.identity, route)
        ranked = rank(list(routes.values()), request.preference)
        if not ranked:
            return Quote(request=request, route=None, reason=NoRouteReason.NO_PATH)
        return Quote(request=request, route=ranked[0], alternatives=tuple(ranked[1 : 1 + MAX_ALTERNATIVES]))

    def origin_countries_shipping_to(self, destination_country: str) -> frozenset[str]:
        """Countries whose sellers can currently reach `destination_country` (any weight)."""
        reach = self._reach.get(destination_country)
        if reach is None:
            target = destination_node(destination_country)
            ancestors = nx.ancestors(self.graph, target) if target in self.graph else set()
            reach = frozenset(node[1] for node in ancestors if isinstance(node, tuple) and node[0] == "from")
            self._reach[destination_country] = reach
        return reach

    # -- internals --

    def _source(self, request: QuoteRequest) -> tuple[Node, NoRouteReason | None]:
        country = request.origin_country
        if request.origin_hub is not None:
            hub = self.hubs.get(request.origin_hub)
            if hub is None or (country not in hub.serves and not request.at_hub):
                return None, NoRouteReason.NO_ORIGIN_HUB
            if hub.code not in self.graph:
                return None, NoRouteReason.ORIGIN_HUBS_SUSPENDED
            return hub.code, None
        if origin_node(country) in self.graph:
            return origin_node(country), None
        if any(country in hub.serves for hub in self.hubs.values()):
            return None, NoRouteReason.ORIGIN_HUBS_SUSPENDED
        return None, NoRouteReason.NO_ORIGIN_HUB

    def _check_destination(self, country: str) -> NoRouteReason | None:
        if destination_node(country) in self.graph:
            return None
        if any(country in hub.serves for hub in self.hubs.values()):
            return NoRouteReason.DESTINATION_HUBS_SUSPENDED
        return NoRouteReason.NO_DESTINATION_HUB

    def _cost_weight(
        self, request: QuoteRequest, memo: _QuoteMemo
    ) -> Callable[[Node, Node, dict], Decimal | None]:
        weight, dimensions = request.weight_kg, request.dimensions_cm

        def cost(u: Node, v: Node, data: dict) -> Decimal | None:
            lanes = data.get("lanes")
            if lanes is None:
                return ZERO  # first/last mile cost the same whichever hub is used
            costs = [memo.lane_cost(lane, weight, dimensions) for lane in lanes if lane.capacity_kg >= weight]
            return min(costs) if costs else None  # None hides the edge from networkx

        return cost

    def _paths(self, source: Node, target: Node, metric: str) -> list[list[Node]]:
        """The k best simple paths by a static metric, memoised by the *hubs* at either end.

        A country's first-/last-mile edges add the same hours to every hub serving it, so the
        ranking of hub paths depends only on which hubs serve the two countries: Belgium and
        Germany (both served by LGG) share one entry.
        """
        key = (self._end_hubs(source, out=True), self._end_hubs(target, out=False), metric)

        def best_hub_paths() -> HubPaths:
            found = nx.shortest_simple_paths(self.graph, source, target, weight=metric)
            return tuple(
                tuple(node for node in path if not isinstance(node, tuple))
                for path in itertools.islice(found, CANDIDATE_PATHS_PER_METRIC)
            )

        hub_paths = self._static_paths.get_or_compute(key, best_hub_paths)
        if isinstance(source, tuple):
            return [[source, *hubs, target] for hubs in hub_paths]
        return [[*hubs, target] for hubs in hub_paths]  # starts at the source hub

    def _end_hubs(self, node: Node, *, out: bool) -> frozenset[str]:
        if not isinstance(node, tuple):
            return frozenset({node})
        return frozenset(self.graph.successors(node) if out else self.graph.predecessors(node))

    def _evaluate(self, request: QuoteRequest, path: list[Node], memo: _QuoteMemo) -> Iterable[Route]:
        hub_codes = path[1:-1] if isinstance(path[0], tuple) else path[:-1]
        options: list[list[LaneData]] = []
        for origin, destination in itertools.pairwise(hub_codes):
            usable = [
                lane
                for lane in self.graph[origin][destination]["lanes"]
                if lane.capacity_kg >= request.weight_kg
            ]
            if not usable:
                return
            options.append(usable)
        combinations = 1
        for usable in options:
            combinations *= len(usable)
        if combinations > MAX_LANE_COMBINATIONS:
            options = [self._cheapest_and_quickest(request, usable) for usable in options]
        for lanes in itertools.product(*options):
            yield self._timeline(request, hub_codes, lanes, memo)

    def _cheapest_and_quickest(self, request: QuoteRequest, lanes: list[LaneData]) -> list[LaneData]:
        cheapest = min(lanes, key=lambda lane: lane_cost(lane, request.weight_kg, request.dimensions_cm))
        quickest = min(lanes, key=_expected_hours)
        return [cheapest] if cheapest is quickest else [cheapest, quickest]

    def _timeline(
        self,
        request: QuoteRequest,
        hub_codes: list[str],
        lanes: tuple[LaneData, ...],
        memo: _QuoteMemo,
    ) -> Route:
        """The route's legs, timed from `request.ready_at`. A leg depends only on where it starts
        and when the parcel is ready there, so candidate routes of one quote that share a start
        share their legs (`memo`) instead of working out the same departures again."""
        weight, dimensions = request.weight_kg, request.dimensions_cm
        steps = memo.steps
        now = request.ready_at
        legs: list[Leg] = []
        if not request.at_hub:
            key = ("first", hub_codes[0])
            step = steps.get(key)
            if step is None:
                first = self.network.first_mile.get(request.origin_country, self.network.default_first_mile)
                arrives = now + timedelta(hours=first.hours)
                pickup = first.cost(weight)
                leg = Leg(LegKind.FIRST_MILE, None, hub_codes[0], Mode.ROAD, now, arrives, pickup, weight)
                step = steps[key] = (leg, arrives + timedelta(hours=self.hubs[hub_codes[0]].dwell_hours()))
            leg, now = step
            legs.append(leg)
        chargeable = weight
        for lane in lanes:
            key = (lane.id, now)
            step = steps.get(key)
            if step is None:
                departs = departure_after_cutoff(
                    self.schedules[lane.id], ready_at=now, cutoff_hours=lane.cutoff_hours
                )
                arrives = departs + timedelta(hours=lane.transit_hours)
                leg = Leg(
                    LegKind.LINE_HAUL,
                    lane.origin,
                    lane.destination,
                    lane.mode,
                    departs,
                    arrives,
                    memo.lane_cost(lane, weight, dimensions),
                    chargeable_weight_kg(weight, dimensions, lane.mode),
                    lane.id,
                )
                ready = arrives + timedelta(hours=self.hubs[lane.destination].dwell_hours())
                step = steps[key] = (leg, ready)
            leg, now = step
            chargeable = max(chargeable, leg.chargeable_weight_kg)
            legs.append(leg)
        key = ("last", hub_codes[-1], now)
        step = steps.get(key)
        if step is None:
            last = self.network.last_mile.get(request.destination_country, self.network.default_last_mile)
            final_hub = self.hubs[hub_codes[-1]]
            handed = now
            if request.origin_country != request.destination_country:
                handed += (
                    PRE_CLEARED if request.pre_declared else timedelta(hours=final_hub.import_clearance_hours)
                )
            delivered = handed + timedelta(hours=last.hours)
            cost = last.cost(weight)
            leg = Leg(LegKind.LAST_MILE, final_hub.code, None, Mode.ROAD, handed, delivered, cost, weight)
            step = steps[key] = (leg, delivered)
        leg, delivered = step
        legs.append(leg)
        return Route(
            legs=tuple(legs),
            cost=sum((leg.cost for leg in legs), Decimal(0)),
            chargeable_weight_kg=chargeable,
            ready_at=request.ready_at,
            estimated_delivery=delivered,
        )


class _QuoteMemo:
    """Work shared by the candidate routes of one quote (one parcel, one ready time): each lane's
    cost for the parcel, and each leg by where it starts and when the parcel is ready there.
    Lives for one `Planner.quote` call, so it needs no lock."""

    __slots__ = ("lane_costs", "steps")

    def __init__(self) -> None:
        self.lane_costs: dict[int, Decimal] = {}
        self.steps: dict[tuple, tuple[Leg, datetime]] = {}

    def lane_cost(self, lane: LaneData, weight_kg: Decimal, dimensions_cm: Dimensions | None) -> Decimal:
        found = self.lane_costs.get(lane.id)
        if found is None:
            found = self.lane_costs[lane.id] = lane_cost(lane, weight_kg, dimensions_cm)
        return found


def _expected_hours(lane: LaneData) -> float:
    """Cut-off + transit + the average wait for a departure (half the interval between them)."""
    average_wait = 168 / (2 * max(lane.schedule.departures_per_week, 1))
    return lane.cutoff_hours + lane.transit_hours + average_wait


def rank(routes: list[Route], preference: Preference) -> list[Route]:
    """Routes best first for the preference (see the module docstring for `balanced`)."""
    if not routes:
        return []
    if preference == Preference.CHEAPEST:
        return sorted(routes, key=lambda r: (r.cost, r.estimated_delivery, len(r.legs)))
    if preference == Preference.FASTEST:
        return sorted(routes, key=lambda r: (r.estimated_delivery, r.cost, len(r.legs)))
    best_cost = max(min(r.cost for r in routes), quantum(USD))
    best_hours = max(min(r.transit_hours for r in routes), Decimal("0.1"))
    return sorted(
        routes,
        key=lambda r: (r.cost / best_cost + r.transit_hours / best_hours, r.estimated_delivery, r.cost),
    )


def plan(network: Network, request: QuoteRequest) -> Quote:
    """One-off quote (builds the graph; keep a `Planner` when quoting repeatedly)."""
    return Planner(network).quote(request)
