"""The geography under the maps: Natural Earth land and borders, read once per process.

``data/geography.json`` (made by ``scripts/make_geodata.py``; source and licence in
``data/geography.md``) holds two sets: ``europe`` (1:50m, clipped to a box around Europe,
at five levels of detail) and ``world`` (1:110m). A map picks the set that covers its
extent and the coarsest level that still looks exact at its scale, so it reads about as
many points as it draws.

Each shape keeps the sines and cosines of its points, so a projection costs a few
multiplications per point, and is cut into *chunks* with their bounding boxes, so the
parts of a long coastline far outside a map are skipped without looking at their points.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

#: Points per chunk: the unit in which shapes outside a map are skipped.
CHUNK = 32
#: Kilometres per degree of latitude (mean Earth radius 6 371 km).
KM_PER_DEGREE = 6371.0 * math.pi / 180
#: A level is fine enough when its simplification moves no point more than this many units.
TOLERANCE_UNITS = 1.5


@dataclass(frozen=True)
class Chunk:
    """Points ``start`` to ``end`` (inclusive) of a shape, with their bounding box."""

    start: int
    end: int
    west: float
    south: float
    east: float
    north: float


@dataclass(frozen=True)
class Shape:
    """A land ring (``closed``) or a border line, in degrees, with precomputed trigonometry."""

    closed: bool
    lon: tuple[float, ...]
    lat: tuple[float, ...]
    sin_lon: tuple[float, ...]
    cos_lon: tuple[float, ...]
    sin_lat: tuple[float, ...]
    cos_lat: tuple[float, ...]
    chunks: tuple[Chunk, ...]

    @classmethod
    def decode(cls, encoded: Sequence[int], unit: float, closed: bool) -> Shape:
        """A shape from hundredths of a degree, delta-encoded.

        >>> s = Shape.decode([450, 5200, 50, -50], 0.01, closed=False)
        >>> s.lon, s.lat, len(s.chunks)
        ((4.5, 5.0), (52.0, 51.5), 1)
        """
        lon: list[float] = []
        lat: list[float] = []
        x = y = 0
        for i in range(0, len(encoded) - 1, 2):
            x += encoded[i]
            y += encoded[i + 1]
            lon.append(round(x * unit, 6))
            lat.append(round(y * unit, 6))
        chunks = []
        for start in range(0, max(len(lon) - 1, 1), CHUNK):
            end = min(start + CHUNK, len(lon) - 1)
            xs, ys = lon[start : end + 1], lat[start : end + 1]
            chunks.append(Chunk(start, end, min(xs), min(ys), max(xs), max(ys)))
        rad_lon = [math.radians(v) for v in lon]
        rad_lat = [math.radians(v) for v in lat]
        return cls(
            closed,
            tuple(lon),
            tuple(lat),
            tuple(map(math.sin, rad_lon)),
            tuple(map(math.cos, rad_lon)),
            tuple(map(math.sin, rad_lat)),
            tuple(map(math.cos, rad_lat)),
            tuple(chunks),
        )


@dataclass(frozen=True)
class Level:
    """One level of detail: land rings and borders simplified to ``tolerance`` degrees."""

    tolerance: float
    land: tuple[Shape, ...]
    borders: tuple[Shape, ...]


@dataclass(frozen=True)
class Country:
    """Where a country's name may go: ``points`` (lon, lat) inside its largest part, the
    best first, and that part's bounding box ``box`` (west, south, east, north)."""

    code: str
    box: tuple[float, float, float, float]
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class GeoSet:
    """One source scale (``1:50m``) covering ``box`` (west, south, east, north)."""

    name: str
    scale: str
    box: tuple[float, float, float, float]
    levels: tuple[Level, ...]
    countries: tuple[Country, ...]

    def covers(self, box: tuple[float, float, float, float]) -> bool:
        west, south, east, north = self.box
        return west <= box[0] and south <= box[1] and box[2] <= east and box[3] <= north

    def level_for(self, km_per_unit: float) -> Level:
        """The coarsest level whose tolerance stays within :data:`TOLERANCE_UNITS`."""
        fitting = [
            lvl
            for lvl in self.levels
            if lvl.tolerance * KM_PER_DEGREE <= TOLERANCE_UNITS * km_per_unit
        ]
        if not fitting:
            return min(self.levels, key=lambda lvl: lvl.tolerance)
        return max(fitting, key=lambda lvl: lvl.tolerance)


@dataclass(frozen=True)
class Geography:
    """The shipped data: its source line and its sets, finest first."""

    source: str
    sets: tuple[GeoSet, ...]

    def choose(self, box: tuple[float, float, float, float], km_per_unit: float) -> Level:
        """The level to draw a map whose visible area lies within ``box`` (degrees)."""
        return self.set_for(box).level_for(km_per_unit)

    def set_for(self, box: tuple[float, float, float, float]) -> GeoSet:
        """The finest set that covers ``box`` (degrees)."""
        return next((s for s in self.sets if s.covers(box)), self.sets[-1])


@functools.lru_cache(maxsize=1)
def geography() -> Geography:
    """The package's geography, decoded once per process."""
    text = resources.files("cityprofiles").joinpath("data/geography.json").read_text("utf-8")
    data = json.loads(text)
    unit = float(data["unit"])
    sets = []
    for name, raw in data["sets"].items():
        levels = tuple(
            Level(
                float(lvl["tolerance"]),
                tuple(Shape.decode(r, unit, closed=True) for r in lvl["land"]),
                tuple(Shape.decode(b, unit, closed=False) for b in lvl["borders"]),
            )
            for lvl in raw["levels"]
        )
        west, south, east, north = (float(v) for v in raw["box"])
        countries = tuple(
            Country(
                str(c[0]),
                (c[1], c[2], c[3], c[4]),
                tuple((float(c[i]), float(c[i + 1])) for i in range(5, len(c) - 1, 2)),
            )
            for c in raw.get("countries", ())
        )
        sets.append(GeoSet(name, str(raw["scale"]), (west, south, east, north), levels, countries))
    return Geography(str(data["source"]), tuple(sets))
