"""The maps: real geography, far partners, labels that never collide, sizes at scale.

The SVG is checked as a reader would get it: the label boxes are recomputed from the
output (position, anchor, font size, text) and tested against each other, the dots and
the partner arcs; the browser tests in ``test_web_quality.py`` measure the real glyphs.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cityprofiles.pipeline import load_site
from cityprofiles.render import package_theme
from cityprofiles.render.features import map_data
from cityprofiles.render.maps import MapLine, MapPoint, split_far
from cityprofiles.render.maps.frame import WIDTH, Frame
from cityprofiles.render.maps.geodata import geography
from cityprofiles.render.maps.labels import (
    ASCENT,
    DESCENT,
    boxes_overlap,
    segment_hits_box,
    text_width,
)
from cityprofiles.render.maps.projection import Azimuthal, EqualEarth
from cityprofiles.render.maps.site_maps import city_figure, compare_figure
from cityprofiles.render.maps.svg import LAYERS, Texts, draw
from conftest import REPO

SVG = "{http://www.w3.org/2000/svg}"
TEXTS = Texts("Map", "A map.", "Far", "Far partners.")


def gettext(text: str) -> str:
    return text


def _point(key: str, lat: float, lon: float, profiled: bool = True) -> MapPoint:
    return MapPoint(key, key.title(), lat, lon, profiled)


UTRECHT = _point("utrecht", 52.09, 5.12)
GHENT = _point("ghent", 51.05, 3.72)
GRONINGEN = _point("groningen", 53.22, 6.57)
HAMBURG = _point("hamburg", 53.55, 9.99, profiled=False)
KANAZAWA = _point("kanazawa", 36.56, 136.66, profiled=False)
MANAGUA = _point("managua", 12.13, -86.25, profiled=False)


# -- reading the SVG back ---------------------------------------------------------------


def _svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg .*?</svg>", html, flags=re.S)]


def _arcs(svg: ET.Element) -> list[list[tuple[float, float]]]:
    arcs = []
    for path in svg.iter(f"{SVG}path"):
        if "cp-map__line" not in path.get("class", ""):
            continue
        x1, y1, cx, cy, x2, y2 = map(float, re.findall(r"-?\d+(?:\.\d+)?", path.get("d", "")))
        samples = []
        for i in range(33):
            t = i / 32
            u = 1 - t
            samples.append(
                (u * u * x1 + 2 * u * t * cx + t * t * x2, u * u * y1 + 2 * u * t * cy + t * t * y2)
            )
        arcs.append(samples)
    return arcs


def _label_boxes(svg: ET.Element) -> dict[str, list[tuple[str, tuple[float, float, float, float]]]]:
    """Per layer, each label's text and the box its letters cover (without the halo)."""
    layers = {}
    for group in svg.iter(f"{SVG}g"):
        found = re.search(r"cp-map__labels--(\w+)", group.get("class", ""))
        if not found:
            continue
        size = float(group.get("font-size", "0"))
        boxes = []
        for text in group.iter(f"{SVG}text"):
            label = text.text or ""
            x, y = float(text.get("x", "0")), float(text.get("y", "0"))
            w = text_width(label, size, "cp-map__label--city" in text.get("class", ""))
            anchor = text.get("text-anchor", "start")
            left = x if anchor == "start" else x - w if anchor == "end" else x - w / 2
            boxes.append((label, (left, y - ASCENT * size, left + w, y + DESCENT * size)))
        layers[found.group(1)] = boxes
    return layers


def _dots(svg: ET.Element) -> list[tuple[float, float, float]]:
    return [
        (float(c.get("cx", "0")), float(c.get("cy", "0")), float(c.get("r", "0")))
        for c in svg.iter(f"{SVG}circle")
    ]


def _collisions(svg: ET.Element) -> list[str]:
    """Every overlap of a label with another label, a dot or an arc, in every layer."""
    problems = []
    arcs = _arcs(svg)
    view = [float(v) for v in svg.get("viewBox", "").split()]
    radii = {layer.name: layer for layer in LAYERS}
    for name, boxes in _label_boxes(svg).items():
        for i, (text, box) in enumerate(boxes):
            if box[0] < 0 or box[1] < 0 or box[2] > view[2] or box[3] > view[3]:
                problems.append(f"{name}: {text} sticks out of the map")
            for other, box2 in boxes[i + 1 :]:
                if boxes_overlap(box, box2):
                    problems.append(f"{name}: {text} overlaps {other}")
            for samples in arcs:
                for (x1, y1), (x2, y2) in itertools.pairwise(samples):
                    if segment_hits_box((x1, y1, x2, y2), box):
                        problems.append(f"{name}: {text} lies on an arc")
                        break
            largest = max(radii[name].city_r, radii[name].partner_r)
            for x, y, _ in _dots(svg):
                r = largest
                if boxes_overlap(box, (x - r, y - r, x + r, y + r)):
                    # only a problem if the box really meets the circle
                    nx, ny = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
                    if math.hypot(nx - x, ny - y) < r - 0.5:
                        problems.append(f"{name}: {text} covers a dot")
    return problems


