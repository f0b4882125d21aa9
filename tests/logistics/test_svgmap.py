"""The SVG map is drawn from plain data; no database needed."""

import xml.etree.ElementTree as ET

from logistics.svgmap import MapHub, MapLane, render

SVG = "{http://www.w3.org/2000/svg}"


def test_render_draws_parallel_and_reverse_lanes_as_separate_arcs_and_escapes_text():
    hubs = [
        MapHub("KUL", "Kuala Lumpur <e-Hub>", 2.7, 101.7, "active"),
        MapHub("BKK", "Bangkok & EEC", 13.7, 100.8, "suspended", "Suspended", "flood"),
    ]
    lanes = [
        MapLane("KUL", "BKK", "road", "Road", True, 7, 60),
        MapLane("KUL", "BKK", "air", "Air", True, 7, 24),
        MapLane("BKK", "KUL", "air", "Air", False, 7, 24),
    ]
    root = ET.fromstring(str(render(hubs, lanes)))  # noqa: S314 - our own output; must be well-formed
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
