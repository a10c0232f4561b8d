"""Label placement: each name beside its dot where it overlaps no other name, dot or line.

Greedy, in the order given (profiled cities first): for each place the first of eight
positions around the dot that stays inside the frame and touches nothing placed before,
or no label at all — the table under the map lists every place, so a name that does not
fit is left out rather than drawn over another. Obstacles live in a grid of
:data:`Placer.CELL`-unit cells, so a label is tested only against what is near it.

A label's box is estimated from per-character widths of a common sans-serif (Arial's
metrics, with a margin for wider system fonts); the browser test measures the real boxes.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

Box = tuple[float, float, float, float]
Segment = tuple[float, float, float, float]

# Advance widths in thousandths of an em (Arial / Helvetica metrics).
_WIDTHS = {
    **dict.fromkeys("ijl", 222),
    **dict.fromkeys("ft ", 278),
    "r": 333,
    **dict.fromkeys("ckszvxy", 500),
    **dict.fromkeys("abdeghnopqu0123456789", 556),
    "w": 722,
    "m": 833,
    "I": 278,
    "J": 500,
    **dict.fromkeys("LZ", 611),
    **dict.fromkeys("FT", 611),
    **dict.fromkeys("ABEKPSVXY", 667),
    **dict.fromkeys("CDHNRU", 722),
    **dict.fromkeys("GOQ", 778),
    "M": 833,
    "W": 944,
    **dict.fromkeys("-()", 333),
    **dict.fromkeys(".,'’", 278),
}
#: Wider system fonts (DejaVu Sans is ~10 % wider than Arial) and bold text fit in this.
SAFETY = 1.14
BOLD = 1.08
ASCENT, DESCENT = 0.80, 0.24
#: Space kept clear around a label (the halo drawn behind its letters), in ems.
HALO = 0.12


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated width of ``text`` at font size ``size``, in the same units.

    >>> round(text_width("Utrecht", 10), 1)
    36.7
    >>> text_width("Gent", 10) < text_width("Groningen", 10)
    True
    """
    total = 0
    for char in text:
        base = unicodedata.normalize("NFD", char)[0]
        if base in _WIDTHS:
            total += _WIDTHS[base]
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            total += 1000
        elif base.isupper():
            total += 722
        else:
            total += 600
    return total / 1000 * size * SAFETY * (BOLD if bold else 1.0)


@dataclass(frozen=True)
class Label:
    """A placed label: baseline start ``x``, ``y``, its anchor and the box it covers."""

    text: str
    x: float
    y: float
    anchor: str
    box: Box
    strong: bool
    country: bool = False


def boxes_overlap(a: Box, b: Box) -> bool:
    """Whether two boxes share any area (touching edges do not count).

    >>> boxes_overlap((0, 0, 10, 10), (10, 0, 20, 10)), boxes_overlap((0, 0, 10, 10), (9, 9, 20, 20))
    (False, True)
    """
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def segment_hits_box(segment: Segment, box: Box) -> bool:
    """Whether a line segment passes through a box (Liang-Barsky).

    >>> segment_hits_box((0, 5, 20, 5), (8, 0, 12, 10)), segment_hits_box((0, 20, 20, 20), (8, 0, 12, 10))
    (True, False)
    """
    x1, y1, x2, y2 = segment
    if (x1 < box[0] and x2 < box[0]) or (x1 > box[2] and x2 > box[2]):
        return False
    if (y1 < box[1] and y2 < box[1]) or (y1 > box[3] and y2 > box[3]):
        return False
    dx, dy = x2 - x1, y2 - y1
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x1 - box[0]), (dx, box[2] - x1), (-dy, y1 - box[1]), (dy, box[3] - y1)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


