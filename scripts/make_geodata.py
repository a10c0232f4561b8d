"""Make the map's package data (src/cityprofiles/data/geography.json) from Natural Earth.

The source is the TopoJSON of the npm package ``world-atlas`` (Natural Earth 4.1.0,
public domain; the package is ISC-licensed). It is fetched with npm into a folder
outside the repository, never committed::

    npm install --prefix /tmp/world-atlas --no-save world-atlas@2.0.2
    python scripts/make_geodata.py /tmp/world-atlas/node_modules/world-atlas

What this writes, and why:

* **europe** — the 1:50m countries, clipped to a box around Europe (Iceland and the
  Azores to the Caspian, North Africa to the North Cape), at five levels of detail
  (Douglas-Peucker tolerances from 0.01° to 0.15°), so that a map of one region
  and a map of the whole continent each read only about as many points as they draw;
* **world** — the 1:110m countries, whole, for maps that reach beyond that box (far
  partner cities).

Each level holds ``land`` (closed rings; drawn filled, their outline is the coastline)
and ``borders`` (the land borders between two countries: TopoJSON arcs that two
countries share); each set lists ``countries`` (ISO code, the bounding box of its largest
part and the points of that part farthest from coast and border) for their names. Arcs are simplified once, before rings and borders are assembled
from them, so borders end exactly on the coastline. Coordinates are hundredths of a
degree, delta-encoded (``[lon0, lat0, dlon1, dlat1, ...]``): compact JSON, read once
per build. The output is deterministic: the same input gives the same bytes.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

Point = tuple[float, float]
Line = list[Point]

SOURCE_VERSION = "world-atlas 2.0.2 (Natural Earth 4.1.0)"
EUROPE_BOX = (-32.0, 26.0, 52.0, 73.0)  # west, south, east, north
EUROPE_TOLERANCES = (0.01, 0.02, 0.04, 0.08, 0.15)
WORLD_TOLERANCES = (0.0,)
UNIT = 100  # coordinates are stored in hundredths of a degree
MAX_STEP = 1.0  # degrees between points, at most
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "src/cityprofiles/data/geography.json"


def decode_arcs(topology: dict[str, Any]) -> list[Line]:
    """The topology's arcs in degrees (TopoJSON quantised, delta-encoded arcs)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        line = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            line.append((x * sx + tx, y * sy + ty))
        arcs.append(line)
    return arcs


def _ring_arcs(geometry: dict[str, Any]) -> list[list[int]]:
    if geometry["type"] == "Polygon":
        return list(geometry["arcs"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["arcs"] for ring in polygon]
    return []


def _perpendicular(p: Point, a: Point, b: Point) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return math.hypot(x - x1, y - y1)
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)


