"""The maps of a site: the compare page's map of every city, and a city page's own map.

Takes the places from the validated site (a partner that has a profile is drawn where
that city is), draws them with :func:`cityprofiles.render.maps.svg.draw` and hands the
templates a :class:`MapFigure`: the SVG markup and what the legend has to explain. The
table or list under each map stays the accessible equivalent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from cityprofiles.i18n import pick
from cityprofiles.model import City, Site
from cityprofiles.render.maps.places import MapLine, MapPoint, split_far
from cityprofiles.render.maps.svg import MapDrawing, Texts, draw

Gettext = Callable[[str], str]


@dataclass(frozen=True)
class MapFigure:
    """A drawn map for the ``partials/map.html`` template."""

    svg: Markup
    overview: Markup | None
    partners: bool
    sister: bool
    other: bool
    clustered: bool
    far: tuple[str, ...]

    @classmethod
    def of(cls, drawing: MapDrawing, points: Sequence[MapPoint]) -> MapFigure:
        return cls(
            Markup(drawing.svg),  # noqa: S704 - built by cityprofiles.render.maps with every text escaped
            Markup(drawing.overview) if drawing.overview else None,  # noqa: S704 - likewise
            any(not p.profiled for p in points) and not drawing.clustered,
            "sister" in drawing.kinds,
            bool(drawing.kinds - {"sister"}),
            drawing.clustered,
            tuple(p.label for p in drawing.far),
        )


def _names(points: Sequence[MapPoint]) -> str:
    return ", ".join(sorted((p.label for p in points), key=str.casefold))


def compare_figure(
    points: Sequence[MapPoint],
    lines: Sequence[MapLine],
    gettext: Gettext,
    locale: str | None = None,
    *,
    summarised: bool = False,
) -> MapFigure:
    """The compare page's map of every profiled city and its partners.

    ``summarised``: the table below the map counts the partner cities per country instead
    of listing each partnership (a large site, :mod:`cityprofiles.render.compare`); the
    map's description says which of the two the reader will find there.
    """
    cities = _number(sum(1 for p in points if p.profiled), locale)
    partners = _number(sum(1 for p in points if not p.profiled), locale)
    if summarised:
        described = gettext(
            "%(cities)s cities with a profile on this site and %(partners)s partner cities, "
            "on a map of coastlines and country borders, with arcs between partners. "
            "The table below the map counts the partner cities per country."
        )
    else:
        described = gettext(
            "%(cities)s cities with a profile on this site and %(partners)s partner cities, "
            "on a map of coastlines and country borders, with arcs between partners. "
            "The table below the map lists the same partnerships."
        )
    texts = Texts(
        gettext("Map of the cities and their partner cities"),
        described % {"cities": cities, "partners": partners},
    )
    drawing = draw(
        points, lines, _overview_texts(texts, gettext, points), ident="cp-map", locale=locale
    )
    if drawing.clustered:
        if summarised:
            clustered = gettext(
                "%(cities)s cities with a profile on this site, on a map of coastlines and "
                "country borders, grouped by area into circles with the number of cities in "
                "each. The table below the map counts the partner cities per country."
            )
        else:
            clustered = gettext(
                "%(cities)s cities with a profile on this site, on a map of coastlines and "
                "country borders, grouped by area into circles with the number of cities in "
                "each. The table below lists every city and its partners."
            )
        drawing = draw(
            points,
            lines,
            Texts(texts.title, clustered % {"cities": cities}),
            ident="cp-map",
            locale=locale,
        )
    return MapFigure.of(drawing, points)


def _number(value: int, locale: str | None) -> str:
    """A count in the page's number format (``1,000``, ``1.000``)."""
    if locale is None:
        return str(value)
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=locale))


def _overview_texts(texts: Texts, gettext: Gettext, points: Sequence[MapPoint]) -> Texts:
    far = split_far(points)[1]
    if not far:
        return texts
    return Texts(
        texts.title,
        texts.description,
        gettext("Partner cities farther away"),
        gettext(
            "A world map with the partner cities beyond the first map: %(names)s. "
            "A frame marks the area of the first map."
        )
        % {"names": _names(far)},
    )


def _text(site: Site, lang: str) -> Callable[[Mapping[str, str]], str]:
    order = site.fallback_order(lang)

    def text(value: Mapping[str, str]) -> str:
        found = pick(value, lang, order)
        return found.text if found else ""

    return text


def city_places(site: Site, city: City, lang: str) -> tuple[list[MapPoint], list[MapLine]]:
    """The city and its located partners (a profiled partner where its profile puts it)."""
    text = _text(site, lang)
    own = "city:" + city.id
    points = [MapPoint(own, text(city.name), city.coordinates.lat, city.coordinates.lon, True)]
    lines = []
    for i, partner in enumerate(city.partners):
        found = site.partner_location(partner)
        if found is None:
            continue
        key = f"partner:{i}"
        points.append(MapPoint(key, text(partner.name), found[0], found[1], False))
        lines.append(MapLine(own, key, partner.kind))
    return points, lines


def city_figure(site: Site, city: City, lang: str, gettext: Gettext) -> MapFigure | None:
    """A city page's map of the city and its partners; ``None`` when it has no located partner."""
    points, lines = city_places(site, city, lang)
    if len(points) < 2:
        return None
    name = points[0].label
    partners = points[1:]
    texts = Texts(
        gettext("Map of %(city)s and its partner cities") % {"city": name},
        gettext(
            "%(city)s and its partner cities on a map of coastlines and country borders: "
            "%(names)s. The list below describes each partnership."
        )
        % {"city": name, "names": _names(partners)},
    )
    drawing = draw(
        points,
        lines,
        _overview_texts(texts, gettext, points),
        ident="cp-city-map",
        aspect=(0.6, 0.6),
        snap=True,
        coarse=True,
        locale=site.language(lang).locale,
    )
    return MapFigure.of(drawing, points)
