"""Incremental builds: re-validate only changed cities, re-render only pages whose inputs changed.

:class:`Session` is the one object both ``cityprofiles build`` and the dev server use::

    session = Session(root, out)            # build: state persisted in SITE/.cache/
    report = session.rebuild()              # full check of every input's hash
    report = session.rebuild([changed])     # serve: hash only the paths a watcher reported

Each rebuild hashes the inputs (:mod:`cityprofiles.cache`) and then does the least
work that gives byte-for-byte the output of a cold build:

* nothing at all when no input changed and the output files are as written;
* when only cities changed (same set of cities, same shared files), the unchanged
  cities' validated models and warnings are reused and only the changed ones are
  read and validated; the cross-references of the whole site are checked again. If
  that finds an error, the site is validated from scratch, so error messages carry
  the same file positions as in a cold build;
* otherwise everything is validated, with Markdown rendered in parallel.

A page is rendered again only when its *page key* changed: a hash of the global key
and exactly what the page shows (see :func:`page_keys`). Other pages are hard-linked
from the previous output. ``tests/test_build_equivalence.py`` proves the result equals
a cold single-process build.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Set
from pathlib import Path

from babel.support import Translations
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from cityprofiles.build import (
    BuildReport,
    Stopwatch,
    _as_error,
    _max_bytes,
    finish_site,
    validate_site,
)
from cityprofiles.cache import (
    BuildState,
    InputScan,
    city_hashes,
    digest,
    global_key,
    load_state,
    output_stats,
    pickle_city,
    rescan,
    save_state,
    scan_inputs_since,
    state_path,
    unpickle_city,
)
from cityprofiles.errors import BuildError, ContentError, Problem
from cityprofiles.load import CitySource, Sources, SourceText, YamlDocument, load_city, load_sources
from cityprofiles.markup import MarkdownRenderer, MarkupIssue
from cityprofiles.model import City
from cityprofiles.modes import file_mode
from cityprofiles.parallel import default_jobs, parallel_map
from cityprofiles.render import Renderer
from cityprofiles.routes import Route
from cityprofiles.search import (
    INDEX_DIR,
    INDEXED_KINDS,
    SearchCache,
    SearchIndex,
    bundle_paths,
    cache_path,
    search_index,
)
from cityprofiles.site import Site
from cityprofiles.validate import Validator
from cityprofiles.write import (
    PREVIOUS,
    WRITER_THREADS,
    Content,
    Previous,
    Stage,
    check_output_folder,
    folder_stats,
    remove_foreign,
    write_site,
)

Stored = bytes | City
"""A city as the build state keeps it: pickled (read from the state file) or the validated
model itself, which :func:`~cityprofiles.cache.save_state` pickles as it writes the file
(so a cold build never holds every city twice: 150 MB at 10 000 cities)."""
Memo = dict[str, tuple[str, Stored, tuple[Problem, ...]]]
Reused = tuple[City, tuple[Problem, ...], Stored]


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory (and in the build state), keyed by template source,
    so an incremental rebuild does not compile the templates again."""

    def __init__(self, store: dict[str, bytes] | None = None) -> None:
        self.store: dict[str, bytes] = store if store is not None else {}
        self.used: set[str] = set()

    def load_bytecode(self, bucket: Bucket) -> None:
        key = bucket.key + bucket.checksum
        data = self.store.get(key)
        if data is not None:
            self.used.add(key)
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        key = bucket.key + bucket.checksum
        self.used.add(key)
        self.store[key] = bucket.bytecode_to_string()

    def kept(self) -> dict[str, bytes]:
        """The compiled templates this session used (old versions are dropped)."""
        return {key: self.store[key] for key in sorted(self.used)}


class PrerenderedMarkdown(MarkdownRenderer):
    """A :class:`MarkdownRenderer` whose checks and HTML were computed beforehand (in parallel).

    Texts it has not seen are handled as usual, so the validator's logic is unchanged.
    """

    def __init__(self, done: Mapping[str, tuple[MarkupIssue | None, str | None]]) -> None:
        super().__init__()
        self.done = done

    def check(self, text: str) -> MarkupIssue | None:
        found = self.done.get(text)
        return found[0] if found is not None else super().check(text)

    def render(self, text: str) -> str:
        found = self.done.get(text)
        if found is not None and found[1] is not None:
            return found[1]
        return super().render(text)


