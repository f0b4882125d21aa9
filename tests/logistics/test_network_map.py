"""The network map: geometry from plain data (no database), drawn by an autoescaping template."""

import xml.etree.ElementTree as ET

from django.template.loader import render_to_string

from logistics.map import MapHub, MapLane, highlight_route, network_map

SVG = "{http://www.w3.org/2000/svg}"


def draw(hubs, lanes) -> ET.Element:
    svg = render_to_string("logistics/_network_map.html", {"map": network_map(hubs, lanes)})
    return ET.fromstring(svg)  # noqa: S314 - our own output; must be well-formed


def test_map_draws_parallel_and_reverse_lanes_as_separate_arcs_and_escapes_text():
    hubs = [
        MapHub("KUL", "Kuala Lumpur <e-Hub>", 2.7, 101.7, "active"),
        MapHub("BKK", "Bangkok & EEC", 13.7, 100.8, "suspended", "Suspended", "flood"),
    ]
    lanes = [
        MapLane("KUL", "BKK", "road", "Road", True, 7, 60),
        MapLane("KUL", "BKK", "air", "Air", True, 7, 24),
        MapLane("BKK", "KUL", "air", "Air", False, 7, 24),
    ]
    root = draw(hubs, lanes)
    paths = [p for p in root.iter(f"{SVG}path") if "lane" in p.get("class", "")]
    assert len(paths) == 3
    assert len({p.get("d") for p in paths}) == 3  # no two lanes drawn on top of each other
    assert sorted(p.get("class").split()[1] for p in paths) == [
        "lane-blocked",
        "lane-blocked",
        "lane-inactive",
    ]
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "KUL · Kuala Lumpur <e-Hub> · active" in titles
    assert "BKK · Bangkok & EEC · Suspended (flood)" in titles


def test_map_escapes_markup_in_hub_names_and_reasons():
    """Operators type hub names and suspension reasons; the template must escape them."""
    hubs = [
        MapHub("KUL", "<script>alert(1)</script>", 2.7, 101.7, "suspended", "Suspended", '"><svg onload=x>')
    ]
    svg = render_to_string("logistics/_network_map.html", {"map": network_map(hubs, [])})
    assert "<script>" not in svg and "<svg onload" not in svg
    assert "&lt;script&gt;" in svg


def test_suspended_hub_label_sits_beside_its_dot():
    (dot,) = network_map([MapHub("KUL", "KL", 2.7, 101.7, "suspended")], []).hubs
    assert (dot.label_x, dot.label_y) == (round(dot.x + 9, 1), round(dot.y + 4, 1))
    assert dot.cross.startswith(f"M{dot.x - 4},{dot.y - 4}")


def test_no_hubs_draws_nothing():
    assert network_map([], []) is None
    assert render_to_string("logistics/_network_map.html", {"map": None}).strip() == ""


def test_highlight_route_picks_out_the_hubs_and_the_lanes_of_the_path():
    hubs = [
        MapHub("HGH", "Hangzhou", 30.2, 120.2, "active"),
        MapHub("DXB", "Dubai", 25.2, 55.3, "active"),
        MapHub("NBO", "Nairobi", -1.3, 36.8, "active"),
        MapHub("LGG", "Liège", 50.6, 5.4, "active"),
    ]
    lanes = [
        MapLane("HGH", "DXB", "air", "Air", True, 7, 10),
        MapLane("HGH", "DXB", "sea", "Sea", True, 1, 400),
        MapLane("DXB", "HGH", "air", "Air", True, 7, 10),  # the way back is not on the route
        MapLane("DXB", "NBO", "air", "Air", True, 7, 5),
        MapLane("DXB", "LGG", "air", "Air", True, 7, 7),
    ]
    drawn = highlight_route(network_map(hubs, lanes), ["HGH", "DXB", "NBO"], ["air", "air"])
    assert drawn.route == ("HGH", "DXB", "NBO")
    assert sorted(dot.code for dot in drawn.hubs if dot.on_route) == ["DXB", "HGH", "NBO"]
    on_route = [(lane.origin, lane.destination, lane.mode) for lane in drawn.lanes if lane.on_route]
    assert on_route == [("DXB", "NBO", "air"), ("HGH", "DXB", "air")]
    assert drawn.lanes[-2:] == [lane for lane in drawn.lanes if lane.on_route]  # drawn on top
    root = ET.fromstring(render_to_string("logistics/_network_map.html", {"map": drawn}))  # noqa: S314
    assert "has-route" in root.get("class")
    marked = [g.get("data-code") for g in root.iter(f"{SVG}g") if "on-route" in g.get("class", "").split()]
    assert sorted(marked) == ["DXB", "HGH", "NBO"]
    paths = [p for p in root.iter(f"{SVG}path") if "on-route" in p.get("class", "").split()]
    assert len(paths) == 2 and {p.get("marker-end") for p in paths} == {"url(#arrow-route)"}
    assert "this route" in [t.text for t in root.iter(f"{SVG}text")]
    # A mode the map does not draw (or none given) highlights whatever lane joins the two hubs.
    any_mode = highlight_route(network_map(hubs, lanes), ["HGH", "DXB"], ["rail"])
    assert sorted(lane.mode for lane in any_mode.lanes if lane.on_route) == ["air", "sea"]
    assert highlight_route(None, ["HGH"]) is None
    assert network_map(hubs, lanes).route == ()


def test_a_hub_at_the_right_edge_is_labelled_to_its_left():
    drawn = network_map(
        [
            MapHub("HGH", "Hangzhou", 30.2, 120.2, "active"),
            MapHub("GRU", "São Paulo", -23.4, -46.5, "active"),
        ],
        [],
    )
    east = next(dot for dot in drawn.hubs if dot.code == "HGH")
    west = next(dot for dot in drawn.hubs if dot.code == "GRU")
    assert (east.label_anchor, east.label_x) == ("end", round(east.x - 9, 1))
    assert (west.label_anchor, west.label_x) == ("start", round(west.x + 9, 1))
