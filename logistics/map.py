"""Geometry of the network map, drawn by a template (`logistics/_network_map.html`): no tiles, no
JavaScript, works offline.

Equirectangular projection (x ∝ longitude, y ∝ latitude) cropped to the hubs, a 30° graticule,
hubs as dots coloured by status, lanes as arcs (A→B and B→A bow to opposite sides, parallel lanes
further out) coloured by whether the planner may use them. This module only computes numbers and
labels; the template escapes everything it prints.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

HUB_COLOURS = {"active": "#0b6e4f", "degraded": "#c98a00", "suspended": "#a4461b"}
LANE_COLOURS = {"open": "#2a6fb0", "blocked": "#a4461b", "inactive": "#9aa3ad"}
# The operators' dashboard colours hubs by sort load instead (logistics.selectors.load.LoadStatus).
LOAD_COLOURS = {"normal": "#0b6e4f", "busy": "#c98a00", "overloaded": "#c0392b", "unknown": "#9aa3ad"}
ROUTE_COLOUR = "#d9480f"  # one parcel's (or one quote's) path, drawn over the network


@dataclass(frozen=True, slots=True)
class MapHub:
    code: str
    name: str
    latitude: float
    longitude: float
    status: str  # active | degraded | suspended
    status_label: str = ""
    status_reason: str = ""
    load: str = ""  # normal | busy | overloaded | unknown, on the operators' dashboard only
    load_label: str = ""


@dataclass(frozen=True, slots=True)
class MapLane:
    origin: str
    destination: str
    mode: str
    mode_label: str
    is_active: bool
    departures_per_week: int
    transit_hours: int


@dataclass(frozen=True, slots=True)
class GridLine:
    x1: float
    y1: float
    x2: float
    y2: float
    label: str
    label_x: float
    label_y: float
    stroke: str


@dataclass(frozen=True, slots=True)
class LanePath:
    d: str
    state: str  # open | blocked | inactive
    mode: str
    colour: str
    dashed: bool
    tip: str
    origin: str = ""
    destination: str = ""
    on_route: bool = False

    @property
    def marker(self) -> str:
        """Which arrowhead (`arrow-<marker>` in the template's defs) ends the arc."""
        return "route" if self.on_route else self.state


@dataclass(frozen=True, slots=True)
class HubDot:
    code: str
    x: float
    y: float
    status: str
    colour: str
    tip: str
    load: str = ""
    on_route: bool = False
    label_left: bool = False  # near the right edge: the code goes left of the dot, not off the map

    @property
    def label_x(self) -> float:
        return round(self.x - 9 if self.label_left else self.x + 9, 1)

    @property
    def label_anchor(self) -> str:
        return "end" if self.label_left else "start"

    @property
    def label_y(self) -> float:
        return round(self.y + 4, 1)

    @property
    def cross(self) -> str:
        """The path of the cross drawn over a suspended hub."""
        x, y = self.x, self.y
        return f"M{x - 4},{y - 4} L{x + 4},{y + 4} M{x - 4},{y + 4} L{x + 4},{y - 4}"


@dataclass(frozen=True, slots=True)
class LegendRow:
    colour: str
    label: str
    shape: str  # circle | cross | line | dash
    y: float

    @property
    def mark_y(self) -> float:
        return self.y - 4


@dataclass(frozen=True)
class NetworkMap:
    width: int
    height: int
    grid: list[GridLine] = field(default_factory=list)
    lanes: list[LanePath] = field(default_factory=list)
    hubs: list[HubDot] = field(default_factory=list)
    legend: list[LegendRow] = field(default_factory=list)
    arrow_colours: dict[str, str] = field(default_factory=lambda: dict(LANE_COLOURS))
    route: tuple[str, ...] = ()  # hub codes of a highlighted path, in order (`highlight_route`)

    @property
    def legend_height(self) -> int:
        return len(self.legend) * 18 + 8


def lane_state(lane: MapLane, hubs: dict[str, MapHub]) -> str:
    if not lane.is_active:
        return "inactive"
    if "suspended" in (hubs[lane.origin].status, hubs[lane.destination].status):
        return "blocked"
    return "open"


def _lane_tip(lane: MapLane, state: str) -> str:
    tip = _("%(origin)s → %(destination)s · %(mode)s · %(departures)s/week · %(hours)s h") % {
        "origin": lane.origin,
        "destination": lane.destination,
        "mode": lane.mode_label,
        "departures": lane.departures_per_week,
        "hours": lane.transit_hours,
    }
    if state == "inactive":
        tip += " · " + _("inactive")
    elif state == "blocked":
        tip += " · " + _("blocked by a suspended hub")
    return tip


def network_map(hubs: Iterable[MapHub], lanes: Iterable[MapLane], *, width: int = 960) -> NetworkMap | None:
    """Where everything goes on a `width`-wide map; None when there is no hub to draw."""
    hubs_by_code = {hub.code: hub for hub in hubs}
    lanes = [lane for lane in lanes if lane.origin in hubs_by_code and lane.destination in hubs_by_code]
    if not hubs_by_code:
        return None
    lons = [hub.longitude for hub in hubs_by_code.values()]
    lats = [hub.latitude for hub in hubs_by_code.values()]
    west, east = max(min(lons) - 15, -180), min(max(lons) + 15, 180)
    south, north = max(min(lats) - 12, -90), min(max(lats) + 12, 90)
    scale = width / (east - west)
    height = round((north - south) * scale)

    def project(lat: float, lon: float) -> tuple[float, float]:
        return round((lon - west) * scale, 1), round((north - lat) * scale, 1)

    grid = []
    for lon in range(math.ceil(west / 30) * 30, math.floor(east) + 1, 30):
        x, _y = project(0, lon)
        grid.append(GridLine(x, 0, x, height, f"{lon}°", x + 3, height - 4, "#d5dde6"))
    for lat in range(math.ceil(south / 30) * 30, math.floor(north) + 1, 30):
        _x, y = project(lat, 0)
        grid.append(GridLine(0, y, width, y, f"{lat}°", 3, y - 3, "#b9c4d0" if lat == 0 else "#d5dde6"))

    paths = []
    by_pair: dict[tuple[str, str], list[MapLane]] = defaultdict(list)
    for lane in lanes:
        by_pair[(lane.origin, lane.destination)].append(lane)
    for (origin, destination), pair_lanes in sorted(by_pair.items()):
        x1, y1 = project(hubs_by_code[origin].latitude, hubs_by_code[origin].longitude)
        x2, y2 = project(hubs_by_code[destination].latitude, hubs_by_code[destination].longitude)
        dx, dy = x2 - x1, y2 - y1
        for index, lane in enumerate(sorted(pair_lanes, key=lambda item: item.mode)):
            bow = 0.12 * (index + 1)  # perpendicular offset; the reverse direction bows the other way
            cx, cy = round((x1 + x2) / 2 - dy * bow, 1), round((y1 + y2) / 2 + dx * bow, 1)
            state = lane_state(lane, hubs_by_code)
            paths.append(
                LanePath(
                    d=f"M{x1},{y1} Q{cx},{cy} {x2},{y2}",
                    state=state,
                    mode=lane.mode,
                    colour=LANE_COLOURS[state],
                    dashed=state != "open",
                    tip=_lane_tip(lane, state),
                    origin=origin,
                    destination=destination,
                )
            )

    dots = []
    for hub in sorted(hubs_by_code.values(), key=lambda item: item.code):
        x, y = project(hub.latitude, hub.longitude)
        tip = f"{hub.code} · {hub.name} · {hub.status_label or hub.status}"
        if hub.status_reason:
            tip += f" ({hub.status_reason})"
        colour = HUB_COLOURS.get(hub.status, HUB_COLOURS["active"])
        if hub.load:
            tip += f" · {hub.load_label or hub.load}"
            if hub.status != "suspended":
                colour = LOAD_COLOURS.get(hub.load, LOAD_COLOURS["unknown"])
        dots.append(
            HubDot(
                code=hub.code,
                x=x,
                y=y,
                status=hub.status,
                colour=colour,
                tip=tip,
                load=hub.load,
                label_left=x > width - 80,  # room for a bold three-letter code at phone size
            )
        )

    if any(hub.load for hub in hubs_by_code.values()):
        hub_rows = [
            # Percentages as values: a literal "75% o…" reads as a format directive to gettext.
            (
                LOAD_COLOURS["normal"],
                _("hub sorting below %(share)s of its capacity") % {"share": "75%"},
                "circle",
            ),
            (
                LOAD_COLOURS["busy"],
                _("hub sorting %(share)s of its capacity") % {"share": "75–100%"},
                "circle",
            ),
            (LOAD_COLOURS["overloaded"], _("hub over its sort capacity"), "circle"),
            (LOAD_COLOURS["unknown"], _("hub without a sort capacity"), "circle"),
        ]
    else:
        hub_rows = [
            (HUB_COLOURS["active"], _("active hub"), "circle"),
            (HUB_COLOURS["degraded"], _("degraded hub"), "circle"),
        ]
    legend_rows = [
        *hub_rows,
        (HUB_COLOURS["suspended"], _("suspended hub"), "cross"),
        (LANE_COLOURS["open"], _("lane"), "line"),
        (LANE_COLOURS["blocked"], _("lane blocked by a suspended hub"), "dash"),
        (LANE_COLOURS["inactive"], _("inactive lane"), "dash"),
    ]
    legend = [
        LegendRow(colour, label, shape, 16 + row * 18)
        for row, (colour, label, shape) in enumerate(legend_rows)
    ]
    return NetworkMap(width=width, height=height, grid=grid, lanes=paths, hubs=dots, legend=legend)


def highlight_route(
    drawn: NetworkMap | None,
    hubs: Sequence[str],
    modes: Sequence[str | None] = (),
) -> NetworkMap | None:
    """The same map with one path picked out: its hubs and, between consecutive hubs, the lane of
    the given mode (`modes[i]` for `hubs[i]` → `hubs[i + 1]`; any lane of the pair when the mode is
    unknown or not drawn). Route lanes are drawn last, so they sit on top."""
    if drawn is None or not hubs:
        return drawn
    route = tuple(hubs)
    wanted: dict[tuple[str, str], str | None] = {}
    for index, pair in enumerate(zip(route, route[1:], strict=False)):
        wanted[pair] = modes[index] if index < len(modes) else None
    drawn_modes: dict[tuple[str, str], set[str]] = defaultdict(set)
    for lane in drawn.lanes:
        drawn_modes[(lane.origin, lane.destination)].add(lane.mode)

    def on_route(lane: LanePath) -> bool:
        pair = (lane.origin, lane.destination)
        if pair not in wanted:
            return False
        mode = wanted[pair]
        return mode is None or mode not in drawn_modes[pair] or lane.mode == mode

    lanes = [
        replace(lane, on_route=True, colour=ROUTE_COLOUR, dashed=False) if on_route(lane) else lane
        for lane in drawn.lanes
    ]
    lanes.sort(key=lambda lane: lane.on_route)  # stable: the rest keep their order
    dots = [replace(dot, on_route=dot.code in route) for dot in drawn.hubs]
    legend = [*drawn.legend, LegendRow(ROUTE_COLOUR, _("this route"), "line", 16 + len(drawn.legend) * 18)]
    return replace(
        drawn,
        lanes=lanes,
        hubs=dots,
        legend=legend,
        arrow_colours={**drawn.arrow_colours, "route": ROUTE_COLOUR},
        route=route,
    )
