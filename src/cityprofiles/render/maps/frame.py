"""The drawing's extent: a projection, a scale and a rectangle fitted around the places.

Drawing units are the SVG's user units; every map is :data:`WIDTH` units wide and as tall
as its places need within an aspect range, so it scales to the width of the page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from cityprofiles.render.maps.projection import Projection

WIDTH = 800
EARTH_KM = 6371.0
#: Snapped frames: scales on a ladder of this many steps per doubling, heights in steps of
#: this many units, centres on a grid of this fraction of the width.
SNAP_STEPS, SNAP_HEIGHT, SNAP_GRID = 2, 40, 1 / 8


@dataclass(frozen=True, eq=False)
class Frame:
    """Where the projected plane lands in the drawing: ``x = width/2 + (px - cx) * scale``."""

    projection: Projection
    width: int
    height: int
    cx: float
    cy: float
    scale: float

    @classmethod
    def fit(
        cls,
        projection: Projection,
        places: Sequence[tuple[float, float]],
        *,
        width: int = WIDTH,
        pad: tuple[float, float] = (60.0, 40.0),
        aspect: tuple[float, float] = (0.5, 0.75),
        min_km: float = 300.0,
        snap: bool = False,
    ) -> Frame:
        """The frame that shows every (lon, lat) in ``places`` with ``pad`` units around them.

        The height follows the places within ``aspect`` (height / width); a frame never
        spans less than ``min_km`` either way, so a lone city still shows its surroundings.
        ``snap`` rounds scale, height and centre to a coarse grid (zooming out a little,
        never in), so maps of nearby places share one frame and its drawn geography.
        """
        xy = [projection.forward(lon, lat) for lon, lat in places] or [(0.0, 0.0)]
        xs, ys = [p[0] for p in xy], [p[1] for p in xy]
        least = min_km / EARTH_KM
        west, east = min(xs), max(xs)
        south, north = min(ys), max(ys)
        if east - west < least:
            middle = (east + west) / 2
            west, east = middle - least / 2, middle + least / 2
        if north - south < least * aspect[0]:
            middle = (north + south) / 2
            south, north = middle - least * aspect[0] / 2, middle + least * aspect[0] / 2
        pad_x, pad_y = pad
        scale = (width - 2 * pad_x) / (east - west)
        height = (north - south) * scale + 2 * pad_y
        low, high = width * aspect[0], width * aspect[1]
        if height > high:
            scale = (high - 2 * pad_y) / (north - south)
            height = high
        height = max(height, low)
        cx, cy = (west + east) / 2, (south + north) / 2
        if snap:
            scale = 2 ** (math.floor(math.log2(scale) * SNAP_STEPS) / SNAP_STEPS)
            height = min(max(math.ceil(height / SNAP_HEIGHT) * SNAP_HEIGHT, low), high)
            step = width / scale * SNAP_GRID
            cx, cy = round(cx / step) * step, round(cy / step) * step
        return cls(projection, width, round(height), cx, cy, scale)

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Frame) and self.key == other.key

    @property
    def key(self) -> tuple[object, ...]:
        return (self.projection.key, self.width, self.height, self.cx, self.cy, self.scale)

    @property
    def km_per_unit(self) -> float:
        """Kilometres per drawing unit near the middle (both projections are equal-area)."""
        return EARTH_KM / self.scale

    def to_xy(self, lon: float, lat: float) -> tuple[float, float]:
        """The drawing position of a place."""
        x, y = self.projection.forward(lon, lat)
        return self.width / 2 + (x - self.cx) * self.scale, self.height / 2 - (
            y - self.cy
        ) * self.scale

    def to_lonlat(self, x: float, y: float) -> tuple[float, float] | None:
        """The place at a drawing position, or ``None`` off the globe."""
        px = self.cx + (x - self.width / 2) / self.scale
        py = self.cy - (y - self.height / 2) / self.scale
        return self.projection.inverse(px, py)

    def inside(self, x: float, y: float, margin: float = 0.0) -> bool:
        return -margin <= x <= self.width + margin and -margin <= y <= self.height + margin

    def bounds(self, margin: float) -> tuple[float, float, float, float]:
        """West, south, east, north (degrees) of everything within ``margin`` units of the frame.

        Found by walking the frame's edge backwards through the projection; a pole in view
        stretches the box to it.
        """
        lons: list[float] = []
        lats: list[float] = []
        steps = 24
        w, h = self.width + 2 * margin, self.height + 2 * margin
        edge = []
        for i in range(steps + 1):
            t = i / steps
            edge += [(t * w, 0.0), (t * w, h), (0.0, t * h), (w, t * h)]
        for x, y in edge:
            found = self.to_lonlat(x - margin, y - margin)
            if found is None:
                return (-180.0, -90.0, 180.0, 90.0)
            lons.append(found[0])
            lats.append(found[1])
        west, south, east, north = min(lons), min(lats), max(lons), max(lats)
        for pole in (90.0, -90.0):
            x, y = self.to_xy(0.0, pole)
            if self.inside(x, y, margin) and math.isfinite(x):
                west, east = -180.0, 180.0
                south, north = min(south, pole), max(north, pole)
        return west, south, east, north
