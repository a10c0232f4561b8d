"""The validated site: what the render stage receives. Indexes are computed here, not in templates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from cityprofiles.errors import Problem
from cityprofiles.model.accessibility import AccessibilityStatement
from cityprofiles.model.city import City, GoalLink, Membership, Partner
from cityprofiles.model.config import Language, SiteConfig
from cityprofiles.model.networks import Network
from cityprofiles.model.sdgs import Sdg


@dataclass(frozen=True)
class Site:
    """The whole site, validated and cross-referenced."""

    root: Path
    config: SiteConfig
    languages: tuple[Language, ...]
    default_language: str
    cities: tuple[City, ...]
    networks: Mapping[str, Network]
    sdgs: tuple[Sdg, ...]
    accessibility: AccessibilityStatement
    pages: Mapping[tuple[str, str], str] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()
    city_sources: Mapping[str, str] = field(default_factory=dict)

    @property
    def language_codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    def language(self, code: str) -> Language:
        """The configured language with this code."""
        return next(lang for lang in self.languages if lang.code == code)

    def fallback_order(self, lang: str) -> tuple[str, ...]:
        """Where a missing value is looked for: the default language, then the others in order."""
        rest = [c for c in self.language_codes if c not in (lang, self.default_language)]
        return (self.default_language, *rest)

    def city(self, city_id: str) -> City | None:
        """The city with this id (its folder name), if any."""
        return self._cities_by_id.get(city_id)

    def partner_location(self, partner: Partner) -> tuple[float, float] | None:
        """Where a partner city is (lat, lon): the coordinates of its profile on this site
        if it has one, else its own ``coordinates:``, else unknown."""
        profiled = self.city(partner.city) if partner.city else None
        if profiled is not None:
            return (profiled.coordinates.lat, profiled.coordinates.lon)
        if partner.coordinates is not None:
            return (partner.coordinates.lat, partner.coordinates.lon)
        return None

    def sdg(self, number: int) -> Sdg:
        return self.sdgs[number - 1]

    @cached_property
    def _cities_by_id(self) -> dict[str, City]:
        return {c.id: c for c in self.cities}

    @cached_property
    def members_by_network(self) -> dict[str, list[tuple[City, Membership]]]:
        """Each network's member cities with their membership, in city order."""
        result: dict[str, list[tuple[City, Membership]]] = {nid: [] for nid in self.networks}
        for city in self.cities:
            for membership in city.memberships:
                result[membership.network].append((city, membership))
        return result

    @cached_property
    def cities_by_goal(self) -> dict[int, list[tuple[City, GoalLink]]]:
        """Each SDG's cities with how they link their work to it."""
        result: dict[int, list[tuple[City, GoalLink]]] = {s.number: [] for s in self.sdgs}
        for city in self.cities:
            if city.sdgs is not None:
                for link in city.sdgs.goals:
                    result[link.goal].append((city, link))
        return result
