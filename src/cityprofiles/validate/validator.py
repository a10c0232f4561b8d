"""Stage 2, validate: loaded data -> the typed :class:`~cityprofiles.model.site.Site`.

Every problem of a run is collected (schema errors, broken cross-references,
missing translations) and reported together with its file, line and data path.
Errors stop the build; warnings are reported and become errors under ``--strict``.
The rules live in modules by concern (``site_config``, ``references``, ``contacts``,
``translations``, ``dates``, ``prose``); this one runs them in order.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from cityprofiles.content import CitySource, MarkdownRenderer, Sources, SourceText, YamlDocument
from cityprofiles.errors import ContentError, Problem
from cityprofiles.i18n import ui_warnings
from cityprofiles.model import (
    SLUG_PATTERN,
    AccessibilityStatement,
    City,
    Network,
    NetworkRegistry,
    Site,
)
from cityprofiles.validate.contacts import check_contacts, check_reachable
from cityprofiles.validate.dates import check_review, check_statement_dates
from cityprofiles.validate.goals import site_sdgs
from cityprofiles.validate.model_errors import checked, validated
from cityprofiles.validate.problems import Collector
from cityprofiles.validate.prose import pages, prose
from cityprofiles.validate.references import (
    Slugs,
    check_goals,
    check_memberships,
    check_partners,
    check_slugs,
)
from cityprofiles.validate.site_config import SiteSettings, check_site_config
from cityprofiles.validate.translations import check_city_completeness, check_translations

_RESERVED = {
    "id": "the id is the folder name",
    "narrative": "the narrative lives in narrative.<language>.md files",
}
"""Fields a city.yaml may not set, and where that information lives instead."""


class Validator(Collector):
    """Turns one site's sources into a :class:`Site`, collecting every problem."""

    def __init__(
        self,
        sources: Sources,
        problems: list[Problem] | None = None,
        *,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(problems, today)
        self.sources = sources
        self.markdown = MarkdownRenderer()
        self.partial_cities: list[City] = []
        """Cities with errors, as far as they validated: checked against the other files
        too, so one run reports every problem (:mod:`.partial`)."""

    def model(self, cls: type[Any], doc: YamlDocument, data: Any, **update: Any) -> Any:
        """Validate ``data`` from ``doc`` against ``cls``; on failure record positioned problems."""
        return validated(self, cls, doc, data, **update)

    def run(self) -> Site:
        """Every file, then the references between them; raise with every problem."""
        config, languages, default = self.site_config()
        networks = self.networks()
        statement = self.accessibility()
        cities = [c for c in (self.city(src) for src in self.sources.cities) if c is not None]
        site_pages = pages(self, self.markdown, self.sources.pages, self.sources.site)
        self.cross_check([*cities, *self.partial_cities], networks)
        if config is not None:
            self.problems.extend(ui_warnings(self.sources.root, self.languages))
        sdgs = site_sdgs(self, self.sources.sdgs)
        errors = [p for p in self.problems if p.severity == "error"]
        if errors or config is None or statement is None or networks is None:
            raise ContentError(self.problems)
        return Site(
            root=self.sources.root,
            config=config,
            languages=languages,
            default_language=default,
            cities=tuple(sorted(cities, key=lambda c: c.id)),
            networks=dict(sorted(networks.items())),
            sdgs=sdgs,
            accessibility=statement,
            pages=site_pages,
            warnings=tuple(sorted(self.problems)),
            city_sources={c.id: f"content/cities/{c.id}/city.yaml" for c in cities},
        )

    def site_config(self) -> SiteSettings:
        """``site.yaml``; afterwards :attr:`languages` holds the site's languages."""
        return check_site_config(self, self.sources.site)

    def networks(self) -> dict[str, Network] | None:
        """The registry of city networks, by id (with errors: the networks as far as they
        validated, so that cities' memberships are still checked against their ids)."""
        doc = self.sources.networks
        if doc is None:
            return None
        registry, _ = checked(self, NetworkRegistry, doc, doc.data)
        if registry is None or registry.networks is None:
            return None
        result = {}
        for nid, network in registry.networks.items():
            if network is None:  # an invalid id, or not a mapping of fields
                continue
            check_translations(self, doc.source, doc, network, ("networks", nid))
            result[nid] = network.model_copy(update={"id": nid})
        return result

    def accessibility(self) -> AccessibilityStatement | None:
        """The accessibility statement, which goes stale (:mod:`.dates`)."""
        doc = self.sources.accessibility
        if doc is None:
            return None
        statement: AccessibilityStatement | None = self.model(AccessibilityStatement, doc, doc.data)
        if statement is None:
            return None
        check_translations(self, doc.source, doc, statement, ())
        check_statement_dates(self, doc, statement)
        return statement

    def city(self, src: CitySource) -> City | None:
        """One city folder: ``city.yaml`` and its narratives. A city with errors is kept in
        :attr:`partial_cities` as far as it validated, and ``None`` returned."""
        doc = src.document
        if not self._folder_name_ok(src) or doc is None:
            return None
        data = self._without_reserved_fields(doc)
        narrative = self.prose(src.prose, allowed=("narrative",))
        city: City | None
        city, complete = checked(
            self, City, doc, data, id=src.id, narrative=narrative.get("narrative", {})
        )
        if city is None:
            return None
        check_translations(self, doc.source, doc, city, ())
        check_city_completeness(self, src, city)
        check_reachable(self, doc, city)
        check_review(self, doc, city)
        if not complete or data is not doc.data:
            self.partial_cities.append(city)
            return None
        return city

    def prose(
        self, files: dict[tuple[str, str], SourceText], allowed: tuple[str, ...]
    ) -> dict[str, dict[str, str]]:
        """``name -> language -> HTML`` of prose files (:func:`.prose.prose`)."""
        return prose(self, self.markdown, files, allowed)

    def cross_check(self, cities: list[City], networks: dict[str, Network] | None) -> None:
        """References between files; references to a registry that could not be read are
        not checked. A partner may name any city folder, whatever its own errors."""
        ids = {s.id for s in self.sources.cities}
        seen: Slugs = {}
        sources = {s.id: s for s in self.sources.cities}  # a dict: a linear scan was O(N²)
        for city in cities:
            doc = sources[city.id].document
            assert doc is not None
            check_slugs(self, doc, city, seen)
            if networks is not None:
                check_memberships(self, doc, city, networks)
            check_goals(self, doc, city)
            check_contacts(self, doc, city)
            check_partners(self, doc, city, ids)

    def _folder_name_ok(self, src: CitySource) -> bool:
        if re.match(SLUG_PATTERN, src.id) and len(src.id) <= 64:
            return True
        message = (
            f"'{src.id}' is not a valid city folder name; use lower-case letters, "
            "digits and hyphens, e.g. den-haag"
        )
        self.problems.append(Problem(src.folder, message=message, code="bad-slug"))
        return False

    def _without_reserved_fields(self, doc: YamlDocument) -> Any:
        """The data without the fields a city.yaml may not set (each reported), so the rest
        is still checked; the data itself when it has none."""
        data = doc.data
        if not isinstance(data, dict) or not any(key in data for key in _RESERVED):
            return data
        for reserved, hint in _RESERVED.items():
            if reserved in data:
                where = doc.mark((reserved,), prefer_key=True)
                message = f"unknown field '{reserved}' ({hint}); remove the line"
                self.error(doc.source, where, (reserved,), message, "unknown-field")
        return {key: value for key, value in data.items() if key not in _RESERVED}


def validate_sources(
    sources: Sources, problems: list[Problem] | None = None, *, today: dt.date | None = None
) -> Site:
    """Validate loaded sources into a :class:`Site`, or raise :class:`ContentError` with all
    problems (``today``: the day the date rules check against, :mod:`cityprofiles.clock`)."""
    return Validator(sources, problems, today=today).run()
