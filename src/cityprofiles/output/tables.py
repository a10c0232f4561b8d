"""The open data as CSV: one flat table per kind of record, across all cities.

RFC 4180 (UTF-8, comma-separated, CRLF line ends, a header row), one column per language
for translated values (a missing translation stays empty: raw data, no fallback), and
no cell a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from cityprofiles.i18n import pick
from cityprofiles.model import City, Site
from cityprofiles.render import COLLECTIONS, collection_path

Row = tuple[str, ...]


@dataclass(frozen=True)
class Collection:
    """One CSV file: a flat table of one kind of record across all cities."""

    name: str
    path: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _cell(value: object) -> str:
    if value is None:
        return ""
    return str(value)


def _per_lang(value: Mapping[str, str] | None, langs: Sequence[str]) -> list[str]:
    """One column per language; a missing translation stays empty (raw data, no fallback)."""
    return [(value or {}).get(lang, "") for lang in langs]


def _lang_columns(prefix: str, langs: Sequence[str]) -> list[str]:
    return [f"{prefix}_{lang}" for lang in langs]


def _city_rows(site: Site, city: City, langs: Sequence[str]) -> list[Row]:
    period = city.strategy.period
    population = city.population
    return [
        (
            city.id,
            *_per_lang(city.name, langs),
            city.country,
            *_per_lang(city.region, langs),
            _cell(population.value if population else None),
            _cell(population.year if population else None),
            _cell(city.coordinates.lat),
            _cell(city.coordinates.lon),
            city.website,
            *_per_lang(city.strategy.title, langs),
            _cell(period.start if period else None),
            _cell(period.end if period else None),
            str(len(city.memberships)),
            str(len(city.sdgs.goals) if city.sdgs else 0),
            city.last_reviewed.isoformat(),
        )
    ]


def _membership_rows(site: Site, city: City, langs: Sequence[str]) -> list[Row]:
    return [
        (
            city.id,
            m.network,
            *_per_lang(site.networks[m.network].name, langs),
            *_per_lang(m.role, langs),
            _cell(m.since),
        )
        for m in city.memberships
    ]


def _goal_rows(site: Site, city: City, langs: Sequence[str]) -> list[Row]:
    return [
        (
            city.id,
            str(link.goal),
            *_per_lang(site.sdg(link.goal).name, langs),
            *_per_lang(link.description, langs),
        )
        for link in (city.sdgs.goals if city.sdgs else ())
    ]


def _partner_rows(site: Site, city: City, langs: Sequence[str]) -> list[Row]:
    rows = []
    for p in city.partners:
        point = site.partner_location(p)
        rows.append(
            (
                city.id,
                *_per_lang(p.name, langs),
                p.country,
                p.kind,
                _cell(p.since),
                p.city or "",
                _cell(point[0] if point else None),
                _cell(point[1] if point else None),
            )
        )
    return rows


def _partnership_rows(site: Site, city: City, langs: Sequence[str]) -> list[Row]:
    return [
        (
            city.id,
            *_per_lang(ps.name, langs),
            _cell(ps.since),
            "; ".join(_default_text(site, m) for m in ps.members),
            ps.url or "",
        )
        for ps in city.partnerships
    ]


_TABLES: dict[
    str, tuple[Callable[[Sequence[str]], Row], Callable[[Site, City, Sequence[str]], list[Row]]]
] = {
    "cities": (
        lambda langs: (
            "city",
            *_lang_columns("name", langs),
            "country",
            *_lang_columns("region", langs),
            "population",
            "population_year",
            "lat",
            "lon",
            "website",
            *_lang_columns("strategy", langs),
            "strategy_start",
            "strategy_end",
            "networks",
            "sdgs",
            "last_reviewed",
        ),
        _city_rows,
    ),
    "memberships": (
        lambda langs: (
            "city",
            "network",
            *_lang_columns("network", langs),
            *_lang_columns("role", langs),
            "since",
        ),
        _membership_rows,
    ),
    "sdg-links": (
        lambda langs: (
            "city",
            "goal",
            *_lang_columns("goal", langs),
            *_lang_columns("description", langs),
        ),
        _goal_rows,
    ),
    "partners": (
        lambda langs: (
            "city",
            *_lang_columns("partner", langs),
            "country",
            "kind",
            "since",
            "partner_city",
            "lat",
            "lon",
        ),
        _partner_rows,
    ),
    "partnerships": (
        lambda langs: ("city", *_lang_columns("partnership", langs), "since", "members", "url"),
        _partnership_rows,
    ),
}
"""Each collection's header and its rows for one city, by name (in :data:`COLLECTIONS` order)."""


def collections(site: Site) -> tuple[Collection, ...]:
    """The CSV collections: cities, memberships, SDG links, partner cities, partnerships."""
    langs = site.language_codes
    result = []
    for name in COLLECTIONS:
        columns, rows = _TABLES[name]
        table = tuple(row for city in site.cities for row in rows(site, city, langs))
        result.append(Collection(name, collection_path(name), columns(langs), table))
    return tuple(result)


def _default_text(site: Site, value: Mapping[str, str]) -> str:
    found = pick(value, site.default_language, site.language_codes)
    return found.text if found else ""


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(cell: object) -> object:
    """Keep a spreadsheet from running text as a formula (CSV injection).

    Text that starts like a formula gets a leading apostrophe, which spreadsheets
    show as plain text; numbers such as ``-3.2`` stay numbers.

    >>> defuse_formula("=1+1"), defuse_formula("-3.2"), defuse_formula("Gent")
    ("'=1+1", '-3.2', 'Gent')
    """
    if not isinstance(cell, str) or not cell.startswith(_FORMULA_START):
        return cell
    try:
        float(cell)
    except ValueError:
        return "'" + cell
    return cell


def csv_bytes(collection: Collection) -> bytes:
    """RFC 4180 CSV: UTF-8, comma-separated, CRLF line ends, a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(collection.columns)
    writer.writerows([defuse_formula(cell) for cell in row] for row in collection.rows)
    return buffer.getvalue().encode("utf-8")
