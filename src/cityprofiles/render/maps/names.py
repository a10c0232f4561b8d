"""The names on a map: the places' names placed without overlaps in each label layer, and
the names of the countries where room is left.

Labels come in four layers, one per width at which the map is shown (``xs`` and ``s``
for phones, ``m``, ``l``); CSS container queries show the one that fits. Each layer's
font size, in SVG units, is chosen so the letters are at least 12 CSS pixels tall at the
narrowest width it is shown at (:data:`LAYERS`), and each layer is placed on its own,
with the dots grown to match: a phone shows fewer, larger names, none overlapping.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from babel import Locale

from cityprofiles.render.maps.frame import WIDTH, Frame
from cityprofiles.render.maps.geodata import geography
from cityprofiles.render.maps.labels import Label, Placer, text_width
from cityprofiles.render.maps.places import MapPoint

#: The narrowest a map is shown: a 320-px-wide page less its padding (WCAG reflow width).
NARROWEST_PX = 288
MIN_LABEL_PX = 12


@dataclass(frozen=True)
class LabelLayer:
    """Labels for a map shown from ``min_px`` CSS pixels wide (up to the next layer's)."""

    name: str
    min_px: float
    city_r: float
    partner_r: float

    @property
    def size(self) -> float:
        """Font size in SVG units: 12 CSS px at the narrowest width this layer is shown."""
        return math.ceil(MIN_LABEL_PX * WIDTH / self.min_px * 2) / 2


#: 288 px: a 320-px page; 343 px: a 375-px phone; then tablets and desktops.
LAYERS = (
    LabelLayer("xs", NARROWEST_PX, 14.0, 10.0),
    LabelLayer("s", 343, 12.0, 9.0),
    LabelLayer("m", 480, 9.0, 7.0),
    LabelLayer("l", 720, 7.0, 5.5),
)
#: Count labels in clusters must be readable at the smallest width too.
COUNT_SIZE = LAYERS[0].size


Placed = tuple[tuple[LabelLayer, Placer, tuple[Label, ...]], ...]


def place_names(
    frame: Frame,
    places: Sequence[tuple[MapPoint, float, float]],
    arcs: Sequence[list[tuple[float, float]]],
    extra_blocks: Sequence[tuple[float, float, float, float]] = (),
) -> Placed:
    """Per label layer, the names of ``places`` placed in priority order, with the
    placer that still knows what they cover."""
    out = []
    widths = [text_width(p.label, 1.0, p.profiled) for p, _, _ in places]
    lines = Placer(frame.width, frame.height)
    for samples in arcs:
        lines.block_line(samples)
    for layer in LAYERS:
        placer = Placer(frame.width, frame.height)
        placer.lines = lines.lines  # shared: read only once labels are being placed
        for box in extra_blocks:
            placer.block(box)
        for point, x, y in places:
            r = (layer.city_r if point.profiled else layer.partner_r) + 1
            placer.block((x - r, y - r, x + r, y + r))
        labels: list[Label] = []
        for (point, x, y), em in zip(places, widths, strict=True):
            r = layer.city_r if point.profiled else layer.partner_r
            label = placer.place(point.label, x, y, r, layer.size, point.profiled, em)
            if label is not None:
                labels.append(label)
        out.append((layer, placer, tuple(labels)))
    return tuple(out)


def label_layers(
    placed: Placed, areas: Sequence[tuple[str, float, float, float]] = ()
) -> list[str]:
    """The label layers (``<g>`` each): the places' names, then the names of the countries
    in ``areas`` (name, x, y, width) where room is left."""
    out = []
    area_widths = [text_width(name, 1.0) for name, _, _, _ in areas]
    for layer, placed_by, names in placed:
        labels = list(names)
        if areas:
            placer = placed_by.copy()
            for (name, x, y, room), em in zip(areas, area_widths, strict=True):
                label = placer.place_over(name, x, y, layer.size, room, em)
                if label is not None:
                    labels.append(label)
        out.append(
            f'<g class="cp-map__labels cp-map__labels--{layer.name}" font-size="{layer.size:g}">'
        )
        for label in labels:
            strong = (
                " cp-map__label--city"
                if label.strong
                else " cp-map__label--country"
                if label.country
                else ""
            )
            anchor = "" if label.anchor == "start" else f' text-anchor="{label.anchor}"'
            out.append(
                f'<text class="cp-map__label{strong}" x="{label.x:g}" y="{label.y:g}"{anchor}>'
                f"{escape(label.text)}</text>"
            )
        out.append("</g>")
    return out


#: At most this many country names on one map, the largest countries first.
MAX_COUNTRIES = 4


@functools.lru_cache(maxsize=1024)
def _country_spots(frame: Frame) -> tuple[tuple[str, float, float, float], ...]:
    """Countries whose name could go on the map: (ISO code, x, y, width), largest first."""
    west, south, east, north = frame.bounds(0)
    found = []
    for country in geography().set_for((west, south, east, north)).countries:
        c_west, c_south, c_east, c_north = country.box
        if c_east < west or c_west > east or c_north < south or c_south > north:
            continue
        inside = [
            xy
            for xy in (frame.to_xy(lon, lat) for lon, lat in country.points)
            if frame.inside(*xy, -20)
        ]
        if not inside:
            continue
        x, y = inside[0]
        corners = [frame.to_xy(lon, lat) for lon in (c_west, c_east) for lat in (c_south, c_north)]
        width = max(c[0] for c in corners) - min(c[0] for c in corners)
        height = max(c[1] for c in corners) - min(c[1] for c in corners)
        if width > 40:
            found.append((width * height, country.code, round(x, 1), round(y, 1), width * 0.9))
    found.sort(key=lambda f: (-f[0], f[1]))
    return tuple((code, x, y, round(room, 1)) for _, code, x, y, room in found)


def country_names(frame: Frame, locale: str | None) -> tuple[tuple[str, float, float, float], ...]:
    """The countries to name on the map in ``locale``: (name, x, y, width), largest first."""
    if locale is None:
        return ()
    names = _territories(locale)
    found = [(names.get(code, ""), x, y, room) for code, x, y, room in _country_spots(frame)]
    return tuple(f for f in found if f[0])[:MAX_COUNTRIES]


@functools.lru_cache(maxsize=16)
def _territories(locale: str) -> dict[str, str]:
    return {code: str(name) for code, name in Locale.parse(locale).territories.items()}
