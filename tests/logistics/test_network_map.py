"""The network map: geometry from plain data (no database), drawn by an autoescaping template."""

import xml.etree.ElementTree as ET

from django.template.loader import render_to_string

from logistics.map import MapHub, MapLane, network_map

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
