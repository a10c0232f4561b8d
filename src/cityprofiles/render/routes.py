"""Where every page lives, in every language.

A page is identified by ``(kind, key)``; it exists in *every* configured
language (a missing translation falls back visibly rather than dropping the
page), so the language switcher and ``hreflang`` alternates always point at a
real counterpart, and translated URL segments (``/nl/steden/``) and per-language
city slugs (``/nl/steden/gent/``) are plain data here.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model (pydantic) is not imported for a build that renders nothing
    from cityprofiles.model import Site

PAGE_KINDS = (
    "home",
    "cities",
    "city",
    "networks",
    "network",
    "goals",
    "goal",
    "about",
    "accessibility",
    "compare",
    "data",
    "search",
    "not_found",
)
FEATURE_KINDS = ("compare", "data", "search")
"""The pages computed by :mod:`cityprofiles.render.features`."""


@dataclass(frozen=True)
class Route:
    """One page in one language: where it is written and how it is linked."""

    kind: str
    key: str
    lang: str
    path: str

    @property
    def output(self) -> str:
        """The file to write, relative to the output folder."""
        return self.path if self.path.endswith(".html") else self.path + "index.html"


class Router:
    """The URL table of a site; the only place that knows URL shapes."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.directory_urls = site.config.directory_urls
        self._table: dict[tuple[str, str, str], Route] = {}
        for lang in site.languages:
            for kind, key, path in self._pages(lang.code, lang.segments):
                self._table[(kind, key, lang.code)] = Route(kind, key, lang.code, path)

    def _pages(self, lang: str, seg: dict[str, str]) -> Iterator[tuple[str, str, str]]:
        site = self.site
        yield "home", "", f"{lang}/"
        yield "cities", "", f"{lang}/{seg['cities']}/"
        for city in site.cities:
            slug = city.url_slug(lang)
            yield "city", city.id, f"{lang}/{seg['cities']}/{slug}/"
        yield "networks", "", f"{lang}/{seg['networks']}/"
        for nid in site.networks:
            yield "network", nid, f"{lang}/{seg['networks']}/{nid}/"
        yield "goals", "", f"{lang}/{seg['goals']}/"
        for sdg in site.sdgs:
            yield "goal", str(sdg.number), f"{lang}/{seg['goals']}/{sdg.number}/"
        yield "about", "", f"{lang}/{seg['about']}/"
        yield "accessibility", "", f"{lang}/{seg['accessibility']}/"
        yield "compare", "", f"{lang}/{seg['compare']}/"
        yield "data", "", f"{lang}/{seg['data']}/"
        yield "search", "", f"{lang}/{seg['search']}/"
        yield "not_found", "", f"{lang}/404.html"

    def __iter__(self) -> Iterator[Route]:
        return iter(self._table.values())

    def get(self, kind: str, key: str, lang: str) -> Route:
        """The route of a page; a ``KeyError`` here is a bug in a template or in Python."""
        return self._table[(kind, key, lang)]

    def alternates(self, route: Route) -> list[Route]:
        """The same page in every language, in the configured order (itself included)."""
        return [self.get(route.kind, route.key, lang) for lang in self.site.language_codes]

    def public_path(self, route: Route) -> str:
        """The path part of the page's public URL, as linked (``en/cities/utrecht/``)."""
        if self.directory_urls or route.path.endswith(".html"):
            return route.path
        return route.output

    def absolute(self, route: Route) -> str:
        """The canonical absolute URL (base URL + public path)."""
        return self.site.config.base_url + self.public_path(route)

    def relative(self, source: Route | None, target: str) -> str:
        """A link from the page ``source`` to ``target`` (an output-relative path), made relative
        so the site works under any base path and from a local folder.

        >>> Router.relative_path("en/cities/utrecht/index.html", "nl/steden/utrecht/")
        '../../../nl/steden/utrecht/'
        """
        origin = source.output if source is not None else "index.html"
        return self.relative_path(origin, target)

    @staticmethod
    @functools.lru_cache(maxsize=65536)
    def relative_path(origin: str, target: str) -> str:
        """``posixpath.relpath`` semantics, without its ``abspath``/``getcwd`` calls: pages link
        to dozens of pages each, and ``relpath`` was a tenth of a 1 000-city build (cProfile).
        Remembered: list pages link to the same network and goal pages over and over.

        >>> Router.relative_path("en/index.html", "assets/../sitemap.xml")
        '../sitemap.xml'
        """
        if not target or "/." in "/" + target:
            base = posixpath.dirname(origin)
            rel = posixpath.relpath(target or ".", base or ".")  # normalises '.' and '..'
            if target.endswith("/") or target == "":
                rel = "./" if rel == "." else rel + "/"
            return rel
        return relative_link(folders(origin), target)


def relative_link(base_parts: tuple[str, ...], target: str) -> str:
    """A link from a page in the folders ``base_parts`` to ``target``, an output path
    without ``.`` or ``..`` segments (:meth:`Router.relative_path` checks for those).

    >>> relative_link(("en", "cities", "utrecht"), "en/networks/eurocities/")
    '../../networks/eurocities/'
    """
    parts = [part for part in target.split("/") if part]
    common = 0
    for mine, theirs in zip(base_parts, parts, strict=False):
        if mine != theirs:
            break
        common += 1
    rel = "/".join([".."] * (len(base_parts) - common) + parts[common:]) or "."
    if target.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel


@functools.lru_cache(maxsize=4096)
def folders(origin: str) -> tuple[str, ...]:
    """The folders of an output path (``en/cities/x/index.html`` -> ``en``, ``cities``,
    ``x``); remembered, since each page asks once per link."""
    base = posixpath.dirname(origin)
    return tuple(base.split("/")) if base else ()


# -- the files besides the pages: their addresses follow from ids alone ---------------

DATA = "data/"
SCHEMA_PATH = DATA + "schema/city.schema.json"

#: The open-data CSV collections, each published as ``data/<name>.csv``.
COLLECTIONS = ("cities", "memberships", "sdg-links", "partners", "partnerships")


def city_json_path(city_id: str) -> str:
    """``data/cities/utrecht.json``: the stable address of a city's profile as JSON."""
    return f"{DATA}cities/{city_id}.json"


def collection_path(name: str) -> str:
    """``data/memberships.csv``: one of the :data:`COLLECTIONS` as CSV."""
    return f"{DATA}{name}.csv"


def feed_path(lang: str) -> str:
    """``en/updates.atom``: the Atom feed of profile updates in one language."""
    return f"{lang}/updates.atom"


def vcard_path(city_id: str, contact_id: str, lang: str) -> str:
    """``data/contacts/utrecht/delegations.nl.vcf``: one contact, labelled in one language."""
    return f"{DATA}contacts/{city_id}/{contact_id}.{lang}.vcf"