def simplify(line: Line, tolerance: float) -> Line:
    """Douglas-Peucker with both ends kept, in degrees of latitude (longitude scaled by
    the cosine of the arc's latitude, so the tolerance is about the same distance everywhere)."""
    if tolerance <= 0 or len(line) < 3:
        return list(line)
    k = math.cos(math.radians(sum(p[1] for p in line) / len(line)))
    flat = [(x * k, y) for x, y in line]
    keep = [False] * len(line)
    keep[0] = keep[-1] = True
    stack = [(0, len(line) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            d = _perpendicular(flat[i], flat[first], flat[last])
            if d > worst:
                worst, index = d, i
        if index >= 0 and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(line, keep, strict=False) if kept]


def _join(arcs: list[Line], indexes: list[int]) -> Line:
    ring: Line = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def clip_ring(ring: Line, box: tuple[float, float, float, float]) -> Line:
    """Sutherland-Hodgman: the part of a closed ring inside the box (still closed)."""
    west, south, east, north = box
    edges = (
        (lambda p: p[0] >= west, lambda a, b: _at_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _at_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _at_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _at_y(a, b, north)),
    )
    points = ring[:-1] if ring and ring[0] == ring[-1] else list(ring)
    for inside, cross in edges:
        if not points:
            break
        result: Line = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    result.append(cross(previous, point))
                result.append(point)
            elif inside(previous):
                result.append(cross(previous, point))
            previous = point
        points = result
    return [*points, points[0]] if points else []


def _at_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _at_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def clip_line(line: Line, box: tuple[float, float, float, float]) -> list[Line]:
    """The pieces of an open line inside the box (Liang-Barsky per segment)."""
    west, south, east, north = box
    pieces: list[Line] = []
    current: Line = []
    for a, b in itertools.pairwise(line):
        t0, t1 = 0.0, 1.0
        dx, dy = b[0] - a[0], b[1] - a[1]
        visible = True
        for p, q in (
            (-dx, a[0] - west),
            (dx, east - a[0]),
            (-dy, a[1] - south),
            (dy, north - a[1]),
        ):
            if p == 0:
                if q < 0:
                    visible = False
                    break
                continue
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                visible = False
                break
        if not visible:
            if len(current) > 1:
                pieces.append(current)
            current = []
            continue
        start = (a[0] + t0 * dx, a[1] + t0 * dy)
        end = (a[0] + t1 * dx, a[1] + t1 * dy)
        if not current or current[-1] != start:
            if len(current) > 1:
                pieces.append(current)
            current = [start]
        current.append(end)
        if t1 < 1.0:
            pieces.append(current)
            current = []
    if len(current) > 1:
        pieces.append(current)
    return pieces


def densify(line: Line, step: float = MAX_STEP) -> Line:
    """Extra points on long straight pieces (a clipped edge runs for 47° of latitude), so
    that they stay on their meridian or parallel once projected.

    >>> densify([(0.0, 0.0), (0.0, 3.0), (0.5, 3.0)], 1.0)
    [(0.0, 0.0), (0.0, 1.0), (0.0, 2.0), (0.0, 3.0), (0.5, 3.0)]
    """
    out: Line = []
    for a, b in itertools.pairwise(line):
        out.append(a)
        parts = math.ceil(max(abs(b[0] - a[0]), abs(b[1] - a[1])) / step)
        for i in range(1, parts):
            t = i / parts
            out.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
    if line:
        out.append(line[-1])
    return out


def encode(line: Line) -> list[int]:
    """Hundredths of a degree, delta-encoded; repeated points dropped.

    >>> encode([(4.5, 52.0), (4.504, 52.0), (5.0, 51.5)])
    [450, 5200, 50, -50]
    """
    out: list[int] = []
    last: tuple[int, int] | None = None
    for x, y in line:
        point = (round(x * UNIT), round(y * UNIT))
        if point == last:
            continue
        if last is None:
            out += point
        else:
            out += (point[0] - last[0], point[1] - last[1])
        last = point
    return out


def _tiny(line: Line, tolerance: float) -> bool:
    xs, ys = [p[0] for p in line], [p[1] for p in line]
    return max(max(xs) - min(xs), max(ys) - min(ys)) < 2 * max(tolerance, 0.02)


def level(
    topology: dict[str, Any],
    arcs: list[Line],
    tolerance: float,
    box: tuple[float, float, float, float] | None,
) -> dict[str, Any]:
    """Land rings and borders at one level of detail, clipped to ``box`` if given."""
    simple = [simplify(arc, tolerance) for arc in arcs]
    land: list[list[int]] = []
    for geometry in topology["objects"]["land"]["geometries"]:
        for indexes in _ring_arcs(geometry):
            ring = _join(simple, indexes)
            if box is not None:  # clipped edges are long and straight: add points to them
                ring = densify(clip_ring(ring, box))
            if len(ring) >= 4 and not _tiny(ring, tolerance):
                encoded = encode(ring)
                if len(encoded) >= 8:
                    land.append(encoded)
    used: Counter[int] = Counter()
    for geometry in topology["objects"]["countries"]["geometries"]:
        mine = {i if i >= 0 else ~i for ring in _ring_arcs(geometry) for i in ring}
        used.update(mine)
    borders: list[list[int]] = []
    for index in sorted(i for i, count in used.items() if count >= 2):
        pieces = clip_line(simple[index], box) if box is not None else [simple[index]]
        for piece in pieces:
            encoded = encode(densify(piece) if box is not None else piece)
            if len(encoded) >= 4:
                borders.append(encoded)
    return {"tolerance": tolerance, "land": land, "borders": borders}


#: Natural Earth's short names that are not Babel's English names, to ISO 3166 codes.
#: Places with neither (Somaliland, N. Cyprus, Siachen Glacier, …) get no name on the map.
NAME_FIXES = {
    "Vatican": "VA", "United States of America": "US", "Turkey": "TR",
    "Trinidad and Tobago": "TT", "eSwatini": "SZ", "S. Sudan": "SS", "Solomon Is.": "SB",
    "São Tomé and Principe": "ST", "Saint Lucia": "LC", "W. Sahara": "EH", "Macedonia": "MK",
    "Palestine": "PS", "Åland": "AX", "Eq. Guinea": "GQ", "Dominican Rep.": "DO",
    "Faeroe Is.": "FO", "Côte d'Ivoire": "CI", "Dem. Rep. Congo": "CD", "Congo": "CG",
    "Macao": "MO", "Hong Kong": "HK", "Central African Rep.": "CF", "Cabo Verde": "CV",
    "Myanmar": "MM", "Bosnia and Herz.": "BA", "Falkland Is.": "FK", "Marshall Is.": "MH",
    "Cayman Is.": "KY", "Saint Helena": "SH", "Antigua and Barb.": "AG",
    "St. Kitts and Nevis": "KN", "St. Vin. and Gren.": "VC", "Cook Is.": "CK",
    "Fr. Polynesia": "PF", "N. Mariana Is.": "MP", "U.S. Virgin Is.": "VI",
    "British Virgin Is.": "VG", "Turks and Caicos Is.": "TC", "St-Martin": "MF",
    "St-Barthélemy": "BL", "St. Pierre and Miquelon": "PM", "Wallis and Futuna Is.": "WF",
    "Pitcairn Is.": "PN", "Fr. S. Antarctic Lands": "TF", "S. Geo. and the Is.": "GS",
    "Br. Indian Ocean Ter.": "IO", "Heard I. and McDonald Is.": "HM",
}  # fmt: skip


def _area(ring: Line) -> float:
    k = math.cos(math.radians(sum(p[1] for p in ring) / len(ring)))
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring))) / 2 * k