# -- the shipped site -------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_maps() -> dict[str, object]:
    site, _ = load_site(REPO)
    points, lines, _ = map_data(site, "en")
    locale = site.language("en").locale
    figures: dict[str, object] = {"compare": compare_figure(points, lines, gettext, locale)}
    for city in site.cities:
        figures[city.id] = city_figure(site, city, "en", gettext)
    return figures


def _svg_text(figure: object) -> str:
    svg = str(figure.svg)  # type: ignore[attr-defined]
    overview = figure.overview  # type: ignore[attr-defined]
    return svg + (str(overview) if overview else "")


def test_the_compare_map_shows_land_coastlines_and_borders(shipped_maps: dict[str, object]) -> None:
    main = _svgs(_svg_text(shipped_maps["compare"]))[0]
    paths = {p.get("class"): p.get("d", "") for p in main.iter(f"{SVG}path")}
    assert len(paths["cp-map__land"]) > 500, "the coastline of the Low Countries is drawn"
    assert len(paths["cp-map__borders"]) > 100, "the Dutch-German and Dutch-Belgian borders"
    assert main.find(f"{SVG}rect[@class='cp-map__sea']") is not None


def test_country_names_in_the_page_language_help_find_the_way(
    shipped_maps: dict[str, object],
) -> None:
    main = _svgs(_svg_text(shipped_maps["compare"]))[0]
    countries = [t.text for t in main.iter(f"{SVG}text") if "label--country" in t.get("class", "")]
    assert "Netherlands" in countries and "Germany" in countries
    site, _ = load_site(REPO)
    points, lines, _ = map_data(site, "nl")
    dutch = compare_figure(points, lines, gettext, site.language("nl").locale)
    assert ">Nederland</text>" in str(dutch.svg) and ">Netherlands</text>" not in str(dutch.svg)


def test_no_label_overlaps_another_a_dot_or_an_arc_on_any_shipped_map(
    shipped_maps: dict[str, object],
) -> None:
    problems = []
    drawn = 0
    for name, figure in shipped_maps.items():
        if figure is None:
            continue
        for svg in _svgs(_svg_text(figure)):
            drawn += 1
            problems += [f"{name}: {p}" for p in _collisions(svg)]
    assert drawn >= 4 and not problems, problems


def test_a_far_partner_gets_a_world_map_instead_of_shrinking_europe(
    shipped_maps: dict[str, object],
) -> None:
    compare = shipped_maps["compare"]
    main, overview = _svgs(_svg_text(compare))
    main_text = "".join(main.itertext())
    assert "Kanazawa" not in main_text and "Groningen" in main_text
    assert "Kanazawa" in "".join(overview.itertext())
    assert overview.find(f"{SVG}path[@class='cp-map__frame']") is not None
    drawing = draw([UTRECHT, GHENT, GRONINGEN, HAMBURG, KANAZAWA], [], TEXTS)
    assert drawing.span_km < 1200, "the main map stays at the scale of the Low Countries"
    assert [p.key for p in drawing.far] == ["kanazawa"]


def test_a_city_whose_only_partner_is_far_gets_one_map_with_both() -> None:
    drawing = draw([GHENT, KANAZAWA], [MapLine("ghent", "kanazawa", "sister")], TEXTS)
    assert drawing.overview is None and drawing.far == ()
    assert drawing.span_km > 9000
    text = "".join(ET.fromstring(drawing.svg).itertext())
    assert "Ghent" in text and "Kanazawa" in text


def test_partners_on_two_other_continents_share_one_world_map() -> None:
    lines = [MapLine("utrecht", "managua", "sister"), MapLine("ghent", "kanazawa", "sister")]
    drawing = draw([UTRECHT, GHENT, KANAZAWA, MANAGUA], lines, TEXTS)
    assert {p.key for p in drawing.far} == {"kanazawa", "managua"}
    assert drawing.overview is not None
    overview = ET.fromstring(drawing.overview)
    assert (
        len([p for p in overview.iter(f"{SVG}path") if "cp-map__line" in p.get("class", "")]) == 2
    )
    assert not _collisions(overview)


