"""Land and borders as SVG path data: clipped to the frame, simplified to the output scale.

Clipping is *clamping*: every projected point is moved into the frame grown by
:data:`MARGIN` units. Inside the frame nothing changes; outside, a coastline collapses
onto the margin's edge, where it is not seen, and a land area stays filled. Shapes whose
bounding box misses the frame are skipped whole, and the parts of the others that lie
beyond one edge are skipped chunk by chunk (:func:`_runs`).
Points are then rounded to whole units (the SVG is 800 units wide, so a unit is about a
screen pixel) and a point closer than :data:`MIN_STEP` units to the last one kept is
dropped: the path holds about as many points as the map can show, whatever the source
detail.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from cityprofiles.render.maps.frame import Frame
from cityprofiles.render.maps.geodata import Level, Shape, geography

MARGIN = 6
MIN_STEP = 1.5
#: Land smaller than this (units, either way) is left out: a speck, not an island.
MIN_SIZE = 2


@dataclass(frozen=True)
class Geometry:
    """The background of one map: path data of the land and of the borders."""

    land: str
    borders: str
    source: str


def _overlaps(shape: Shape, box: tuple[float, float, float, float]) -> bool:
    west, south, east, north = box
    return any(
        not (c.east < west or c.west > east or c.north < south or c.south > north)
        for c in shape.chunks
    )


Projected = tuple[list[float], list[float], list[tuple[int, int, float, float, float, float]]]
_PROJECTED: dict[tuple[object, ...], Projected] = {}


def _projected(frame: Frame, shape: Shape) -> Projected:
    """A shape's points in the frame's projection, with each chunk's projected bounding
    box; kept, since maps share projections (city maps of a region share a middle)."""
    key = (frame.projection.key, id(shape))  # shapes live as long as the process
    found = _PROJECTED.get(key)
    if found is None:
        if len(_PROJECTED) > 50_000:
            _PROJECTED.clear()
        xs, ys = frame.projection.project_shape(shape, range(len(shape.lon)))
        boxes = []
        for c in shape.chunks:
            cx, cy = xs[c.start : c.end + 1], ys[c.start : c.end + 1]
            boxes.append((c.start, c.end, min(cx), min(cy), max(cx), max(cy)))
        found = (xs, ys, boxes)
        _PROJECTED[key] = found
    return found


def _runs(frame: Frame, shape: Shape) -> list[list[int]]:
    """The indexes of the points worth drawing, in runs.

    A chunk that lies wholly beyond one edge of the frame (and its margin) would be
    pressed flat onto that edge: for land only its first and last point are kept (the
    path between them runs along the edge either way, so the filled area is the same);
    a border line is cut there instead.
    """
    _, _, boxes = _projected(frame, shape)
    scale, cx, cy = frame.scale, frame.cx, frame.cy
    # the frame and margin, in projected units
    left = cx - (frame.width / 2 + MARGIN) / scale
    right = cx + (frame.width / 2 + MARGIN) / scale
    bottom = cy - (frame.height / 2 + MARGIN) / scale
    top = cy + (frame.height / 2 + MARGIN) / scale
    runs: list[list[int]] = []
    current: list[int] = []
    for start, end, x1, y1, x2, y2 in boxes:
        outside = x2 < left or x1 > right or y2 < bottom or y1 > top
        if outside and not shape.closed:
            if len(current) > 1:
                runs.append(current)
            current = []
            continue
        first = start if not current or current[-1] != start else start + 1
        if outside:
            current.extend(i for i in (start, end) if i >= first)
        else:
            current.extend(range(first, end + 1))
    if len(current) > 1:
        runs.append(current)
    return runs


def _points(frame: Frame, shape: Shape, indexes: list[int]) -> list[tuple[int, int]]:
    """Projected, clamped, rounded points with the near-duplicates dropped."""
    all_x, all_y, _ = _projected(frame, shape)
    half_w, half_h, cx, cy, scale = (
        frame.width / 2,
        frame.height / 2,
        frame.cx,
        frame.cy,
        frame.scale,
    )
    low_x, low_y = -MARGIN, -MARGIN
    high_x, high_y = frame.width + MARGIN, frame.height + MARGIN
    out: list[tuple[int, int]] = []
    last_x = last_y = -1e9
    step2 = MIN_STEP * MIN_STEP
    for i in indexes:
        x = half_w + (all_x[i] - cx) * scale
        y = half_h - (all_y[i] - cy) * scale
        x = low_x if x < low_x else high_x if x > high_x else x
        y = low_y if y < low_y else high_y if y > high_y else y
        dx, dy = x - last_x, y - last_y
        if dx * dx + dy * dy < step2:
            continue
        out.append((round(x), round(y)))
        last_x, last_y = x, y
    return _drop_edge_runs(out, frame)


def _drop_edge_runs(points: list[tuple[int, int]], frame: Frame) -> list[tuple[int, int]]:
    """Of three points in a row on the same edge of the margin, the middle one goes."""
    if len(points) < 3:
        return points
    edges_x = (-MARGIN, frame.width + MARGIN)
    edges_y = (-MARGIN, frame.height + MARGIN)
    kept = [points[0]]
    for i in range(1, len(points) - 1):
        (ax, ay), (bx, by), (cx, cy) = kept[-1], points[i], points[i + 1]
        if (bx in edges_x and ax == bx == cx) or (by in edges_y and ay == by == cy):
            continue
        kept.append(points[i])
    kept.append(points[-1])
    return kept


def encode_path(points: list[tuple[int, int]], close: bool) -> str:
    """``M x y l dx dy …`` with whole numbers, no more separators than needed.

    >>> encode_path([(10, 20), (13, 18), (13, 25)], close=True)
    'M10 20l3-2 0 7z'
    """
    (x0, y0), rest = points[0], points[1:]
    out = [f"M{x0} {y0}"]
    if rest:
        out.append("l")
    last_x, last_y = x0, y0
    first = True
    for x, y in rest:
        dx, dy = x - last_x, y - last_y
        pair = f"{dx}" + (f" {dy}" if dy >= 0 else f"{dy}")
        out.append(pair if first or dx < 0 else " " + pair)
        first = False
        last_x, last_y = x, y
    if close:
        out.append("z")
    return "".join(out)


def _paths(frame: Frame, shapes: Iterable[Shape], box: tuple[float, float, float, float]) -> str:
    out: list[str] = []
    for shape in shapes:
        if not _overlaps(shape, box):
            continue
        for run in _runs(frame, shape):
            points = _points(frame, shape, run)
            if not shape.closed:
                if len(points) >= 2:
                    out.append(encode_path(points, close=False))
                continue
            if len(points) < 3:
                continue
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            if max(xs) - min(xs) < MIN_SIZE and max(ys) - min(ys) < MIN_SIZE:
                continue
            if max(xs) < 0 or min(xs) > frame.width or max(ys) < 0 or min(ys) > frame.height:
                continue  # all of it in the margin
            out.append(encode_path(points, close=True))
    return "".join(out)


@functools.lru_cache(maxsize=1024)
def geometry(frame: Frame, coarse: bool = False) -> Geometry:
    """Land and borders for ``frame``, from the finest data that its area and scale need
    (``coarse``: half as fine, for small maps such as a city page's).

    Kept for the frames drawn last: a page's languages, and city maps on snapped frames,
    share it.
    """
    box = frame.bounds(MARGIN * 4)
    geo = geography()
    level: Level = geo.choose(box, frame.km_per_unit * (2.0 if coarse else 1.0))
    return Geometry(_paths(frame, level.land, box), _paths(frame, level.borders, box), geo.source)
