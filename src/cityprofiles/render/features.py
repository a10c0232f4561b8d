"""What the compare, data and search pages need, computed in Python rather than in templates.

The render stage asks :func:`feature_context` for these page kinds; everything here
is derived from the validated :class:`~cityprofiles.model.site.Site`, so the pages can
never disagree with the open-data files or with each other.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from cityprofiles.i18n import pick
from cityprofiles.model import City, Partner, Sdg, Site
from cityprofiles.render import routes
from cityprofiles.render.compare import compare_layout
from cityprofiles.render.maps import MapLine, MapPoint, split_far
from cityprofiles.render.maps.site_maps import compare_figure
from cityprofiles.render.routes import Route, Router
from cityprofiles.render.search_parts import bundle_paths, names_part

#: Readable names of common SPDX licence ids; others are shown as their id.
LICENCE_NAMES = {
    "CC0-1.0": "Creative Commons Zero v1.0 Universal",
    "CC-BY-4.0": "Creative Commons Attribution 4.0 International",
    "CC-BY-SA-4.0": "Creative Commons Attribution Share Alike 4.0 International",
    "ODbL-1.0": "Open Data Commons Open Database License v1.0",
    "PDDL-1.0": "Open Data Commons Public Domain Dedication & License 1.0",
    "EUPL-1.2": "European Union Public License 1.2",
}


def licence_url(spdx: str) -> str:
    """The SPDX page of a licence id, e.g. https://spdx.org/licenses/CC-BY-4.0.html."""
    return f"https://spdx.org/licenses/{spdx}.html"


class FileSizes(Protocol):
    """The open-data files, of which the data page shows each one's size."""

    def size(self, path: str) -> int:
        """The length of the file at ``path`` (an output path), in bytes."""
        ...


@dataclass(frozen=True)
class PartnerRow:
    """A city and one of its partners, for the map's table alternative."""

    city: City
    partner: Partner
    on_map: bool
    far: bool = False


@dataclass(frozen=True)
class GoalRow:
    """One row of the SDG × city matrix: for each city (in site order), whether it links the goal."""

    goal: Sdg
    cells: tuple[tuple[City, bool], ...]


@dataclass(frozen=True)
class DataFile:
    """One downloadable file on the data page."""

    name: str
    href: str
    format: str
    size: str


def _text(site: Site, lang: str) -> Callable[[Mapping[str, str] | None], str]:
    order = site.fallback_order(lang)

    def text(value: Mapping[str, str] | None) -> str:
        found = pick(value, lang, order) if value else None
        return found.text if found else ""

    return text


def _partner_key(site: Site, partner: Partner) -> str:
    if partner.city and site.city(partner.city) is not None:
        return "city:" + partner.city
    return f"partner:{partner.country}:{sorted(partner.name.values())[0].casefold()}"


def map_data(site: Site, lang: str) -> tuple[list[MapPoint], list[MapLine], list[PartnerRow]]:
    """The places and lines of the map, and every partnership as a table row."""
    text = _text(site, lang)
    points: dict[str, MapPoint] = {}
    for city in site.cities:
        key = "city:" + city.id
        points[key] = MapPoint(
            key, text(city.name), city.coordinates.lat, city.coordinates.lon, True
        )
    lines: list[MapLine] = []
    rows: list[PartnerRow] = []
    for city in site.cities:
        for partner in city.partners:
            key = _partner_key(site, partner)
            where = site.partner_location(partner)
            if where is not None:
                points.setdefault(key, MapPoint(key, text(partner.name), *where, False))
                lines.append(MapLine("city:" + city.id, key, partner.kind))
            rows.append(PartnerRow(city, partner, where is not None))
    far = {p.key for p in split_far(list(points.values()))[1]}
    rows = [
        PartnerRow(r.city, r.partner, r.on_map, _partner_key(site, r.partner) in far) for r in rows
    ]
    return list(points.values()), lines, rows


def goal_matrix(site: Site) -> list[GoalRow]:
    """Each SDG with, per city, whether the city links its work to it."""
    linked = {
        city.id: {g.goal for g in city.sdgs.goals} if city.sdgs else set() for city in site.cities
    }
    return [
        GoalRow(sdg, tuple((city, sdg.number in linked[city.id]) for city in site.cities))
        for sdg in site.sdgs
    ]