def test_far_is_measured_from_every_profiled_city() -> None:
    helsinki = _point("helsinki", 60.17, 24.94, profiled=False)
    lisbon = _point("lisbon", 38.72, -9.14)
    # Helsinki is 3 400 km from Lisbon: still Europe, still on the main map.
    assert split_far([lisbon, UTRECHT, helsinki]) == ([lisbon, UTRECHT, helsinki], [])
    assert split_far([UTRECHT, GHENT, KANAZAWA])[1] == [KANAZAWA]


def test_city_pages_get_a_map_of_the_city_and_its_partners(
    shipped_maps: dict[str, object],
) -> None:
    assert shipped_maps["utrecht"] is None, "no located partner, no map"
    groningen = _svgs(_svg_text(shipped_maps["groningen"]))
    assert len(groningen) == 1
    text = " ".join(groningen[0].itertext())
    assert "Groningen" in text and "Hamburg" in text
    assert len(_arcs(groningen[0])) == 3
    assert groningen[0].get("aria-labelledby") == "cp-city-map-title cp-city-map-desc"
    assert len(str(shipped_maps["groningen"].svg)) < 15_000  # type: ignore[attr-defined]


def test_the_same_places_give_the_same_svg() -> None:
    points = [UTRECHT, GHENT, GRONINGEN, HAMBURG, KANAZAWA]
    lines = [MapLine("groningen", "hamburg", "partner"), MapLine("ghent", "kanazawa", "sister")]
    first, second = draw(points, lines, TEXTS), draw(list(reversed(points)), lines[::-1], TEXTS)
    assert first.svg == second.svg and first.overview == second.overview


# -- labels -----------------------------------------------------------------------------


def test_each_label_layer_is_at_least_12px_at_the_narrowest_width_it_is_shown() -> None:
    css = (package_theme() / "static" / "css" / "map.css").read_text("utf-8")
    for layer in LAYERS:
        assert layer.size * layer.min_px / WIDTH >= 12, layer
    assert LAYERS[0].min_px <= 320 - 2 * 16, "a 320 px page has at least 16 px of padding"
    assert [layer.min_px for layer in LAYERS][1] <= 375 - 2 * 16
    # The container queries switch layers at exactly those widths, and dots grow as
    # the placement assumed.
    bounds = [layer.min_px for layer in LAYERS[1:]]
    assert f"@container (max-width: {bounds[0] - 0.02:g}px)" in css
    for low, high in itertools.pairwise(bounds):
        assert f"@container (min-width: {low:g}px) and (max-width: {high - 0.02:g}px)" in css
    for layer in LAYERS[:-1]:
        block = css[css.index(f".cp-map__labels--{layer.name} {{ display: inline; }}") :]
        block = block[: block.index("}\n}") + 1]
        assert f".cp-map__dot--city {{ r: {layer.city_r:g}px; }}" in block, layer
        assert f".cp-map__dot--partner {{ r: {layer.partner_r:g}px; }}" in block, layer


def _crowd(count: int, seed: int) -> tuple[list[MapPoint], list[MapLine]]:
    rng = random.Random(seed)
    points = [
        MapPoint(
            f"c{i:03d}",
            f"City {i} on the Rhine",
            rng.uniform(50.5, 53.5),
            rng.uniform(3.5, 7.5),
            True,
        )
        for i in range(count)
    ]
    lines = [
        MapLine(p.key, rng.choice(points).key, rng.choice(("sister", "partner"))) for p in points
    ]
    return points, lines


@pytest.mark.parametrize("count", [12, 40])
def test_crowded_maps_drop_labels_rather_than_overlap_them(count: int) -> None:
    points, lines = _crowd(count, seed=count)
    drawing = draw(points, lines, TEXTS)
    svg = ET.fromstring(drawing.svg)
    assert not _collisions(svg)
    layers = _label_boxes(svg)
    assert len(layers["s"]) <= len(layers["l"]) <= count and layers["l"], (
        "names are left out, not piled up"
    )


def test_labels_keep_off_the_arcs_and_each_other_in_a_tight_spot() -> None:
    hub = MapPoint("hub", "Amsterdam", 52.37, 4.90, True)
    spokes = [
        MapPoint(f"s{i}", name, 52.37 + 0.3 * math.sin(i), 4.90 + 0.45 * math.cos(i), False)
        for i, name in enumerate(
            ["Haarlem", "Zaandam", "Almere", "Hilversum", "Leiden", "Purmerend"]
        )
    ]
    lines = [MapLine("hub", s.key, "partner") for s in spokes]
    svg = ET.fromstring(draw([hub, *spokes], lines, TEXTS).svg)
    assert _label_boxes(svg)["l"], "some labels fit"
    assert not _collisions(svg)


