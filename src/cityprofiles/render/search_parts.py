"""Which pages go into which part of a language's search index.

A part is one Pagefind run and one folder (``pagefind/<lang>/``, ``pagefind/<lang>-N/``);
the search page loads the first and merges the others (``mergeIndex``). A page's part
follows from a *stable key*, never from its position in a list, so adding, removing or
editing one city changes only the part that holds it:

* a language with at most :data:`PART_PAGES` indexed pages has one part;
* otherwise the first part holds the pages that are not a city's own (home, the lists,
  networks, goals, about: about 60, which change together when a city's facts change),
  and the city pages are spread over :func:`buckets_for` parts by a hash of the city id.

A language with more than one part also has a *names* part (``pagefind/names-<lang>/``):
the title (``<h1>``) of every indexed page and nothing else. The search page asks it
first, so the names that match the first letters typed are on screen while the full
text of thousands of pages is still being scored (Pagefind scores every page a short
prefix matches: at 10 000 cities a one-letter query matches most of them).

The number of city parts is a power of two (at most :data:`MAX_CITY_PARTS`), so it
changes only when the number of cities doubles or halves below ``MAX_CITY_PARTS *
PART_PAGES`` (then every part is made again once); between those steps a new city joins
the part its id hashes to and the other parts stay as they were.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cityprofiles.render.routes import Route, Router

INDEX_DIR = "pagefind/"

#: Page kinds whose text is worth finding. Not: language choosers, 404s, the search page,
#: and the compare page, which repeats every city's name and facts in one table (a hit
#: for every query; at 1 000 cities two 5 MB pages took Pagefind two thirds of its time).
INDEXED_KINDS = frozenset(
    {"home", "cities", "city", "networks", "network", "goals", "goal", "about"}
)

PART_PAGES = 100
"""The most city pages a part holds on average (below :data:`MAX_CITY_PARTS` parts; above,
the parts grow). Pagefind takes ~2 ms a page plus ~25 ms a run, so an edited city costs
a run over its part (~62 pages, ~0.2 s at 1 000 cities) instead of over the whole
language (2.4 s).
Measured in docs/performance.md, "The search index that follows an edit"."""

MAX_CITY_PARTS = 16
"""The most city parts a language has: a balance of two targets at 1 000 cities, measured
on a quiet machine (docs/performance.md, run H). A search asks every part and its first
query pays for each part's index chunks; an edit pays one Pagefind run over its part.
16 parts (~62 pages): first results 282 ms after the first keystroke, a one-narrative
build 9 % of a cold one; 8 parts: 286 ms and ~11 %; 4 parts: 249 ms and ~15 %. Beyond
``MAX_CITY_PARTS * PART_PAGES`` cities the parts grow instead."""


@dataclass(frozen=True)
class Part:
    """One part of one language's index: its folder and the pages it indexes."""

    folder: str
    lang: str
    routes: tuple[Route, ...]
    names: bool = False
    """The names part: the pages' titles only (see the module docstring)."""

    @property
    def primary(self) -> bool:
        """The part the search page loads first: it carries Pagefind's script and
        WebAssembly, which the merged parts share."""
        return self.folder == f"{INDEX_DIR}{self.lang}/"


def indexed_routes(router: Router, lang: str) -> list[Route]:
    """The pages of ``lang`` that the search index holds, in route-table order."""
    return [r for r in router if r.kind in INDEXED_KINDS and r.lang == lang]


def buckets_for(cities: int, part_pages: int | None = None, most: int | None = None) -> int:
    """The number of city parts: the smallest power of two that keeps parts at
    ``part_pages`` pages or fewer on average, but no more than ``most``.

    >>> [buckets_for(n, 100, 16) for n in (1, 100, 101, 1000, 1600, 1601, 10000)]
    [1, 1, 2, 16, 16, 16, 16]
    >>> [buckets_for(n) for n in (100, 101, 201, 400, 1000, 10000)]
    [1, 2, 4, 4, 16, 16]
    """
    size = PART_PAGES if part_pages is None else part_pages
    limit = MAX_CITY_PARTS if most is None else most
    buckets = 1
    while cities > buckets * size and buckets < limit:
        buckets *= 2
    return buckets


def bucket(key: str, buckets: int) -> int:
    """The part (0 … ``buckets`` - 1) of a city id; the same on every machine and run.

    >>> bucket("utrecht", 16) == bucket("utrecht", 16)
    True
    >>> 0 <= bucket("utrecht", 16) < 16
    True
    """
    number = int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")
    return number % buckets


def plan_parts(router: Router, lang: str, part_pages: int | None = None) -> list[Part]:
    """The parts of ``lang``'s index, the first one first; only parts with pages.

    Known from the route table alone, so the search page can link them before they exist."""
    size = PART_PAGES if part_pages is None else part_pages
    routes = indexed_routes(router, lang)
    primary = f"{INDEX_DIR}{lang}/"
    if len(routes) <= size:
        return [Part(primary, lang, tuple(routes))]
    shared = tuple(r for r in routes if r.kind != "city")
    cities = [r for r in routes if r.kind == "city"]
    count = buckets_for(len(cities), size)
    groups: list[list[Route]] = [[] for _ in range(count)]
    for route in cities:
        groups[bucket(route.key, count)].append(route)
    parts = [Part(primary, lang, shared)] if shared else []
    for number, group in enumerate(groups, start=2):
        if group:
            parts.append(Part(f"{INDEX_DIR}{lang}-{number}/", lang, tuple(group)))
    if not shared:  # no page besides the cities (not with the shipped theme): first city part
        first = parts[0]
        parts[0] = Part(primary, lang, first.routes)
    return parts


def names_part(router: Router, lang: str, part_pages: int | None = None) -> Part | None:
    """The names part of ``lang``'s index, for a language whose index has more than one
    part (a small index answers at once without it); ``None`` otherwise.

    Its folder name cannot be a language's: no language tag starts with ``names-``."""
    return _names_of(plan_parts(router, lang, part_pages), lang)


def all_parts(router: Router, lang: str) -> list[Part]:
    """Every part Pagefind makes for ``lang``: :func:`plan_parts`, then the names part."""
    parts = plan_parts(router, lang)
    names = _names_of(parts, lang)
    return [*parts, names] if names is not None else parts


def _names_of(parts: list[Part], lang: str) -> Part | None:
    if len(parts) < 2:
        return None
    routes = tuple(route for part in parts for route in part.routes)
    return Part(f"{INDEX_DIR}names-{lang}/", lang, routes, names=True)


def bundle_paths(router: Router, lang: str) -> list[str]:
    """The folders of one language's index, the one the search page loads first first:
    ``pagefind/nl/``, then for a large site ``pagefind/nl-2/``, ``pagefind/nl-5/``, …

    Known from the route table alone, so the search page can link them before they exist."""
    return [part.folder for part in plan_parts(router, lang)]