@functools.lru_cache(maxsize=4096)
def file_size(size: int, locale: str) -> str:
    """A file size for readers, in the page's number format (remembered: the data page
    of 1 000 cities formats 2 000 sizes, most of them alike).

    >>> file_size(9800, "nl"), file_size(779, "en")
    ('9,8 kB', '779 byte')
    """
    from babel.units import format_unit

    if size < 1000:
        return str(format_unit(size, "digital-byte", length="short", locale=locale))
    return str(
        format_unit(round(size / 1000, 1), "digital-kilobyte", length="short", locale=locale)
    )


def data_files(
    site: Site, link: Callable[[str], str], files: FileSizes, locale: str
) -> dict[str, list[DataFile]]:
    """The open-data files grouped for the data page, with links and sizes."""

    def entry(name: str, path: str, fmt: str) -> DataFile:
        return DataFile(name, link(path), fmt, file_size(files.size(path), locale))

    return {
        "collections": [
            entry(name, routes.collection_path(name), "CSV") for name in routes.COLLECTIONS
        ],
        "cities": [entry(city.id, routes.city_json_path(city.id), "JSON") for city in site.cities],
        "schema": [entry("city.schema.json", routes.SCHEMA_PATH, "JSON Schema")],
    }


class PageLinker(Protocol):
    """The links of the page being rendered (:class:`cityprofiles.render.renderer.PageLinks`)."""

    def link(self, target: str) -> str: ...

    def url_to(self, kind: str, key: object = "", lang: str | None = None) -> str: ...


def feature_context(
    route: Route,
    site: Site,
    router: Router,
    gettext: Callable[[str], str],
    links: PageLinker,
    open_data: FileSizes,
) -> tuple[str, str, dict[str, Any]]:
    """Title, description and template variables of a compare, data or search page."""
    lang = route.lang
    link = links.link
    extra: dict[str, Any] = {}
    if route.kind == "compare":
        title, description, extra = _compare(site, lang, gettext, links)
    elif route.kind == "data":
        title = gettext("Open data")
        description = gettext(
            "Download the city profiles as JSON and CSV, and follow profile updates."
        )
        extra["downloads"] = data_files(site, link, open_data, site.language(lang).locale)
        extra["feed"] = link(routes.feed_path(lang))
        extra["licence_id"] = site.config.data_licence
        extra["licence_name"] = LICENCE_NAMES.get(
            site.config.data_licence, site.config.data_licence
        )
        extra["licence_url"] = licence_url(site.config.data_licence)
    else:
        title = gettext("Search")
        description = gettext("Search the city profiles on this site.")
        bundles = bundle_paths(router, lang)  # this language's; more than one on large sites
        extra["pagefind_js"] = link(bundles[0] + "pagefind.js")
        extra["pagefind_more"] = [link(folder) for folder in bundles[1:]]
        names = names_part(router, lang)  # a large site's titles, asked first
        extra["pagefind_names"] = link(names.folder) if names is not None else ""
        extra["site_root"] = link("")
    return title, description, extra


def _compare(
    site: Site, lang: str, gettext: Callable[[str], str], links: PageLinker
) -> tuple[str, str, dict[str, Any]]:
    """The compare page: the map, the layout for the site's size, the link dictionaries."""
    link, url_to = links.link, links.url_to
    extra: dict[str, Any] = {}
    points, lines, rows = map_data(site, lang)
    title = gettext("Compare cities")
    description = gettext(
        "Cities side by side: population, networks, Global Goals, partner cities and strategy."
    )
    extra.update(compare_layout(site, lang))  # cards, tables or summaries: compare.py
    extra["map"] = compare_figure(
        points, lines, gettext, site.language(lang).locale, summarised=not extra["detailed"]
    )
    extra["partner_rows"] = rows
    if extra["detailed"]:
        extra["matrix"] = goal_matrix(site)
    extra["data_page"] = url_to("data")
    extra["cities_csv"] = link(routes.collection_path("cities"))
    extra["partners_csv"] = link(routes.collection_path("partners"))

    # The page links each city, network and goal many times (1 000 cities: ~40 000
    # links); looked up in these instead of a url_to() call each from the template
    # (Jinja's Context.call was a third of the page's time).
    extra["city_links"] = {c.id: url_to("city", c.id) for c in site.cities}
    extra["network_links"] = {nid: url_to("network", nid) for nid in site.networks}
    extra["goal_links"] = {s.number: url_to("goal", s.number) for s in site.sdgs}
    extra["goals_by_number"] = {s.number: s for s in site.sdgs}
    return title, description, extra


def vcard_href(link: Callable[[str], str], city: City, contact_id: str, lang: str) -> str:
    """The link from a page to a contact's vCard in the page language."""
    return link(routes.vcard_path(city.id, contact_id, lang))
