"""What a map shows: places, the partner links between them, far partners and clusters.

Pure data and rules, no drawing: which partners are too far to fit without shrinking the
cities to a dot (:func:`split_far`), and how a site with hundreds of cities becomes a few
dozen numbered circles instead of a blot (:func:`cluster`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: Partners farther than this from every profiled city go to the overview of far partners.
FAR_KM = 4000.0


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
    """A relationship between two places, drawn as an arc; ``kind`` is e.g. sister or partner."""

    source: str
    target: str
    kind: str


@dataclass(frozen=True)
class Cluster:
    """Profiled cities drawn as one numbered circle at (``x``, ``y``), radius ``r`` units."""

    x: float
    y: float
    r: float
    members: tuple[MapPoint, ...]


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
    fitting them would shrink the cities to one dot; those get an overview map of their own.

    A map of one city and only far partners (a city page) keeps them all: there is
    nothing near to shrink.
    """
    cities = [p for p in points if p.profiled]
    if not cities:
        return list(points), []
    # Inside the cities' own box, a place is as near as the box is small: no need to
    # measure it against each city (a thousand cities with their partners).
    south, north = min(c.lat for c in cities), max(c.lat for c in cities)
    west, east = min(c.lon for c in cities), max(c.lon for c in cities)
    corner, opposite = MapPoint("", "", south, west, False), MapPoint("", "", north, east, False)
    small = distance_km(corner, opposite) <= FAR_KM and east - west <= 90
    near, far = [], []
    for point in points:
        inside = small and south <= point.lat <= north and west <= point.lon <= east
        if point.profiled or inside or any(distance_km(point, c) <= FAR_KM for c in cities):
            near.append(point)
        else:
            far.append(point)
    if len(near) < 2:
        return list(points), []
    return near, far


def cluster(
    positions: Sequence[tuple[MapPoint, float, float]],
    cell: float,
    radius: Callable[[int, float], float],
) -> list[Cluster]:
    """Group drawn places into numbered circles that do not overlap.

    Places are first gathered per ``cell``-unit square, then any two circles that would
    touch are merged (at their members' mean position) until none do. A circle's radius
    is ``radius(count, share)``, where ``share`` grows from 0 (one member) to 1 (the
    largest group) with the square root of the count.

    >>> a, b = MapPoint("a", "A", 0, 0, True), MapPoint("b", "B", 0, 0, True)
    >>> [len(c.members) for c in cluster([(a, 10, 10), (b, 20, 12)], 50, lambda n, s: 10)]
    [2]
    """
    cells: dict[tuple[int, int], list[tuple[MapPoint, float, float]]] = {}
    for item in positions:
        _, x, y = item
        cells.setdefault((math.floor(x / cell), math.floor(y / cell)), []).append(item)
    groups = [cells[k] for k in sorted(cells)]
    biggest = max((len(g) for g in groups), default=1)

    def size(count: int) -> float:
        share = math.sqrt((count - 1) / (biggest - 1)) if biggest > 1 else 0.0
        return radius(count, min(share, 1.0))

    def centre(group: list[tuple[MapPoint, float, float]]) -> tuple[float, float]:
        return sum(g[1] for g in group) / len(group), sum(g[2] for g in group) / len(group)

    merged = True
    while merged:
        merged = False
        centres = [centre(g) for g in groups]
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                (xi, yi), (xj, yj) = centres[i], centres[j]
                reach = size(len(groups[i])) + size(len(groups[j])) + 2
                if (xi - xj) ** 2 + (yi - yj) ** 2 < reach * reach:
                    groups[i] = groups[i] + groups[j]
                    del groups[j]
                    merged = True
                    break
            if merged:
                break
    out = []
    for group in groups:
        x, y = centre(group)
        members = tuple(sorted((g[0] for g in group), key=lambda p: p.key))
        out.append(Cluster(round(x, 1), round(y, 1), round(size(len(group)), 1), members))
    return sorted(out, key=lambda c: (c.y, c.x))
