"""References between files, checked once every file is read: URL names that must be
unique, networks that must be in the registry, goals listed once, partner cities that
must have a profile. A reference into a registry that failed to load is not checked
(that file's own errors say enough)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from cityprofiles.content import DataPath, YamlDocument
from cityprofiles.model import SLUG_PATTERN, City, Network
from cityprofiles.validate.partial import present
from cityprofiles.validate.problems import Collector

Slugs = dict[tuple[str, str], str]
"""(language, URL name) -> the city that has it."""


def check_slugs(collector: Collector, doc: YamlDocument, city: City, seen: Slugs) -> None:
    """Each language's URL name is a plain slug, and no other city has it (``seen``: the
    URL names of the cities checked before, added to here)."""
    if city.slug is None and isinstance(doc.data, dict) and "slug" in doc.data:
        return  # the slug has errors of its own (a city checked as far as it validated)
    bad: set[str] = set()
    clashes: dict[tuple[str, str], list[str]] = {}
    for lang in collector.languages:
        slug = city.url_slug(lang)
        if not re.match(SLUG_PATTERN, slug) and slug not in bad:
            bad.add(slug)  # a plain-text slug is shared by all languages
            where: DataPath = ("slug", lang)
            if isinstance(doc.data, dict) and isinstance(doc.data.get("slug"), str):
                where = ("slug",)
            message = (
                f"'{slug}' cannot be used in a URL; use lower-case letters, digits and hyphens"
            )
            collector.error(doc.source, doc.mark(where), where, message, "bad-slug")
        other = seen.get((lang, slug))
        if other is not None:
            clashes.setdefault((other, slug), []).append(lang)
        seen[(lang, slug)] = city.id
    for (other, slug), langs in clashes.items():
        message = (
            f"two cities have the URL name '{slug}' in {' and '.join(langs)}: {other} and {city.id}"
        )
        collector.error(doc.source, doc.mark(("slug",)), ("slug",), message, "duplicate-slug")


def check_memberships(
    collector: Collector, doc: YamlDocument, city: City, networks: Mapping[str, Network]
) -> None:
    """Every network a city is a member of is in the registry, and listed once."""
    used: set[str] = set()
    for index, membership in present(city.memberships):
        path: DataPath = ("memberships", index, "network")
        if membership.network is None:
            continue  # an error of its own
        if membership.network not in networks:
            close = difflib.get_close_matches(membership.network, list(networks), n=1, cutoff=0.6)
            hint = (
                f"; did you mean '{close[0]}'?"
                if close
                else "; add it to content/networks.yaml first"
            )
            message = f"unknown network '{membership.network}'{hint}"
            collector.error(doc.source, doc.mark(path), path, message, "unknown-reference")
        elif membership.network in used:
            message = f"'{membership.network}' is listed twice"
            collector.error(doc.source, doc.mark(path), path, message, "duplicate")
        used.add(membership.network)


def check_goals(collector: Collector, doc: YamlDocument, city: City) -> None:
    """Each SDG is described in one entry."""
    if city.sdgs is None:
        return
    goals: set[int] = set()
    for index, link in present(city.sdgs.goals):
        if link.goal is None:
            continue
        if link.goal in goals:
            path: DataPath = ("sdgs", "goals", index, "goal")
            message = f"SDG {link.goal} is listed twice; describe all work on it in one entry"
            collector.error(doc.source, doc.mark(path), path, message, "duplicate")
        goals.add(link.goal)


def check_partners(collector: Collector, doc: YamlDocument, city: City, ids: set[str]) -> None:
    """A partner that names a profiled city (``city:``) names another city that exists."""
    for index, partner in present(city.partners):
        if partner.city is None:
            continue
        path: DataPath = ("partners", index, "city")
        if partner.city == city.id:
            message = "a city cannot be its own partner"
            collector.error(doc.source, doc.mark(path), path, message, "unknown-reference")
        elif partner.city not in ids:
            message = (
                f"no city '{partner.city}' in content/cities/; remove the line or add the city"
            )
            collector.error(doc.source, doc.mark(path), path, message, "unknown-reference")
