"""The network drawn as an SVG on the server: no tiles, no JavaScript, works offline.

Equirectangular projection (x ∝ longitude, y ∝ latitude) cropped to the hubs, a 30° graticule,
hubs as dots coloured by status, lanes as arcs (A→B and B→A bow to opposite sides, parallel lanes
further out) coloured by whether the planner may use them. Hover shows details (`<title>`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

HUB_COLOURS = {"active": "#0b6e4f", "degraded": "#c98a00", "suspended": "#a4461b"}
LANE_COLOURS = {"open": "#2a6fb0", "blocked": "#a4461b", "inactive": "#9aa3ad"}


@dataclass(frozen=True, slots=True)
class MapHub:
    code: str
    name: str
    latitude: float
    longitude: float
    status: str  # active | degraded | suspended
    status_label: str = ""
    status_reason: str = ""


@dataclass(frozen=True, slots=True)
class MapLane:
    origin: str
    destination: str
    mode: str
    mode_label: str
    is_active: bool
    departures_per_week: int
    transit_hours: int


def lane_state(lane: MapLane, hubs: dict[str, MapHub]) -> str:
    if not lane.is_active:
        return "inactive"
    if "suspended" in (hubs[lane.origin].status, hubs[lane.destination].status):
        return "blocked"
    return "open"


def render(hubs: Iterable[MapHub], lanes: Iterable[MapLane], *, width: int = 960) -> SafeString:
    hubs_by_code = {hub.code: hub for hub in hubs}
    lanes = [lane for lane in lanes if lane.origin in hubs_by_code and lane.destination in hubs_by_code]
    if not hubs_by_code:
        return mark_safe("")  # noqa: S308 - constant  # nosec B308
    lons = [hub.longitude for hub in hubs_by_code.values()]
    lats = [hub.latitude for hub in hubs_by_code.values()]
    west, east = max(min(lons) - 15, -180), min(max(lons) + 15, 180)
    south, north = max(min(lats) - 12, -90), min(max(lats) + 12, 90)
    scale = width / (east - west)
    height = round((north - south) * scale)

    def project(lat: float, lon: float) -> tuple[float, float]:
        return round((lon - west) * scale, 1), round((north - lat) * scale, 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="network-map" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="network-map-title">',
        f'<title id="network-map-title">{escape(_("Map of the e-hub network"))}</title>',
        "<defs>",
        *(
            f'<marker id="arrow-{state}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
            f'markerHeight="6" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
            for state, colour in LANE_COLOURS.items()
        ),
        "</defs>",
        f'<rect width="{width}" height="{height}" fill="#eef3f8"/>',
    ]
    for lon in range(math.ceil(west / 30) * 30, math.floor(east) + 1, 30):
        x, _y = project(0, lon)
        parts.append(f'<line x1="{x}" y1="0" x2="{x}" y2="{height}" stroke="#d5dde6" stroke-width="1"/>')
        parts.append(f'<text x="{x + 3}" y="{height - 4}" font-size="10" fill="#7a8694">{lon}°</text>')
    for lat in range(math.ceil(south / 30) * 30, math.floor(north) + 1, 30):
        _x, y = project(lat, 0)
        stroke = "#b9c4d0" if lat == 0 else "#d5dde6"
        parts.append(f'<line x1="0" y1="{y}" x2="{width}" y2="{y}" stroke="{stroke}" stroke-width="1"/>')
        parts.append(f'<text x="3" y="{y - 3}" font-size="10" fill="#7a8694">{lat}°</text>')

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
            dash = ' stroke-dasharray="5 4"' if state != "open" else ""
            tip = _("%(origin)s → %(destination)s · %(mode)s · %(departures)s/week · %(hours)s h") % {
                "origin": origin,
                "destination": destination,
                "mode": lane.mode_label,
                "departures": lane.departures_per_week,
                "hours": lane.transit_hours,
            }
            if state == "inactive":
                tip += " · " + _("inactive")
            elif state == "blocked":
                tip += " · " + _("blocked by a suspended hub")
            parts.append(
                f'<path class="lane lane-{state} mode-{escape(lane.mode)}" '
                f'd="M{x1},{y1} Q{cx},{cy} {x2},{y2}" '
                f'fill="none" stroke="{LANE_COLOURS[state]}" stroke-width="1.6" stroke-opacity="0.8"{dash} '
                f'marker-end="url(#arrow-{state})"><title>{escape(tip)}</title></path>'
            )

    for hub in sorted(hubs_by_code.values(), key=lambda item: item.code):
        x, y = project(hub.latitude, hub.longitude)
        colour = HUB_COLOURS.get(hub.status, HUB_COLOURS["active"])
        tip = f"{hub.code} · {hub.name} · {hub.status_label or hub.status}"
        if hub.status_reason:
            tip += f" ({hub.status_reason})"
        parts.append(f'<g class="hub hub-{escape(hub.status)}" data-code="{escape(hub.code)}">')
        parts.append(f"<title>{escape(tip)}</title>")
        if hub.status == "suspended":
            parts.append(
                f'<circle cx="{x}" cy="{y}" r="7" fill="#fff" stroke="{colour}" stroke-width="2.5" '
                f'stroke-dasharray="3 2"/><path d="M{x - 4},{y - 4} L{x + 4},{y + 4} M{x - 4},{y + 4} '
                f'L{x + 4},{y - 4}" stroke="{colour}" stroke-width="2"/>'
            )
        else:
            parts.append(
                f'<circle cx="{x}" cy="{y}" r="6" fill="{colour}" stroke="#fff" stroke-width="1.5"/>'
            )
        parts.append(
            f'<text x="{x + 9}" y="{y + 4}" font-size="12" font-weight="600" fill="#1d2430">'
            f"{escape(hub.code)}</text></g>"
        )

    legend = [
        (HUB_COLOURS["active"], _("active hub"), "circle"),
        (HUB_COLOURS["degraded"], _("degraded hub"), "circle"),
        (HUB_COLOURS["suspended"], _("suspended hub"), "cross"),
        (LANE_COLOURS["open"], _("lane"), "line"),
        (LANE_COLOURS["blocked"], _("lane blocked by a suspended hub"), "dash"),
        (LANE_COLOURS["inactive"], _("inactive lane"), "dash"),
    ]
    parts.append(
        f'<g class="legend" transform="translate(10,10)"><rect width="230" height="{len(legend) * 18 + 8}" '
        'fill="#fff" fill-opacity="0.85" stroke="#dde2e8"/>'
    )
    for row, (colour, label, shape) in enumerate(legend):
        y = 16 + row * 18
        if shape == "circle":
            parts.append(f'<circle cx="16" cy="{y - 4}" r="5" fill="{colour}"/>')
        elif shape == "cross":
            parts.append(
                f'<circle cx="16" cy="{y - 4}" r="5" fill="#fff" stroke="{colour}" stroke-width="2"/>'
            )
        else:
            dash = ' stroke-dasharray="5 4"' if shape == "dash" else ""
            parts.append(
                f'<line x1="6" y1="{y - 4}" x2="26" y2="{y - 4}" stroke="{colour}" stroke-width="2"{dash}/>'
            )
        parts.append(f'<text x="34" y="{y}" font-size="11" fill="#1d2430">{escape(label)}</text>')
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every dynamic value above is escaped  # nosec B308, B703