def prerender_markdown(
    sources: Sources,
    jobs: int,
    known: Mapping[str, tuple[MarkupIssue | None, str | None]] | None = None,
) -> dict[str, tuple[MarkupIssue | None, str | None]]:
    """Check and convert every prose file, spread over ``jobs`` processes; texts in
    ``known`` (the previous build's results) are taken from there.

    A text that fails the nesting check is never converted (that is what the check guards).
    """
    known = known or {}
    texts = sorted(
        {s.text for s in sources.pages.values()}
        | {s.text for city in sources.cities for s in city.prose.values()}
    )
    todo = [text for text in texts if text not in known]
    md = MarkdownRenderer()

    def work(text: str) -> tuple[MarkupIssue | None, str | None]:
        issue = md.check(text)
        return issue, (None if issue is not None else md.render(text))

    done = dict(zip(todo, parallel_map(work, todo, jobs), strict=True))
    return {text: done[text] if text in done else known[text] for text in texts}


class _MemoValidator(Validator):
    """The validator, reusing cities validated before and noting each city's own problems."""

    def __init__(
        self,
        sources: Sources,
        problems: list[Problem],
        markdown: MarkdownRenderer,
        memo: Mapping[str, tuple[City, tuple[Problem, ...]]],
    ) -> None:
        super().__init__(sources, problems)
        self.markdown = markdown
        self.memo = memo
        self.city_problems: dict[str, tuple[Problem, ...]] = {}

    def city(self, src: CitySource) -> City | None:
        hit = self.memo.get(src.id)
        if hit is not None:
            self.problems.extend(hit[1])
            self.city_problems[src.id] = hit[1]
            return hit[0]
        before = len(self.problems)
        city = super().city(src)
        self.city_problems[src.id] = tuple(self.problems[before:])
        return city