class Placer:
    """Places labels one by one around obstacles (dots, lines, labels placed before)."""

    CELL = 128.0

    def __init__(self, width: float, height: float) -> None:
        self.width, self.height = width, height
        self.boxes: dict[tuple[int, int], list[Box]] = {}
        self.lines: list[tuple[Box, tuple[Segment, ...]]] = []

    def copy(self) -> Placer:
        """A placer that knows all this one does, and can go on without changing it."""
        other = Placer(self.width, self.height)
        other.boxes = {cell: list(boxes) for cell, boxes in self.boxes.items()}
        other.lines = self.lines  # lines are only added before any label is placed
        return other

    def _cells(self, box: Box) -> list[tuple[int, int]]:
        size = self.CELL
        x1, x2 = int(box[0] // size), int(box[2] // size)
        y1, y2 = int(box[1] // size), int(box[3] // size)
        return [(cx, cy) for cx in range(x1, x2 + 1) for cy in range(y1, y2 + 1)]

    def block(self, box: Box) -> None:
        """Keep labels off ``box`` (a dot, a label)."""
        for cell in self._cells(box):
            self.boxes.setdefault(cell, []).append(box)

    def block_line(self, points: Sequence[tuple[float, float]]) -> None:
        """Keep labels off a polyline (a sampled partner arc), kept in pieces of four
        segments with their bounding boxes, so a label is tested only against the piece
        it is near."""
        for start in range(0, len(points) - 1, 4):
            piece = points[start : start + 5]
            xs, ys = [p[0] for p in piece], [p[1] for p in piece]
            segments = tuple((x1, y1, x2, y2) for (x1, y1), (x2, y2) in itertools.pairwise(piece))
            self.lines.append(((min(xs), min(ys), max(xs), max(ys)), segments))

    def free(self, box: Box) -> bool:
        x1, y1, x2, y2 = box
        if x1 < 2 or y1 < 2 or x2 > self.width - 2 or y2 > self.height - 2:
            return False
        boxes = self.boxes
        for cell in self._cells(box):
            for a, b, c, d in boxes.get(cell, ()):
                if x1 < c and a < x2 and y1 < d and b < y2:
                    return False
        return not any(
            x1 < c and a < x2 and y1 < d and b < y2 and any(segment_hits_box(s, box) for s in ss)
            for (a, b, c, d), ss in self.lines
        )

    def place(
        self,
        text: str,
        x: float,
        y: float,
        radius: float,
        size: float,
        strong: bool = False,
        em_width: float | None = None,
    ) -> Label | None:
        """The first free position for ``text`` beside a dot of ``radius`` at (x, y), or
        ``None``; ``em_width`` is the text's width at size 1, if already known."""
        w = (em_width if em_width is not None else text_width(text, 1.0, strong)) * size
        up, down, halo = ASCENT * size, DESCENT * size, HALO * size
        gap = radius + 2 + halo
        mid = (up - down) / 2  # baseline offset that centres the text on the dot
        d = gap * 0.72
        candidates = (
            (x + gap, y + mid, "start"),
            (x - gap, y + mid, "end"),
            (x + d, y - d - down, "start"),
            (x + d, y + d + up, "start"),
            (x - d, y - d - down, "end"),
            (x - d, y + d + up, "end"),
            (x, y - gap - down, "middle"),
            (x, y + gap + up, "middle"),
        )
        for lx, ly, anchor in candidates:
            left = lx if anchor == "start" else lx - w if anchor == "end" else lx - w / 2
            box = (left - halo, ly - up - halo, left + w + halo, ly + down + halo)
            if self.free(box):
                self.block(box)
                return Label(text, round(lx, 1), round(ly, 1), anchor, box, strong)
        return None

    def place_over(
        self, text: str, x: float, y: float, size: float, room: float, em_width: float
    ) -> Label | None:
        """A country's name centred on (x, y), if it fits in ``room`` units of width and
        touches nothing placed before; ``None`` otherwise (a name is never moved off its
        country). ``em_width`` is the name's width at size 1."""
        w = em_width * size
        if w > room:
            return None
        up, down, halo = ASCENT * size, DESCENT * size, HALO * size
        baseline = y + (up - down) / 2
        box = (x - w / 2 - halo, baseline - up - halo, x + w / 2 + halo, baseline + down + halo)
        if not self.free(box):
            return None
        self.block(box)
        return Label(text, round(x, 1), round(baseline, 1), "middle", box, False, True)
