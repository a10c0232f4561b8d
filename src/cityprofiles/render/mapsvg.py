"""An SVG map drawn at build time: the cities, their partners and the lines between them.

No tile server and no geographic data download (a visitor's browser makes no request
for the map, and the build needs no network). The map is honest about what it is: dots
on a labelled latitude/longitude grid, an equirectangular projection scaled by the
cosine of the middle latitude and fitted to the points' bounding box. It carries a
``<title>`` and ``<desc>``; the page shows the same facts as a table next to it.
Colours come from CSS classes, never inline styles (the Content-Security-Policy
forbids them) — and every line kind differs in dash pattern too, not colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

WIDTH = 800
PADDING = 48
MAX_ASPECT = 0.7
#: Partners farther than this from every profiled city are drawn as arrows at the edge.
FAR_KM = 2500.0
EDGE_INSET = 14
GRID_STEPS = (0.5, 1, 2, 5, 10, 15, 20, 30, 45, 60)


@dataclass(frozen=True)
class MapPoint:
    """A place on the map; ``profiled`` places are cities with a page on this site."""

    key: str
    label: str
    lat: float
    lon: float
    profiled: bool


@dataclass(frozen=True)
class MapLine:
    """A relationship between two places, drawn as a line; ``kind`` is e.g. sister or partner."""

    source: str
    target: str
    kind: str


@dataclass(frozen=True)
class Projection:
    """Equirectangular, scaled by cos(middle latitude), fitted into the drawing."""

    west: float
    north: float
    scale: float
    cos_lat: float
    width: int
    height: int

    @classmethod
    def fit(cls, points: Sequence[MapPoint], width: int = WIDTH) -> Projection:
        lats = [p.lat for p in points] or [0.0]
        lons = [p.lon for p in points] or [0.0]
        south, north = min(lats), max(lats)
        west, east = min(lons), max(lons)
        # A lone city (or cities close together) still gets a readable area around it.
        if north - south < 2:
            middle = (north + south) / 2
            south, north = middle - 1, middle + 1
        if east - west < 3:
            middle = (east + west) / 2
            west, east = middle - 1.5, middle + 1.5
        cos_lat = max(math.cos(math.radians((north + south) / 2)), 0.1)
        span_x = (east - west) * cos_lat
        span_y = north - south
        scale = (width - 2 * PADDING) / span_x
        height = round(span_y * scale + 2 * PADDING)
        max_height = round(width * MAX_ASPECT)
        if height > max_height:  # tall extents: fit the height instead, centre horizontally
            scale = (max_height - 2 * PADDING) / span_y
            height = max_height
        extra_x = (width - 2 * PADDING - span_x * scale) / 2 / scale / cos_lat
        return cls(west - extra_x, north, scale, cos_lat, width, height)

    def __call__(self, lat: float, lon: float) -> tuple[float, float]:
        x = PADDING + (lon - self.west) * self.cos_lat * self.scale
        y = PADDING + (self.north - lat) * self.scale
        return round(x, 1), round(y, 1)

    def lon_at(self, x: float) -> float:
        return self.west + (x - PADDING) / self.cos_lat / self.scale

    def lat_at(self, y: float) -> float:
        return self.north - (y - PADDING) / self.scale


def _grid_step(span: float) -> float:
    return next((s for s in GRID_STEPS if span / s <= 6), GRID_STEPS[-1])


def _degrees(value: float, positive: str, negative: str) -> str:
    """``52°N``, ``4.5°W``: a grid label.

    >>> _degrees(52.0, "N", "S"), _degrees(-4.5, "E", "W"), _degrees(0.0, "E", "W")
    ('52°N', '4.5°W', '0°')
    """
    text = f"{abs(value):g}°"
    if value == 0:
        return text
    return text + (positive if value > 0 else negative)


def distance_km(a: MapPoint, b: MapPoint) -> float:
    """Great-circle distance (haversine, mean Earth radius).

    >>> round(distance_km(MapPoint("u", "", 52.09, 5.12, True), MapPoint("g", "", 51.05, 3.72, True)))
    151
    """
    la1, la2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = la2 - la1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def split_far(points: Sequence[MapPoint]) -> tuple[list[MapPoint], list[MapPoint]]:
    """The places to fit the map to, and partners so far from every profiled city that
    fitting them would shrink the cities to one dot; those are drawn at the edge instead."""
    cities = [p for p in points if p.profiled]
    if not cities:
        return list(points), []
    near, far = [], []
    for point in points:
        if point.profiled or any(distance_km(point, c) <= FAR_KM for c in cities):
            near.append(point)
        else:
            far.append(point)
    return near, far


class _Labels:
    """Greedy label placement: the first candidate position that overlaps no placed box.

    Placed boxes are kept in a grid of :data:`CELL`-pixel cells, so a candidate is tested
    only against the boxes near it (a map of 1 000 cities tested each label against
    every other: a million comparisons per page)."""

    CELL = 32.0

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _cells(self, box: tuple[float, float, float, float]) -> Iterator[tuple[int, int]]:
        x1, y1, x2, y2 = box
        size = self.CELL
        for cx in range(math.floor(x1 / size), math.floor(x2 / size) + 1):
            for cy in range(math.floor(y1 / size), math.floor(y2 / size) + 1):
                yield cx, cy

    def _add(self, box: tuple[float, float, float, float]) -> None:
        for cell in self._cells(box):
            self.grid.setdefault(cell, []).append(box)

    def reserve(self, x: float, y: float, r: float) -> None:
        self._add((x - r, y - r, x + r, y + r))

    def _free(self, box: tuple[float, float, float, float]) -> bool:
        x1, y1, x2, y2 = box
        if x1 < 2 or y1 < 2 or x2 > self.width - 2 or y2 > self.height - 2:
            return False
        grid = self.grid
        return all(
            x2 <= a or x1 >= c or y2 <= b or y1 >= d
            for cell in self._cells(box)
            for a, b, c, d in grid.get(cell, ())
        )

    def place(
        self, x: float, y: float, r: float, text: str, size: float
    ) -> tuple[float, float, str]:
        """Where to write ``text`` next to a dot at (x, y): baseline point and text-anchor."""
        w, h = len(text) * size * 0.6, size
        gap = r + 4
        candidates = [
            (x + gap, y + h / 3, "start", (x + gap, y - h * 2 / 3, x + gap + w, y + h / 3)),
            (x - gap, y + h / 3, "end", (x - gap - w, y - h * 2 / 3, x - gap, y + h / 3)),
            (x, y - gap, "middle", (x - w / 2, y - gap - h, x + w / 2, y - gap)),
            (x, y + gap + h, "middle", (x - w / 2, y + gap, x + w / 2, y + gap + h)),
        ]
        for lx, ly, anchor, box in candidates:
            if self._free(box):
                self._add(box)
                return round(lx, 1), round(ly, 1), anchor
        lx, ly, anchor, box = candidates[0] if x < self.width * 0.7 else candidates[1]
        self._add(box)
        return round(lx, 1), round(ly, 1), anchor


def _edge(
    start: tuple[float, float], toward: tuple[float, float], width: int, height: int
) -> tuple[float, float, float, float]:
    """Where the ray from ``start`` toward ``toward`` leaves the frame (inset), and its direction."""
    (x0, y0), (x1, y1) = start, toward
    dx, dy = x1 - x0, y1 - y0
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    inset = EDGE_INSET
    limits = []
    if ux > 0:
        limits.append((width - inset - x0) / ux)
    if ux < 0:
        limits.append((inset - x0) / ux)
    if uy > 0:
        limits.append((height - inset - y0) / uy)
    if uy < 0:
        limits.append((inset - y0) / uy)
    t = max(0.0, min(limits)) if limits else 0.0
    return round(x0 + ux * t, 1), round(y0 + uy * t, 1), ux, uy


def svg_map(
    points: Sequence[MapPoint],
    lines: Sequence[MapLine],
    *,
    title: str,
    description: str,
    ident: str = "cp-map",
) -> str:
    """The map as an inline ``<svg>`` element (a string of trusted, escaped markup).

    Partners more than ``FAR_KM`` from every profiled city are not fitted into the
    map: their line runs to the edge of the frame, in their direction, and ends in an
    arrow labelled with their name.
    """
    near, far = split_far(points)
    project = Projection.fit(near)
    width, height = project.width, project.height
    out = [
        f'<svg class="cp-map__svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
        f'<rect class="cp-map__sea" x="0" y="0" width="{width}" height="{height}"/>',
    ]
    out += _graticule(project)
    labels = _Labels(width, height)
    for point in near:
        x, y = project(point.lat, point.lon)
        labels.reserve(x, y, 7 if point.profiled else 5)
    arrows = _lines(project, points, far, lines, out)
    out.append('<g class="cp-map__places" aria-hidden="true">')
    for label, x, y, ux, uy in arrows:
        # A triangle pointing along the line, its tip on the frame's inset edge.
        bx, by = x - ux * 12, y - uy * 12
        px, py = -uy * 6, ux * 6
        tri = f"{x},{y} {round(bx + px, 1)},{round(by + py, 1)} {round(bx - px, 1)},{round(by - py, 1)}"
        out.append(f'<polygon class="cp-map__arrow" points="{tri}"/>')
        lx, ly, anchor = labels.place(bx, by, 8, label, 13)
        out.append(
            f'<text class="cp-map__label cp-map__label--far" x="{lx}" y="{ly}" '
            f"text-anchor={quoteattr(anchor)}>{escape(label)}</text>"
        )
    for point in sorted(near, key=lambda p: (not p.profiled, p.key)):
        x, y = project(point.lat, point.lon)
        kind = "city" if point.profiled else "partner"
        radius = 7 if point.profiled else 5
        out.append(
            f'<circle class="cp-map__dot cp-map__dot--{kind}" cx="{x}" cy="{y}" r="{radius}"/>'
        )
        lx, ly, anchor = labels.place(x, y, radius, point.label, 15 if point.profiled else 14)
        out.append(
            f'<text class="cp-map__label cp-map__label--{kind}" x="{lx}" y="{ly}" '
            f"text-anchor={quoteattr(anchor)}>{escape(point.label)}</text>"
        )
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def _graticule(project: Projection) -> list[str]:
    """The grid of meridians and parallels that makes the projection readable."""
    width, height = project.width, project.height
    west, east = project.lon_at(0), project.lon_at(width)
    south, north = project.lat_at(height), project.lat_at(0)
    step = _grid_step(max(east - west, north - south))
    out = ['<g class="cp-map__grid" aria-hidden="true">']
    lon = math.ceil(west / step) * step
    while lon <= east:
        x, _ = project(0, lon)
        out.append(f'<line x1="{x}" y1="0" x2="{x}" y2="{height}"/>')
        out.append(f'<text x="{x + 3}" y="{height - 6}">{_degrees(round(lon, 2), "E", "W")}</text>')
        lon += step
    lat = math.ceil(south / step) * step
    while lat <= north:
        _, y = project(lat, 0)
        out.append(f'<line x1="0" y1="{y}" x2="{width}" y2="{y}"/>')
        out.append(f'<text x="4" y="{y - 4}">{_degrees(round(lat, 2), "N", "S")}</text>')
        lat += step
    out.append("</g>")
    return out


def _lines(
    project: Projection,
    points: Sequence[MapPoint],
    far: Sequence[MapPoint],
    lines: Sequence[MapLine],
    out: list[str],
) -> list[tuple[str, float, float, float, float]]:
    """Draw the partnership lines into ``out``; return the arrows of the far partners
    (label, tip, direction), whose lines stop at the frame."""
    where = {p.key: p for p in points}
    far_keys = {p.key for p in far}
    out.append('<g class="cp-map__lines" aria-hidden="true">')
    arrows: list[tuple[str, float, float, float, float]] = []
    for line in lines:
        a, b = where.get(line.source), where.get(line.target)
        if a is None or b is None:
            continue
        x1, y1 = project(a.lat, a.lon)
        x2, y2 = project(b.lat, b.lon)
        if b.key in far_keys:
            x2, y2, ux, uy = _edge((x1, y1), (x2, y2), project.width, project.height)
            arrows.append((b.label, x2, y2, ux, uy))
        out.append(
            f'<line class="cp-map__line cp-map__line--{line.kind}" '
            f'x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"/>'
        )
    out.append("</g>")
    return arrows