def page_keys(
    renderer: Renderer, key: str, hashes: Mapping[str, tuple[str, str]]
) -> dict[str, str]:
    """Per output page, a hash of the global key and every input the page shows.

    This mirrors what :meth:`Renderer._context` and the templates read; keep them in step
    (the equivalence test catches a page that depends on more than its key says):

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
    result["sitemap.xml"] = digest(key, "sitemap", cards)  # every URL, and cities' lastmod
    data = renderer.open_data
    for rel in data:
        owner = data.owner(rel)
        deps = [cards] if owner is None else [card[owner]]
        result[rel] = digest(key, "data", rel, *deps)
    return result


def render_pages(renderer: Renderer, routes: list[Route], jobs: int) -> dict[str, bytes]:
    """Render ``routes`` (in parallel when worth it); raise all template problems together."""
    for route in {(r.lang or renderer.default, r.kind): r for r in routes}.values():
        renderer.warm(route)  # compile templates once, before workers fork

    def work(route: Route) -> bytes | list[Problem]:
        try:
            return renderer.render(route)
        except ContentError as exc:
            return list(exc.problems)

    rendered: dict[str, bytes] = {}
    problems: list[Problem] = []
    for route, result in zip(routes, parallel_map(work, routes, jobs), strict=True):
        if isinstance(result, bytes):
            rendered[route.output] = result
        else:
            problems.extend(p for p in result if p not in problems)
    if problems:
        raise ContentError(problems)
    return rendered


def render_into(
    stage: Stage, renderer: Renderer, routes: list[Route], data: list[str], jobs: int
) -> tuple[int, int]:
    """Render ``routes`` and make the open-data files ``data``, each worker placing what it
    made in ``stage`` itself; return ``(written, unchanged)``. Template problems of all
    pages are raised together, after every page was tried."""
    for route in {(r.lang or renderer.default, r.kind): r for r in routes}.values():
        renderer.warm(route)  # compile templates once, before workers fork
    # Interleaved, so each worker gets its share of the heavy pages and the light files.
    items: list[Route | str] = [*routes, *data]
    items = items[0::2] + items[1::2]

    def work(item: Route | str) -> bool | list[Problem] | None:
        if isinstance(item, str):
            return stage.place(item, renderer.open_data[item])
        try:
            page = renderer.render(item)
        except ContentError as exc:
            return list(exc.problems)
        return stage.place(item.output, page)

    unchanged = written = 0
    problems: list[Problem] = []
    for result in parallel_map(work, items, jobs):
        if isinstance(result, list):
            problems.extend(p for p in result if p not in problems)
        elif result is None:
            pass  # handed to a writer thread: the stage counts it
        elif result:
            unchanged += 1
        else:
            written += 1
    if problems:
        raise ContentError(problems)
    return written, unchanged


STATIC_KINDS = frozenset(
    {"about", "accessibility", "not_found", "root", "root_not_found", "search"}
)
"""Page kinds that show no city data (see :func:`page_keys`)."""
BATCH = 4000
"""Pages rendered at a time; bounds memory on large sites (the writer asks in sorted order)."""


class _Pages(Mapping[str, "Content"]):
    """The output files, with pages rendered on demand a batch at a time, in the order the
    writer asks for them, so a 10 000-city site is never all in memory at once. A site with
    fewer pages to render than :data:`BATCH` is rendered in one go (all template problems
    reported together). ``data``: the open-data files to make again, each made when the
    writer asks for it."""

    def __init__(
        self,
        renderer: Renderer,
        todo: list[Route],
        others: dict[str, Content],
        jobs: int,
        data: Set[str] = frozenset(),
    ) -> None:
        self._renderer, self._jobs, self._others = renderer, jobs, others
        self._todo = {r.output: r for r in todo}
        self._data = data
        self._keys = sorted({*self._todo, *others, *data})
        self._order = sorted(self._todo)
        self._index = {key: i for i, key in enumerate(self._order)}
        self._batch: dict[str, bytes] = {}

    def __getitem__(self, key: str) -> Content:
        if key in self._others:
            return self._others[key]
        if key in self._data:
            return self._renderer.open_data[key]  # made now, as the writer needs it
        if key not in self._batch:
            start = self._index[key] // BATCH * BATCH
            routes = [self._todo[k] for k in self._order[start : start + BATCH]]
            self._batch = {}  # free the previous batch first
            self._batch = render_pages(self._renderer, routes, self._jobs)
        return self._batch[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


class Session:
    """Builds one site into one output folder, again and again, doing only what changed.

    ``jobs``: processes for Markdown and pages (default: the number of cores).
    ``persist``: keep the state in ``SITE/.cache/cityprofiles/`` between processes
    (``state``: one already loaded).

    The first build swaps in a complete new output folder; later ones write only the files
    that changed, all staged beside their targets first and then renamed, so a failed
    build still leaves the previous output as it was.
    """

    def __init__(
        self,
        root: Path,
        out: Path,
        *,
        base_url: str | None = None,
        jobs: int | None = None,
        persist: bool = True,
        state: BuildState | None = None,
        search: bool = True,
        reindex_edits: bool = True,
    ) -> None:
        self.root = root.absolute()
        self.out = out.absolute()
        self.base_url = base_url
        self.jobs = jobs if jobs is not None else default_jobs()
        self.persist = persist
        self.search = search
        # False (the live preview): the search index is made once and then kept while
        # pages change, so an edit costs milliseconds, not a full Pagefind run.
        self.reindex_edits = reindex_edits
        self.state_file = state_path(self.root, self.out)
        if state is None and persist:
            state = load_state(self.state_file)
        self.state: BuildState | None = state
        # Which parts of the search index were made from what (JSON; see search/store.py).
        self.search_file = cache_path(self.root, self.out)
        self.search_cache = SearchCache.load(self.search_file) if persist else SearchCache()
        store = self.state.bytecode if self.state is not None else None
        self.bytecode = MemoryBytecodeCache(store)
        self._cities: dict[str, City] = {}
        self._prose: dict[str, tuple[MarkupIssue | None, str | None]] = {}
        self._translations: tuple[str, dict[str, Translations]] | None = None

    # -- the one public operation ----------------------------------------------
    def rebuild(
        self,
        changed: Iterable[Path] | None = None,
        *,
        strict: bool = False,
        scanned: InputScan | None = None,
    ) -> BuildReport:
        """Bring the output up to date; ``changed`` limits hashing to those paths (a
        watcher's events), ``None`` hashes every input (``scanned``: hashes already taken).
        Raises like :func:`cityprofiles.build.build`."""
        started = time.perf_counter()
        watch = Stopwatch()
        check_output_folder(self.out, self.root)
        state = self.state
        scan = scanned
        if scan is None and (changed is None or state is None):
            scan = scan_inputs_since(self.root, state)
        if scan is not None:
            inputs = scan.hashes
        else:
            assert state is not None
            inputs = rescan(self.root, state.inputs, changed or ())
        key = global_key(inputs, self.base_url)
        hashes = city_hashes(inputs)
        current = output_stats(self.out, state.outputs) if state is not None else {}
        if state is not None and (
            state.key,
            state.search,
            state.inputs,
            state.outputs,
            state.folders,
        ) == (key, self.search, inputs, current, folder_stats(self.out, state.outputs)):
            if strict and state.warnings:
                raise ContentError([_as_error(p) for p in state.warnings])
            return BuildReport(
                pages=dict(state.pages),
                files=len(state.outputs),
                unchanged=len(state.outputs),
                warnings=list(state.warnings),
                seconds=time.perf_counter() - started,
            )
        site, memo = self._validate(state, key, hashes)
        watch.lap("load and validate")
        if strict and site.warnings:
            raise ContentError([_as_error(p) for p in site.warnings])
        renderer = Renderer(site, self._catalogues(key, site), bytecode_cache=self.bytecode)
        keys = page_keys(renderer, key, hashes)
        routes = list(renderer.routes())
        intact = current
        old_keys = state.page_keys if state is not None else {}
        old_outputs = state.outputs if state is not None else {}
        todo = [
            r
            for r in routes
            if old_keys.get(r.output) != keys[r.output]
            or r.output not in intact
            or intact[r.output] != old_outputs.get(r.output)
        ]
        waiting = {r.output for r in todo}
        others: dict[str, Content] = {r.output: PREVIOUS for r in routes if r.output not in waiting}
        sitemap = "sitemap.xml"
        fresh_sitemap = old_keys.get(sitemap) != keys[sitemap] or intact.get(sitemap) is None
        others.update(finish_site(renderer, with_sitemap=fresh_sitemap, with_open_data=False))
        others.setdefault(sitemap, PREVIOUS)
        data = renderer.open_data
        fresh_data: set[str] = set()
        for rel in data:
            if (
                old_keys.get(rel) != keys[rel]
                or rel not in intact
                or intact[rel] != old_outputs.get(rel)
            ):
                fresh_data.add(rel)
            else:
                others[rel] = PREVIOUS
        # The search index depends on the indexed pages: it is looked at again after the
        # pages are written when one of them changed (only the parts whose pages' indexed
        # text changed are made again), and otherwise carried over as it is.
        old_index = {rel: v for rel, v in old_outputs.items() if rel.startswith(INDEX_DIR)}
        reindex = self.search and (
            not old_index
            or (self.reindex_edits and any(r.kind in INDEXED_KINDS for r in todo))
            or any(intact.get(rel) != v for rel, v in old_index.items())
        )
        search_warnings: list[Problem] = []
        if self.search and not reindex:
            others.update(dict.fromkeys(old_index, PREVIOUS))
            search_warnings = [p for p in state.warnings if p.code == "search"] if state else []
            if strict and search_warnings:
                raise ContentError([_as_error(p) for p in search_warnings])
        files = _Pages(renderer, todo, others, self.jobs, fresh_data)
        # Under --strict a warning of Pagefind fails the build after the pages are staged:
        # staged in a new folder, so the output stays as it was.
        in_place = state is not None and bool(intact) and not (strict and reindex)
        names = list(files)
        index = SearchIndex()  # made by make_index, when the index is looked at

        watch.lap("plan")

        def make_index(folder: Path) -> Mapping[str, bytes | Previous]:
            nonlocal index, search_warnings
            watch.lap("render and write")
            index = search_index(
                renderer.router,
                {r.output: folder / r.output for r in routes},
                cache=self.search_cache,
                previous=self.out,
                jobs=self.jobs,
            )
            search_warnings = index.problems
            if strict and search_warnings:
                raise ContentError([_as_error(p) for p in search_warnings])
            watch.lap("search index")
            return index.files

        if in_place:
            # An index about to be remade stays until then: the new one is compared with it.
            keep = old_index if reindex else {}
            previous = {rel: v for rel, v in old_outputs.items() if rel not in keep}
            assert state is not None
            remove_foreign(self.out, old_outputs, state.folders)
            touched, unchanged = _write_in_place(files, self.out, previous)
            if reindex:
                more, same = _write_in_place(make_index(self.out), self.out, old_index)
                touched, unchanged = touched + more, unchanged + same
            written = len(touched)
            names.extend(index.files)
            # Only the files just written have new sizes and times; the others are as
            # they were found at the start (7 000 stat calls fewer per preview edit).
            fresh = set(touched)
            outputs = {r: current[r] for r in names if r in current and r not in fresh}
            outputs.update(output_stats(self.out, [r for r in names if r not in outputs]))
        else:
            # A new output folder: workers render the pages and open data and write them
            # into it themselves; only the carried-over files go through this process.
            def produce(stage: Stage) -> tuple[int, int]:
                return render_into(stage, renderer, todo, sorted(fresh_data), self.jobs)

            written, unchanged = write_site(
                others,
                self.out,
                derived=make_index if reindex else None,
                produce=produce,
                threads=WRITER_THREADS if self.jobs == 1 else 0,
            )
            names.extend(index.files)
            outputs = output_stats(self.out, names)
        if reindex and not index.missing:
            self.search_cache.commit(self.out, set(index.folders))
            if self.persist:
                self.search_cache.save(self.search_file)
        watch.lap("write" if reindex else "render and write")
        pages = Counter(
            rel.split("/", 1)[0] for rel in names if rel.endswith(".html") and "/" in rel
        )
        report = BuildReport(
            pages={lang: pages.get(lang, 0) for lang in site.language_codes},
            files=len(names),
            written=written,
            unchanged=unchanged,
            rendered=len(todo),
            warnings=[*site.warnings, *search_warnings],
            search_parts=(index.made, index.parts) if reindex else None,
        )
        self.state = BuildState(
            key=key,
            inputs=inputs,
            cities=memo,
            page_keys=keys,
            outputs=outputs,
            folders=folder_stats(self.out, outputs),
            # Pagefind's warnings go with the index they came with (a missing Pagefind: none).
            warnings=(*site.warnings, *(() if index.missing else search_warnings)),
            pages=report.pages,
            bytecode=self.bytecode.kept(),
            search=self.search and not index.missing,  # no index: the next build tries again
            input_stats=scan.stats if scan is not None else {},
            scanned_ns=scan.started_ns if scan is not None else 0,
        )
        if self.persist:
            save_state(self.state_file, self.state)
        watch.lap("save the build cache")
        report.seconds = time.perf_counter() - started
        report.stages = watch.stages
        return report

    # -- stages ---------------------------------------------------------------
    def _catalogues(self, key: str, site: Site) -> dict[str, Translations]:
        if self._translations is None or self._translations[0] != key:
            from cityprofiles.i18n import load_translations

            self._translations = (
                key,
                load_translations(site.language_codes, self.root / "locales", self.root),
            )
        return self._translations[1]

    def _validate(
        self, state: BuildState | None, key: str, hashes: Mapping[str, tuple[str, str]]
    ) -> tuple[Site, Memo]:
        """The validated site, reusing unchanged cities when only cities changed."""
        if state is not None and state.key == key and set(state.cities) == set(hashes):
            changed = {cid for cid, h in hashes.items() if state.cities[cid][0] != h[1]}
            reused: dict[str, Reused] = {}
            with _no_gc():
                for cid, (_, stored, problems) in state.cities.items():
                    if cid not in changed:
                        city = self._cities.get(cid)
                        if city is None:
                            city = stored if isinstance(stored, City) else unpickle_city(stored)
                            self._cities[cid] = city
                        reused[cid] = (city, problems, stored)
            try:
                return self._load(hashes, reused, changed)
            except ContentError:
                pass  # validate from scratch, for positions in every file
        else:
            parallel = self._cities_in_parallel(hashes)
            if parallel is not None:
                try:
                    return self._load(hashes, parallel, set())
                except ContentError:
                    pass
        return self._load(hashes, {}, None)

    def _cities_in_parallel(
        self, hashes: Mapping[str, tuple[str, str]]
    ) -> dict[str, Reused] | None:
        """Load and validate every city in worker processes (a cold build's largest stage);
        ``None`` when any city has an error, which the serial path then reports in full.

        With one job this still pays off: each city's parsed YAML and source positions are
        dropped as soon as it is validated (peak RSS at 1 000 cities 167 MB instead of
        251 MB, at 10 000 0.85 GB instead of 2.1 GB), and the collector has less to walk."""
        max_bytes = _max_bytes(self.root)
        sources, problems = load_sources(self.root, max_bytes=max_bytes, only_cities=())
        validator = Validator(sources, problems)
        validator.site_config()  # the site's languages, which validating a city needs

        parent = os.getpid()
        resolved_root = self.root.resolve()

        def work(cid: str) -> tuple[Stored, tuple[Problem, ...]] | None:
            src, load_problems = load_city(
                self.root, cid, max_bytes=max_bytes, resolved_root=resolved_root
            )
            before = len(validator.problems)
            city = validator.city(src) if not load_problems else None
            if city is None:
                return None
            # A worker sends the city pickled; in this process it is kept as it is.
            stored: Stored = city if os.getpid() == parent else pickle_city(city)
            return stored, tuple(validator.problems[before:])

        ids = sorted(hashes)
        results = parallel_map(work, ids, self.jobs)
        if any(r is None for r in results):
            return None
        reused: dict[str, Reused] = {}
        with _no_gc():
            for cid, result in zip(ids, results, strict=True):
                assert result is not None
                stored, city_problems = result
                city = stored if isinstance(stored, City) else unpickle_city(stored)
                reused[cid] = (city, city_problems, city)  # pickled again when saved
        return reused

    def _load(
        self,
        hashes: Mapping[str, tuple[str, str]],
        reused: Mapping[str, Reused],
        only: set[str] | None,
    ) -> tuple[Site, Memo]:
        sources, problems = load_sources(
            self.root, max_bytes=_max_bytes(self.root), only_cities=only
        )
        if only is not None:
            # Cross-references are checked again for every city; positions are only needed
            # for errors, and an error sends us back to a full validation.
            loaded = {src.id: src for src in sources.cities}
            sources.cities = [
                loaded.get(cid)
                or CitySource(
                    cid,
                    f"content/cities/{cid}",
                    YamlDocument(SourceText(f"content/cities/{cid}/city.yaml", ""), None),
                )
                for cid in sorted(hashes)
            ]
        # The site's own pages (about, home) are converted again only when they changed.
        self._prose = prerender_markdown(sources, self.jobs, self._prose)
        markdown = PrerenderedMarkdown(self._prose)
        memo_in = {cid: (city, problems) for cid, (city, problems, _) in reused.items()}
        validator = _MemoValidator(sources, problems, markdown, memo_in)
        site = validate_site(validator, base_url=self.base_url)
        memo: Memo = {}
        for city in site.cities:
            self._cities[city.id] = city
            if city.id in reused:
                _, city_problems, stored = reused[city.id]
                memo[city.id] = (hashes[city.id][1], stored, city_problems)
            else:
                problems_of = validator.city_problems.get(city.id, ())
                memo[city.id] = (hashes[city.id][1], city, problems_of)
        return site, memo


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Unpickling thousands of small objects triggers needless cyclic collections, and every
    later collection would walk them again: collect nothing meanwhile, then move what was
    made out of the collector's sight (``gc.freeze``). The models hold no reference cycles,
    so reference counting still frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _write_in_place(
    files: Mapping[str, Content], out: Path, previous: Mapping[str, tuple[int, int]]
) -> tuple[list[str], int]:
    """Write only the files whose bytes changed and delete files no longer made; return
    the files written and the number left as they were.

    Every new file is first written to a temporary file beside its target; only when all
    are written are they renamed into place, so a full disk or a permission error leaves
    the previous output untouched (the promise of :func:`cityprofiles.write.write_site`,
    without linking thousands of unchanged files into a new folder and deleting the old).
    """
    base = str(out) + os.sep
    staged: list[tuple[str, str]] = []
    names: list[str] = []
    unchanged = 0
    try:
        for rel, content in files.items():
            target = base + rel
            if isinstance(content, Previous):
                unchanged += 1
                continue
            data = content.read_bytes() if isinstance(content, Path) else content
            try:
                if os.path.getsize(target) == len(data) and Path(target).read_bytes() == data:
                    unchanged += 1
                    continue
            except OSError:
                pass
            folder = os.path.dirname(target)
            os.makedirs(folder, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
            staged.append((tmp, target))
            names.append(rel)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
    except BaseException as exc:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, OSError):
            raise BuildError(f"could not write the site to {out}: {exc.strerror or exc}") from None
        raise
    mode = file_mode()
    with _interrupts_deferred():  # the renames are the commit: Ctrl-C waits until they are done
        for tmp, target in staged:
            os.chmod(tmp, mode)  # mkstemp makes 0600; give what open() would have given
            os.replace(tmp, target)
        for rel in sorted(set(previous) - set(files)):
            with contextlib.suppress(OSError):
                os.unlink(base + rel)
                os.removedirs(os.path.dirname(base + rel))  # empty folders too (never ``out``:
                # it holds the marker file), so the tree equals a cold build's
    return names, unchanged


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while the block runs; they arrive right after it.

    Renaming staged files into place takes milliseconds but must not stop half-way, or
    the output would mix pages of two builds."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "pthread_sigmask"
    ):
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
