"""The ``<svg>`` elements: sea, land, borders, partner arcs, dots and labels.

Every text is escaped here; colours come from CSS classes (the theme's custom
properties, so dark mode, print and a city's house style apply), never from inline
styles, which the Content-Security-Policy forbids. The names on the map, in one layer
per width at which it is shown, are placed by :mod:`~cityprofiles.render.maps.names`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from cityprofiles.render.maps.frame import Frame
from cityprofiles.render.maps.labels import text_width
from cityprofiles.render.maps.names import (
    COUNT_SIZE,
    LAYERS,
    Placed,
    country_names,
    label_layers,
    place_names,
)
from cityprofiles.render.maps.paths import Geometry, encode_path, geometry
from cityprofiles.render.maps.places import (
    Cluster,
    MapLine,
    MapPoint,
    cluster,
    distance_km,
    split_far,
)
from cityprofiles.render.maps.projection import Azimuthal, EqualEarth, wrap

#: A map reaching farther than this from its middle is drawn as a world map (Equal Earth).
WORLD_KM = 3000.0
#: A map with more profiled cities than this draws numbered clusters instead of dots.
CLUSTER_OVER = 60


@dataclass(frozen=True)
class MapDrawing:
    """A drawn map: the main ``<svg>``, the overview of far partners (if any), and what the
    legend needs to say."""

    svg: str
    overview: str | None
    kinds: frozenset[str]
    far: tuple[MapPoint, ...]
    clustered: bool
    source: str
    #: How many kilometres the main map spans from left to right (near its middle).
    span_km: float


@dataclass(frozen=True)
class Texts:
    """The translated texts of a map."""

    title: str
    description: str
    overview_title: str = ""
    overview_description: str = ""


def _arc(
    a: tuple[float, float], b: tuple[float, float], bend: float = 0.18
) -> tuple[str, list[tuple[float, float]]]:
    """A curved link from a to b (quadratic Bézier bulging up), as path data and samples."""
    (x1, y1), (x2, y2) = a, b
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length, dx / length
    if ny > 0 or (ny == 0 and nx < 0):
        nx, ny = -nx, -ny
    cx, cy = (x1 + x2) / 2 + nx * bend * length, (y1 + y2) / 2 + ny * bend * length
    samples = []
    for i in range(17):
        t = i / 16
        u = 1 - t
        samples.append(
            (u * u * x1 + 2 * u * t * cx + t * t * x2, u * u * y1 + 2 * u * t * cy + t * t * y2)
        )
    r = round
    return f"M{r(x1)} {r(y1)}Q{r(cx)} {r(cy)} {r(x2)} {r(y2)}", samples


def _links(
    lines: Sequence[MapLine], xy: dict[str, tuple[float, float]]
) -> list[tuple[str, str, list[tuple[float, float]]]]:
    """One arc per pair of places that both appear in ``xy`` (kind, path data, samples)."""
    seen: dict[tuple[str, str], str] = {}
    for line in lines:
        if line.source in xy and line.target in xy and line.source != line.target:
            pair = (min(line.source, line.target), max(line.source, line.target))
            if pair not in seen or line.kind == "sister":
                seen[pair] = line.kind
    out = []
    for (a, b), kind in sorted(seen.items()):
        if math.dist(xy[a], xy[b]) < 1:
            continue
        d, samples = _arc(xy[a], xy[b])
        out.append((kind, d, samples))
    return out


def _open(
    frame: Frame, ident: str, title: str, description: str, extra_class: str = ""
) -> list[str]:
    w, h = frame.width, frame.height
    cls = "cp-map__svg" + (f" {extra_class}" if extra_class else "")
    return [
        f'<svg class="{cls}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
        f'<rect class="cp-map__sea" width="{w}" height="{h}"/>',
    ]


def _background(geo: Geometry) -> list[str]:
    out = []
    if geo.land:
        out.append(f'<path class="cp-map__land" d="{geo.land}"/>')
    if geo.borders:
        out.append(f'<path class="cp-map__borders" d="{geo.borders}"/>')
    return out


def _dots(places: Sequence[tuple[MapPoint, float, float]]) -> list[str]:
    out = ['<g class="cp-map__places">']
    large = LAYERS[-1]
    for point, x, y in sorted(places, key=lambda p: (not p[0].profiled, p[0].key)):
        kind = "city" if point.profiled else "partner"
        r = large.city_r if point.profiled else large.partner_r
        out.append(
            f'<circle class="cp-map__dot cp-map__dot--{kind}" cx="{x:.1f}" cy="{y:.1f}" r="{r:g}"/>'
        )
    out.append("</g>")
    return out


def _clusters(clusters: Sequence[Cluster]) -> list[str]:
    out = ['<g class="cp-map__clusters">']
    for c in clusters:
        out.append(f'<circle class="cp-map__cluster" cx="{c.x:g}" cy="{c.y:g}" r="{c.r:g}"/>')
    out.append(f'</g><g class="cp-map__counts" font-size="{COUNT_SIZE:g}" text-anchor="middle">')
    for c in clusters:
        y = c.y + COUNT_SIZE * 0.35
        out.append(f'<text class="cp-map__count" x="{c.x:g}" y="{y:.1f}">{len(c.members)}</text>')
    out.append("</g>")
    return out


def _world_wide(points: Sequence[MapPoint], centre: tuple[float, float] | None = None) -> bool:
    """Whether the places reach so far from their middle that a world map suits them."""
    lon0, lat0 = centre or _centre(points)
    middle = MapPoint("", "", lat0, lon0, False)
    return max(distance_km(middle, p) for p in points) > WORLD_KM


@functools.lru_cache(maxsize=1200)
def _drawn(
    frame: Frame,
    places: tuple[tuple[MapPoint, float, float], ...],
    lines: tuple[MapLine, ...],
) -> tuple[tuple[str, ...], Placed, frozenset[str]]:
    """Arcs and dots of a map, its places' names placed, and the kinds of arc drawn. Kept
    for the next call: a page in another language usually shows the same names in the
    same places (only the countries' names differ)."""
    xy = {p.key: (x, y) for p, x, y in places}
    links = _links(lines, xy)
    out = ['<g class="cp-map__lines">']
    for kind, d, _ in links:
        out.append(f'<path class="cp-map__line cp-map__line--{kind}" d="{d}"/>')
    out.append("</g>")
    out += _dots(places)
    ordered = sorted(places, key=lambda p: (not p[0].profiled, p[0].label.casefold(), p[0].key))
    placed = place_names(frame, ordered, [s for _, _, s in links])
    return tuple(out), placed, frozenset(kind for kind, _, _ in links)


def _marks(
    frame: Frame,
    places: tuple[tuple[MapPoint, float, float], ...],
    lines: tuple[MapLine, ...],
    areas: tuple[tuple[str, float, float, float], ...] = (),
) -> tuple[list[str], frozenset[str]]:
    """Arcs, dots and label layers of a map, and the kinds of arc drawn."""
    drawn, placed, kinds = _drawn(frame, places, lines)
    return [*drawn, *label_layers(placed, areas)], kinds


def _centre(points: Sequence[MapPoint]) -> tuple[float, float]:
    """The middle of the places: of their latitudes, and of the shortest stretch of
    longitude that holds them all (across the date line if that is shorter).

    >>> _centre([MapPoint("a", "", 10, 170, True), MapPoint("b", "", 20, -170, True)])
    (-180.0, 15.0)
    """
    lats = [p.lat for p in points]
    lons = sorted(p.lon for p in points)
    middle_lat = (min(lats) + max(lats)) / 2
    if lons[-1] - lons[0] < 1e-9:
        return lons[0], middle_lat
    gaps = [(lons[(i + 1) % len(lons)] - lons[i]) % 360 for i in range(len(lons))]
    widest = max(range(len(gaps)), key=lambda i: (gaps[i], -i))
    start = lons[(widest + 1) % len(lons)]
    return wrap(start + (360 - gaps[widest]) / 2), middle_lat


def draw(
    points: Sequence[MapPoint],
    lines: Sequence[MapLine],
    texts: Texts,
    *,
    ident: str = "cp-map",
    aspect: tuple[float, float] = (0.5, 0.75),
    min_km: float = 400.0,
    snap: bool = False,
    coarse: bool = False,
    locale: str | None = None,
) -> MapDrawing:
    """The map of ``points`` and the arcs of ``lines`` between them.

    Partners far from every profiled city (:func:`~cityprofiles.render.maps.places.split_far`)
    go to a second, world-scale overview; more than :data:`CLUSTER_OVER` profiled cities
    become numbered clusters without arcs or names. ``snap`` and ``coarse`` are for the many
    small maps of a large site: frames on a grid that nearby maps share, and coastlines
    half as detailed. ``locale`` (a Babel locale such as ``nl_NL``) puts country names in
    that language where room is left after the places' names.
    """
    near, far = split_far(points)
    if far and _world_wide([*near, *far]) and _world_wide(near):
        near, far = [*near, *far], []  # the first map is a world map already: one is enough
    profiled = [p for p in near if p.profiled]
    clustered = len(profiled) > CLUSTER_OVER
    frame = _main_frame(profiled if clustered else near, clustered, aspect, min_km, snap)
    geo = geometry(frame, coarse)
    out = _open(frame, ident, texts.title, texts.description)
    out += _background(geo)
    kinds: set[str] = set()
    if clustered:
        positions = [(p, *frame.to_xy(p.lon, p.lat)) for p in profiled]

        def radius(count: int, share: float) -> float:
            return max(16 + 18 * share, text_width(str(count), COUNT_SIZE, True) / 2 + 5)

        out += _clusters(cluster(positions, 90.0, radius))
    else:
        places = tuple((p, *frame.to_xy(p.lon, p.lat)) for p in near if p.key)
        marks, found = _marks(frame, places, tuple(lines), country_names(frame, locale))
        out += marks
        kinds |= found
    out.append("</svg>")
    overview = None
    if far and not clustered:
        overview, far_kinds = _overview(near, far, lines, frame, texts, ident)
        kinds |= far_kinds
    return MapDrawing(
        "\n".join(out),
        overview,
        frozenset(kinds),
        tuple(far),
        clustered,
        geo.source,
        round(frame.km_per_unit * frame.width),
    )


def _main_frame(
    shown: Sequence[MapPoint],
    clustered: bool,
    aspect: tuple[float, float],
    min_km: float,
    snap: bool,
) -> Frame:
    """The frame of the main map around the places ``shown`` (see :func:`draw`)."""
    if not shown:
        shown = [MapPoint("", "", 50.0, 10.0, False)]
    lon0, lat0 = _centre(shown)
    if snap:  # as EPSG:3035 does for all of Europe: one middle serves a whole region
        lon0, lat0 = round(lon0 / 20) * 20.0, round(lat0 / 20) * 20.0
    wide = _world_wide(shown, (lon0, lat0))
    pad = (40.0, 40.0) if clustered else (80.0, 40.0)
    return Frame.fit(
        EqualEarth(lon0) if wide else Azimuthal(lon0, lat0),
        [(p.lon, p.lat) for p in shown],
        pad=pad,
        aspect=aspect,
        min_km=min_km,
        snap=snap,
    )


def _overview(
    near: Sequence[MapPoint],
    far: Sequence[MapPoint],
    lines: Sequence[MapLine],
    main: Frame,
    texts: Texts,
    ident: str,
) -> tuple[str, set[str]]:
    """A world-scale map: where the main map lies, and the far partners linked to it."""
    everything = [*near, *far]
    frame, corners = _overview_frame(everything, main)
    geo = geometry(frame)
    out = _open(
        frame,
        f"{ident}-far",
        texts.overview_title,
        texts.overview_description,
        "cp-map__svg--overview",
    )
    out += _background(geo)
    box = [(round(x), round(y)) for x, y in (frame.to_xy(lon, lat) for lon, lat in corners)]
    if len(box) >= 3:
        out.append(f'<path class="cp-map__frame" d="{encode_path(box, close=True)}"/>')
    places = [(p, *frame.to_xy(p.lon, p.lat)) for p in everything]
    xy = {p.key: (x, y) for p, x, y in places}
    far_keys = {p.key for p in far}
    links = _links([ln for ln in lines if ln.target in far_keys or ln.source in far_keys], xy)
    kinds: set[str] = set()
    out.append('<g class="cp-map__lines">')
    for kind, d, _ in links:
        kinds.add(kind)
        out.append(f'<path class="cp-map__line cp-map__line--{kind}" d="{d}"/>')
    out.append("</g>")
    linked = {
        k
        for ln in lines
        for k in (ln.source, ln.target)
        if ln.target in far_keys or ln.source in far_keys
    }
    shown = [
        pl for pl in places if pl[0].key in far_keys or (pl[0].key in linked and pl[0].profiled)
    ]
    out += _dots(shown)
    xs, ys = [p[0] for p in box] or [-9], [p[1] for p in box] or [-9]
    frame_box = (min(xs) - 2.0, min(ys) - 2.0, max(xs) + 2.0, max(ys) + 2.0)
    far_places = sorted(
        (pl for pl in places if pl[0].key in far_keys),
        key=lambda p: (p[0].label.casefold(), p[0].key),
    )
    out += label_layers(place_names(frame, far_places, [s for _, _, s in links], [frame_box]))
    out.append("</svg>")
    return "\n".join(out), kinds


def _overview_frame(
    everything: Sequence[MapPoint], main: Frame
) -> tuple[Frame, list[tuple[float, float]]]:
    """The overview's frame, holding every place and the outline of the main map, and
    that outline's points (lon, lat) where they are on the globe."""
    lon0, _ = _centre(everything)
    steps = 8
    w, h = main.width, main.height
    outline = [(i / steps * w, 0.0) for i in range(steps)]
    outline += [(w, i / steps * h) for i in range(steps)]
    outline += [(w - i / steps * w, h) for i in range(steps)]
    outline += [(0.0, h - i / steps * h) for i in range(steps)]
    corners = [c for c in (main.to_lonlat(x, y) for x, y in outline) if c is not None]
    frame = Frame.fit(
        EqualEarth(lon0),
        [*corners, *((p.lon, p.lat) for p in everything)],
        pad=(90.0, 40.0),
        aspect=(0.3, 0.6),
        min_km=4000.0,
    )
    return frame, corners
