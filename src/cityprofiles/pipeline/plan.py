"""Which files a run makes again, and which it carries over from the previous output.

A page is rendered again only when its *page key* changed: a hash of the global key and
exactly what the page shows (:func:`page_keys`), or when its file is not as the last run
left it. Everything else is carried over (:data:`~cityprofiles.output.write.PREVIOUS`).
With no previous run (a cold build, ``check``), everything is made.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cityprofiles.cache import BuildState, digest
from cityprofiles.cms import build_files as editor_files
from cityprofiles.errors import Problem
from cityprofiles.output import PREVIOUS, Content, OpenData, robots, sitemap
from cityprofiles.render import (
    INDEX_DIR,
    INDEXED_KINDS,
    Renderer,
    Route,
    bundle_paths,
    sdg_stylesheet,
    static_files,
)

STATIC_KINDS = frozenset(
    {"about", "accessibility", "not_found", "root", "root_not_found", "search"}
)
"""Page kinds that show no city data (see :func:`page_keys`)."""
SITEMAP = "sitemap.xml"


@dataclass
class Plan:
    """What one run makes, and from what."""

    routes: list[Route]
    """Every page of the site."""
    keys: dict[str, str]
    """Every output file's page key, for the next run."""
    todo: list[Route] = field(default_factory=list)
    """The pages to render."""
    data: list[str] = field(default_factory=list)
    """The open-data files to make again."""
    carried: dict[str, Content] = field(default_factory=dict)
    """Every other file: carried over (``PREVIOUS``), made now, or a file to copy."""
    reindex: bool = False
    """Whether the search index is made again (after the pages are written)."""
    old_index: dict[str, tuple[int, int]] = field(default_factory=dict)
    """The previous search index's files, as the last run left them."""
    search_warnings: list[Problem] = field(default_factory=list)
    """Pagefind's warnings of an index carried over (they go with the index)."""


def plan(
    renderer: Renderer,
    open_data: OpenData,
    key: str,
    hashes: Mapping[str, tuple[str, str]],
    state: BuildState | None,
    current: Mapping[str, tuple[int, int]] | None,
    *,
    search: bool,
    reindex_edits: bool,
) -> Plan:
    """Compare this run's page keys with ``state`` (the last run's) and the output files as
    they are now (``current``: size and mtime of each file the last run wrote; ``None``:
    no output, for a check: a page whose key is unchanged rendered without a problem)."""
    keys = page_keys(renderer, open_data, key, hashes)
    old_keys = state.page_keys if state is not None else {}
    old_outputs = state.outputs if state is not None else {}

    now = current if current is not None else {}

    def stale(rel: str) -> bool:
        if old_keys.get(rel) != keys[rel]:
            return True
        return current is not None and (rel not in now or now[rel] != old_outputs.get(rel))

    result = Plan(list(renderer.routes()), keys)
    result.todo = [r for r in result.routes if stale(r.output)]
    waiting = {r.output for r in result.todo}
    result.carried = {r.output: PREVIOUS for r in result.routes if r.output not in waiting}
    fresh_sitemap = old_keys.get(SITEMAP) != keys[SITEMAP] or SITEMAP not in now
    result.carried.update(support_files(renderer, with_sitemap=fresh_sitemap))
    result.carried.setdefault(SITEMAP, PREVIOUS)
    for rel in open_data:
        if stale(rel):
            result.data.append(rel)
        else:
            result.carried[rel] = PREVIOUS
    # The search index depends on the indexed pages: it is looked at again after the
    # pages are written when one of them changed (only the parts whose pages' indexed
    # text changed are made again), and otherwise carried over as it is.
    result.old_index = {rel: v for rel, v in old_outputs.items() if rel.startswith(INDEX_DIR)}
    result.reindex = search and (
        not result.old_index
        or (reindex_edits and any(r.kind in INDEXED_KINDS for r in result.todo))
        or any(now.get(rel) != v for rel, v in result.old_index.items())
    )
    if search and not result.reindex:
        result.carried.update(dict.fromkeys(result.old_index, PREVIOUS))
        warned = state.warnings if state is not None else ()
        result.search_warnings = [p for p in warned if p.code == "search"]
    return result


def support_files(renderer: Renderer, *, with_sitemap: bool = True) -> dict[str, bytes | Path]:
    """The files besides the pages and the open data: static assets (paths to copy), the
    SDG colours, the sitemap (unless it is carried over), robots.txt and the editor
    (``admin/``, when ``site.yaml`` names a Git host to edit through)."""
    site = renderer.site
    files: dict[str, bytes | Path] = dict(static_files(site))
    files["assets/css/sdgs.css"] = sdg_stylesheet(site)
    if with_sitemap:
        files[SITEMAP] = sitemap(renderer.router)
    files["robots.txt"] = robots(site.config.base_url)
    files.update(editor_files(site))
    return files


def page_keys(
    renderer: Renderer, open_data: OpenData, key: str, hashes: Mapping[str, tuple[str, str]]
) -> dict[str, str]:
    """Per output file, a hash of the global key and every input the file shows.

    This mirrors what the renderer's page contexts and the templates read; keep them in
    step (the equivalence test catches a page that depends on more than its key says):

    * a city page: all of that city's files, and the URLs and ``city.yaml`` of the partner
      cities it links (their position is on its map);
    * a network or SDG page: the ``city.yaml`` of each city listed on it;
    * the home page, the indexes of cities, networks and goals, the compare page and the
      open-data page: every ``city.yaml``;
    * about, accessibility and 404 pages: nothing beyond the global key; the search page:
      how many parts the search index of its language has;
    * a city's open-data files (JSON, vCards): its ``city.yaml`` (the narrative is not in
      them); the files about all cities (CSV, Atom, schema): every ``city.yaml``;
    * any other page kind (one added without a line here): every file of every city, so a
      new kind is never stale, only re-rendered more often than needed.
    """
    site, router = renderer.site, renderer.router
    card = {c.id: f"{c.id}={hashes[c.id][0]}" for c in site.cities}
    cards = digest(*card.values())
    everything = digest(*(f"{c.id}={hashes[c.id][1]}" for c in site.cities))
    result: dict[str, str] = {}
    for route in renderer.routes():
        kind, lang = route.kind, route.lang
        deps: list[str]
        if kind == "city":
            city = site.city(route.key)
            assert city is not None
            deps = [hashes[city.id][1]]
            deps += [router.get("city", p.city, lang).path for p in city.partners if p.city]
            # its map puts a profiled partner where that city's own file says it is
            deps += [card[p.city] for p in city.partners if p.city and p.city in card]
        elif kind == "network":
            deps = [card[c.id] for c, _ in site.members_by_network[route.key]]
        elif kind == "goal":
            deps = [card[c.id] for c, _ in site.cities_by_goal[int(route.key)]]
        elif kind in ("home", "cities", "networks", "goals", "compare", "data"):
            deps = [cards]  # compare and data show facts and file sizes, never narratives
        elif kind == "search":  # it links each part of a large site's index
            deps = bundle_paths(router, lang)
        elif kind in STATIC_KINDS:
            deps = []
        else:  # a page kind added later and not described here: assume it shows everything
            deps = [everything]
        result[route.output] = digest(key, kind, route.key, lang, route.path, *deps)
    result[SITEMAP] = digest(key, "sitemap", cards)  # every URL, and cities' lastmod
    for rel in open_data:
        owner = open_data.owner(rel)
        deps = [cards] if owner is None else [card[owner]]
        result[rel] = digest(key, "data", rel, *deps)
    return result
