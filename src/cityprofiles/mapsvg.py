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
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

WIDTH = 800
PADDING = 48
MAX_ASPECT = 0.7
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


def svg_map(
    points: Sequence[MapPoint],
    lines: Sequence[MapLine],
    *,
    title: str,
    description: str,
    ident: str = "cp-map",
) -> str:
    """The map as an inline ``<svg>`` element (a string of trusted, escaped markup)."""
    project = Projection.fit(points)
    width, height = project.width, project.height
    out = [
        f'<svg class="cp-map__svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
        f'<rect class="cp-map__sea" x="0" y="0" width="{width}" height="{height}"/>',
    ]
    # Graticule: the grid that makes the projection readable.
    west, east = project.lon_at(0), project.lon_at(width)
    south, north = project.lat_at(height), project.lat_at(0)
    step = _grid_step(max(east - west, north - south))
    out.append('<g class="cp-map__grid" aria-hidden="true">')
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
    where = {p.key: p for p in points}
    out.append('<g class="cp-map__lines" aria-hidden="true">')
    for line in lines:
        a, b = where.get(line.source), where.get(line.target)
        if a is None or b is None:
            continue
        x1, y1 = project(a.lat, a.lon)
        x2, y2 = project(b.lat, b.lon)
        out.append(
            f'<line class="cp-map__line cp-map__line--{line.kind}" '
            f'x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"/>'
        )
    out.append("</g>")
    out.append('<g class="cp-map__places" aria-hidden="true">')
    for point in sorted(points, key=lambda p: (p.profiled, p.key)):
        x, y = project(point.lat, point.lon)
        kind = "city" if point.profiled else "partner"
        radius = 7 if point.profiled else 5
        anchor = "end" if x > width * 0.75 else "start"
        dx = -(radius + 4) if anchor == "end" else radius + 4
        out.append(
            f'<circle class="cp-map__dot cp-map__dot--{kind}" cx="{x}" cy="{y}" r="{radius}"/>'
        )
        out.append(
            f'<text class="cp-map__label cp-map__label--{kind}" x="{round(x + dx, 1)}" '
            f'y="{round(y + 4, 1)}" text-anchor={quoteattr(anchor)}>{escape(point.label)}</text>'
        )
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