def _inside(x: float, y: float, ring: Line) -> bool:
    hit = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def label_points(ring: Line, most: int = 8) -> list[Point]:
    """Where a name sits best: points of the ring far from its edge (on a 24 x 24 grid),
    the farthest first, then the farthest in each sixteenth of its box that is at least a
    sixth as deep, so a map that shows only part of a country still finds a place for
    its name (the middle of a crescent-shaped country lies outside it)."""
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    west, south, east, north = min(xs), min(ys), max(xs), max(ys)
    k = math.cos(math.radians((south + north) / 2))
    steps = 24
    found: list[tuple[float, int, int, Point]] = []
    for i in range(1, steps):
        for j in range(1, steps):
            x = west + (east - west) * i / steps
            y = south + (north - south) * j / steps
            if not _inside(x, y, ring):
                continue
            edge = min(
                _perpendicular_segment((x * k, y), (a[0] * k, a[1]), (b[0] * k, b[1]))
                for a, b in itertools.pairwise(ring)
            )
            found.append((edge, i * 4 // steps, j * 4 // steps, (x, y)))
    if not found:
        return [(sum(xs) / len(xs), sum(ys) / len(ys))]
    found.sort(key=lambda f: (-f[0], f[3]))
    deepest = found[0][0]
    points = [found[0][3]]
    cells = {(found[0][1], found[0][2])}
    for edge, ci, cj, point in found[1:]:
        if edge >= deepest / 6 and (ci, cj) not in cells and len(points) < most:
            cells.add((ci, cj))
            points.append(point)
    return points


def _perpendicular_segment(p: Point, a: Point, b: Point) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    t = (
        0.0
        if dx == dy == 0
        else max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    )
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))


def countries(
    topology: dict[str, Any], arcs: list[Line], box: tuple[float, float, float, float] | None
) -> list[list[Any]]:
    """Per country: ISO code, the bounding box of its largest part (in ``box``) and the
    points where its name may go (:func:`label_points`)."""
    from babel import Locale

    codes = {name: code for code, name in Locale("en").territories.items() if len(code) == 2}
    out = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name", "")
        code = NAME_FIXES.get(name) or codes.get(name)
        if not code:
            continue
        parts = []
        for polygon in (
            [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry.get("arcs", [])
        ):
            ring = _join(arcs, polygon[0])
            if box is not None:
                ring = clip_ring(ring, box)
            if len(ring) >= 4:
                parts.append(ring)
        if not parts:
            continue
        ring = max(parts, key=_area)
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        bounds = [round(v, 2) for v in (min(xs), min(ys), max(xs), max(ys))]
        points = [round(v, 2) for point in label_points(ring) for v in point]
        out.append([code, *bounds, *points])
    return sorted(out)


def make(atlas: Path) -> dict[str, Any]:
    """The whole data file as a JSON-ready dictionary."""
    detail = json.loads((atlas / "countries-50m.json").read_text("utf-8"))
    coarse = json.loads((atlas / "countries-110m.json").read_text("utf-8"))
    detail_arcs, coarse_arcs = decode_arcs(detail), decode_arcs(coarse)
    return {
        "source": SOURCE_VERSION,
        "licence": "Natural Earth: public domain; world-atlas: ISC",
        "unit": 1 / UNIT,
        "sets": {
            "europe": {
                "scale": "1:50m",
                "box": list(EUROPE_BOX),
                "levels": [level(detail, detail_arcs, t, EUROPE_BOX) for t in EUROPE_TOLERANCES],
                "countries": countries(detail, detail_arcs, EUROPE_BOX),
            },
            "world": {
                "scale": "1:110m",
                "box": [-180.0, -90.0, 180.0, 90.0],
                "levels": [level(coarse, coarse_arcs, t, None) for t in WORLD_TOLERANCES],
                "countries": countries(coarse, coarse_arcs, None),
            },
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("atlas", type=Path, help="the world-atlas package folder")
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    data = make(args.atlas)
    text = json.dumps(data, separators=(",", ":"))
    # One line per ring keeps the file diffable.
    text = text.replace("],[", "],\n[")
    args.out.write_text(text + "\n", "utf-8")
    for name, group in data["sets"].items():
        for lvl in group["levels"]:
            points = sum(len(r) // 2 for r in lvl["land"] + lvl["borders"])
            print(
                f"{name} {lvl['tolerance']}: {len(lvl['land'])} rings, "
                f"{len(lvl['borders'])} borders, {points} points"
            )
    print(f"{args.out}: {args.out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
