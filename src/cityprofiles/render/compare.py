"""The compare page's layout for the size of the site, and a large site's summaries.

A few cities are shown in full; many are summarised by country and by goal so the page
stays light on a phone (a 1 000-city site: about 340 KB without the map, and the map's
partner table summarised per country). Everything here
comes from the validated site, like the open-data files the page links to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cityprofiles.i18n import by_name, pick
from cityprofiles.model import City, Sdg, Site

COMPARE_DETAIL_LIMIT = 50
"""Up to this many cities, the compare page shows every city in full (a card or a table row
each, with its networks, goals and partners, and a goal × city matrix); above it, it
summarises by country and by goal and lists each city in one short row, so the page of a
1 000-city site stays light enough for a phone. Every figure stays in the open data."""

COMPARE_ROWS_LIMIT = 2000
"""Up to this many cities, a large site's compare page still lists each city in one short row
(about 320 bytes each); above it, only the summaries, with the open data for the rest."""

MATRIX_CITY_COLUMNS = 6
"""Up to this many cities, the wide goal matrix has a column per city (goal names read in
full); above it, a row per city and a column per goal, so it never grows sideways."""


@dataclass(frozen=True)
class CountrySummary:
    """The cities of one country on a large site's compare page."""

    country: str
    name: str
    cities: tuple[City, ...]
    population: int
    """The sum over the cities that give a population."""
    counted: int
    """How many cities give a population."""
    networks: int
    """How many different networks its cities belong to."""
    top_goals: tuple[int, ...]
    """The goals most of its cities link to (up to three, most linked first)."""


@dataclass(frozen=True)
class PartnerSummary:
    """The partner cities of one country's cities, on a large site's compare page."""

    country: str
    name: str
    partners: int
    """How many partner cities its cities list (a partner of two cities counts twice)."""
    cities: int
    """How many of its cities list a partner city."""
    partner_countries: tuple[tuple[str, int], ...]
    """The countries its cities' partners are in most often (up to three): name, count."""


@dataclass(frozen=True)
class GoalCount:
    """One goal with how many cities link their work to it, for a large site's compare page."""

    goal: Sdg
    cities: int
    share: str
    """The share of all cities, in the page locale (``41%``, ``41 %``)."""
    percent: int


def country_summaries(site: Site, lang: str) -> list[CountrySummary]:
    """The site's cities grouped by country, countries and cities in the page language's
    name order (:mod:`cityprofiles.i18n.collation`)."""
    from babel import Locale

    territories = Locale.parse(site.language(lang).locale).territories
    order = site.fallback_order(lang)

    def text(value: Mapping[str, str]) -> str:
        found = pick(value, lang, order)
        return found.text if found else ""

    groups: dict[str, list[City]] = {}
    for city in site.cities:
        groups.setdefault(city.country, []).append(city)
    result = []
    for code, cities in groups.items():
        counts: dict[int, int] = {}
        for city in cities:
            for link in city.sdgs.goals if city.sdgs else ():
                counts[link.goal] = counts.get(link.goal, 0) + 1
        top = sorted(counts, key=lambda g: (-counts[g], g))[:3]
        given = [c.population.value for c in cities if c.population]
        result.append(
            CountrySummary(
                code,
                str(territories.get(code, code)),
                tuple(by_name(cities, lambda c: text(c.name), lang)),
                sum(given),
                len(given),
                len({m.network for c in cities for m in c.memberships}),
                tuple(top),
            )
        )
    return by_name(result, lambda summary: summary.name, lang)


def partner_summaries(countries: list[CountrySummary], lang: str) -> list[PartnerSummary]:
    """The partner cities summed per country, in the order of ``countries``: the map's table
    for a large site (each partnership in a row was 0.9 MB at 1 000 cities; every row is in
    ``data/partners.csv`` and on the city's own page)."""
    from babel import Locale

    territories = Locale.parse(lang).territories
    result = []
    for country in countries:
        tally: dict[str, int] = {}
        for city in country.cities:
            for partner in city.partners:
                tally[partner.country] = tally.get(partner.country, 0) + 1
        top = sorted(tally, key=lambda code: (-tally[code], code))[:3]
        result.append(
            PartnerSummary(
                country.country,
                country.name,
                sum(tally.values()),
                sum(1 for city in country.cities if city.partners),
                tuple((str(territories.get(code, code)), tally[code]) for code in top),
            )
        )
    return result


def goal_counts(site: Site, lang: str) -> list[GoalCount]:
    """Each goal with the number and share of cities that link their work to it."""
    from babel.numbers import format_percent

    locale = site.language(lang).locale
    total = len(site.cities) or 1
    return [
        GoalCount(
            sdg,
            len(site.cities_by_goal[sdg.number]),
            str(format_percent(len(site.cities_by_goal[sdg.number]) / total, locale=locale)),
            round(100 * len(site.cities_by_goal[sdg.number]) / total),
        )
        for sdg in site.sdgs
    ]


def compare_layout(site: Site, lang: str) -> dict[str, Any]:
    """The compare template's choice of layout, with a large site's summaries.

    ``detailed``: every city in full; ``matrix_by_city``: the wide goal matrix has a row
    per city; ``countries``, ``partner_countries`` and ``city_rows`` (large sites only);
    ``goal_counts``.
    """
    count = len(site.cities)
    layout: dict[str, Any] = {
        "detailed": count <= COMPARE_DETAIL_LIMIT,
        "matrix_by_city": count > MATRIX_CITY_COLUMNS,
        "goal_counts": goal_counts(site, lang),
    }
    if not layout["detailed"]:
        layout["countries"] = country_summaries(site, lang)
        layout["partner_countries"] = partner_summaries(
            layout["countries"], site.language(lang).locale
        )
        layout["city_rows"] = count <= COMPARE_ROWS_LIMIT
    return layout