# -- scale ------------------------------------------------------------------------------


def test_a_thousand_cities_become_numbered_clusters_well_within_budget() -> None:
    rng = random.Random(7)
    points = [
        MapPoint(f"c{i}", f"City {i}", rng.uniform(36, 60), rng.uniform(-8, 24), True)
        for i in range(1000)
    ]
    lines = [MapLine(p.key, rng.choice(points).key, "partner") for p in points for _ in range(2)]
    figure = compare_figure(points, lines, gettext)
    svg = str(figure.svg)
    assert figure.clustered and figure.overview is None
    root = ET.fromstring(svg)
    counts = [int(t.text or "0") for t in root.iter(f"{SVG}text")]
    assert sum(counts) == 1000, "every city is in exactly one circle"
    assert 10 <= len(counts) <= 120, "a readable number of circles, not a blot"
    assert not [p for p in root.iter(f"{SVG}path") if "cp-map__line" in p.get("class", "")]
    circles = _dots(root)
    for i, (x1, y1, r1) in enumerate(circles):
        for x2, y2, r2 in circles[i + 1 :]:
            assert math.hypot(x1 - x2, y1 - y2) >= r1 + r2, "circles do not overlap"
    assert len(svg.encode()) < 60_000, len(svg.encode())


def test_the_shipped_maps_are_small(shipped_maps: dict[str, object]) -> None:
    compare = len(_svg_text(shipped_maps["compare"]).encode())
    cities = [len(_svg_text(f).encode()) for f in shipped_maps.values() if f is not None]
    assert compare < 25_000, compare
    assert max(cities) < 25_000, cities


# -- projections and data ---------------------------------------------------------------


def test_projections_keep_north_up_east_right_and_invert_exactly() -> None:
    frame = Frame.fit(Azimuthal(5.0, 52.0), [(5.1, 52.1), (6.9, 50.9), (2.2, 41.4)])
    a, b, c = frame.to_xy(5.1, 52.1), frame.to_xy(6.9, 50.9), frame.to_xy(2.2, 41.4)
    for x, y in (a, b, c):
        assert frame.inside(x, y)
    assert a[1] < b[1] < c[1] and c[0] < a[0] < b[0]
    back = frame.to_lonlat(*b)
    assert back is not None and math.isclose(back[0], 6.9) and math.isclose(back[1], 50.9)
    world = EqualEarth(10.0)
    assert world.forward(20.0, 0.0)[0] > 0 and world.forward(10.0, 40.0)[1] > 0


def test_the_geography_covers_europe_finely_and_the_world_coarsely() -> None:
    geo = geography()
    europe, world = geo.sets
    assert europe.scale == "1:50m" and world.scale == "1:110m"
    assert "Natural Earth" in geo.source
    assert [lvl.tolerance for lvl in europe.levels] == sorted(
        lvl.tolerance for lvl in europe.levels
    )
    # A map of the Low Countries reads the finest level; one of Europe a coarser one.
    assert geo.choose((2.0, 50.0, 8.0, 54.0), 0.6) is europe.levels[0]
    assert geo.choose((-10.0, 35.0, 30.0, 62.0), 6.0).tolerance > europe.levels[0].tolerance
    assert geo.choose((-90.0, 10.0, 140.0, 60.0), 20.0) is world.levels[0]
    notice = Path(__file__).parent.parent / "src/cityprofiles/data/geography.md"
    assert "public domain" in notice.read_text("utf-8")


# -- anywhere on Earth ------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_places = st.lists(
    st.tuples(
        st.floats(-85, 85, allow_nan=False),
        st.floats(-180, 180, allow_nan=False),
        st.booleans(),
    ),
    min_size=1,
    max_size=7,
)


@settings(max_examples=40, deadline=None)
@given(_places)
def test_any_places_on_earth_give_a_valid_map_without_collisions(
    places: list[tuple[float, float, bool]],
) -> None:
    points = [
        MapPoint(f"p{i}", f"Place {i}", lat, lon, profiled or i == 0)
        for i, (lat, lon, profiled) in enumerate(places)
    ]
    lines = [MapLine("p0", p.key, "partner") for p in points[1:]]
    drawing = draw(points, lines, TEXTS, locale="nl_NL")
    for svg in filter(None, (drawing.svg, drawing.overview)):
        assert "nan" not in svg and "inf" not in svg
        root = ET.fromstring(svg)
        assert not _collisions(root)
        view = [float(v) for v in root.get("viewBox", "").split()]
        for x, y, _ in _dots(root):
            assert 0 <= x <= view[2] and 0 <= y <= view[3], "every place is inside its map"
