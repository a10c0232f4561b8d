"""The recipe: load -> validate -> render -> write, doing only what changed since the last run.

One :class:`Pipeline` serves every command: ``build`` (a cold build is an incremental
build with an empty cache), ``check`` (the same run with no output folder: every page is
rendered, in parallel, and nothing kept) and the live preview (one pipeline kept across
rebuilds, told which files changed). MkDocs' rule holds: all data is gathered and
validated before any page is rendered; only the write stage touches the output.

A run whose inputs and output are exactly as the last run left them stops after hashing
the inputs. The heavy stages (pydantic models, Jinja2, Babel, Markdown) are imported
only past that point: a no-change build needs none of them (0.5 s of imports).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from cityprofiles import clock
from cityprofiles.cache import (
    BuildState,
    InputScan,
    city_hashes,
    global_key,
    load_state,
    output_stats,
    rescan,
    save_state,
    scan_inputs_since,
    state_path,
)
from cityprofiles.content import require_site
from cityprofiles.output import SearchCache, check_output_folder, folder_stats, search_cache_path
from cityprofiles.pipeline.progress import Progress, Silent
from cityprofiles.pipeline.report import BuildReport, Stopwatch, refuse_warnings
from cityprofiles.pipeline.sort_keys import RememberedKeys

if TYPE_CHECKING:
    import jinja2
    from babel.support import Translations

    from cityprofiles.errors import Problem
    from cityprofiles.model import Site
    from cityprofiles.output import OpenData
    from cityprofiles.pipeline.plan import Plan
    from cityprofiles.pipeline.site import CityEntry, SiteLoader
    from cityprofiles.pipeline.writing import Written
    from cityprofiles.render import MemoryBytecodeCache, Renderer


class Pipeline:
    """One site into one output folder (``out=None``: into nothing, for ``check``), run
    after run.

    A check renders every page the first time; its :attr:`state` then says which pages
    rendered without a problem, so a check run again (or one given the :attr:`state` of a
    build of the same site) renders only the pages whose inputs changed. That is how the
    editor checks a save in a fraction of a second (:mod:`cityprofiles.server.editor`).

    ``jobs``: processes for Markdown and pages (default: one per core). ``cache``: keep
    the state in ``SITE/.cache/cityprofiles/`` between processes. ``search``: make the
    Pagefind index. ``reindex_edits=False`` (the preview) makes the index once and keeps
    it while pages change, so an edit costs milliseconds, not a Pagefind run.
    """

    def __init__(
        self,
        root: Path,
        out: Path | None,
        *,
        base_url: str | None = None,
        jobs: int | None = None,
        cache: bool = True,
        search: bool = True,
        reindex_edits: bool = True,
        progress: Progress | None = None,
        today: dt.date | None = None,
    ) -> None:
        self.root = root.absolute()
        self.today = today
        """The day the date rules check against; ``None``: the day of each run."""
        self.out = out.absolute() if out is not None else None
        self.base_url = base_url
        self._jobs = jobs
        self.search = search and out is not None
        self.reindex_edits = reindex_edits
        self.progress = progress or Silent()
        self.cache_file = state_path(self.root, self.out) if cache and self.out else None
        self.search_file = search_cache_path(self.root, self.out) if cache and self.out else None
        self._search_cache: SearchCache | None = None
        self.state: BuildState | None = None
        """What the last run made of which inputs (read from the cache at the first run)."""
        self._state_read = self.cache_file is None
        self._loader: SiteLoader | None = None
        self._bytecode: MemoryBytecodeCache | None = None
        self._sort_keys = RememberedKeys(self.root if self.cache_file else None)

    @property
    def jobs(self) -> int:
        """Processes for Markdown and pages (the multiprocessing machinery is imported only
        when there is work to spread)."""
        if self._jobs is None:
            from cityprofiles.pipeline.parallel import default_jobs

            self._jobs = default_jobs()
        return self._jobs

    def run(self, changed: Iterable[Path] | None = None, *, strict: bool = False) -> BuildReport:
        """Bring the output up to date and report; ``changed``: only these paths changed
        (a watcher's events), ``None``: look at every input. Raises :class:`ContentError`
        with every problem (warnings too under ``strict``); the output is then untouched."""
        watch = Stopwatch()
        try:
            if self.out is not None:
                check_output_folder(self.out, self.root)
            if not self._state_read and self.cache_file is not None:
                self.state, self._state_read = load_state(self.cache_file), True
                watch.lap("read the build cache")
            scan, inputs = self._inputs(changed)
            day = self.today or clock.today()
            key = global_key(inputs, self.base_url, day)
            watch.lap("hash the inputs")
            if self._unchanged(key, inputs):
                return watch.stamp(self._last_report(strict))
            return watch.stamp(self._make(scan, inputs, (key, day), strict, watch))
        finally:
            self.progress.finish()

    def _make(
        self,
        scan: InputScan | None,
        inputs: dict[str, str],
        run: tuple[str, dt.date],
        strict: bool,
        watch: Stopwatch,
    ) -> BuildReport:
        """Everything past the no-change check: the stages, in order."""
        from cityprofiles.pipeline.pages import check_pages
        from cityprofiles.pipeline.plan import plan

        hashes = city_hashes(inputs)
        key, day = run
        site, cities = self._site_loader().site(self.state, key, hashes, self.progress, day)
        watch.lap("load and validate")
        if strict:
            refuse_warnings(site.warnings)
        renderer, open_data = self._renderer(site, key)
        current = self._current_outputs()
        todo = plan(
            renderer,
            open_data,
            key,
            hashes,
            self.state,
            current,
            search=self.search,
            reindex_edits=self.reindex_edits,
        )
        open_data.know_sizes(_carried_sizes(self.state, todo))
        watch.lap("plan")
        if strict:
            refuse_warnings(todo.search_warnings)  # those of an index carried over
        if self.out is None:  # check: every page rendered (or, after a check, changed)
            self.progress.stage("Rendering every page", len(todo.todo))
            check_pages(renderer, todo.todo, self.jobs, self.progress)
            watch.lap("render")
            sizes = {rel: (size, 0) for rel, size in open_data.known_sizes().items()}
            self.state = BuildState(key, inputs, cities, todo.keys, sizes, site.warnings)
            return BuildReport(rendered=len(todo.todo), warnings=list(site.warnings))
        from cityprofiles.pipeline.writing import Writer

        assert current is not None
        searches = self._searches() if todo.reindex else SearchCache()
        writer = Writer(
            self.out, renderer, open_data, self.jobs, self.progress, watch, searches, strict
        )
        made = writer.write(todo, self.state, current)
        if made.index is not None and not made.index.missing:
            searches.commit(self.out, set(made.index.folders))
            if self.search_file is not None:
                searches.save(self.search_file)
        watch.lap("write" if todo.reindex else "render and write")
        report = _summary(site, todo, made)
        self._remember(scan, inputs, key, (site, cities), todo, made, report)
        watch.lap("save the build cache")
        return report

    def _remember(
        self,
        scan: InputScan | None,
        inputs: dict[str, str],
        key: str,
        validated: tuple[Site, dict[str, CityEntry]],
        todo: Plan,
        made: Written,
        report: BuildReport,
    ) -> None:
        """Keep what this run made of which inputs, for the next run (and the next process)."""
        assert self.out is not None
        site, cities = validated
        missing = made.index is not None and made.index.missing
        self.state = BuildState(
            key=key,
            inputs=inputs,
            cities=cities,
            page_keys=todo.keys,
            outputs=made.outputs,
            folders=folder_stats(self.out, made.outputs),
            # Pagefind's warnings go with the index they came with (a missing Pagefind: none).
            warnings=(*site.warnings, *(() if missing else _search_warnings(todo, made))),
            pages=report.pages,
            search=self.search and not missing,  # no index: the next run tries again
            input_stats=scan.stats if scan is not None else {},
            scanned_ns=scan.started_ns if scan is not None else 0,
        )
        if self.cache_file is not None:
            save_state(self.cache_file, self.state)
        self._sort_keys.save()

    # -- the steps -----------------------------------------------------------------
    def _inputs(self, changed: Iterable[Path] | None) -> tuple[InputScan | None, dict[str, str]]:
        """Every input and its hash: all hashed again (a file unchanged since the last scan
        is trusted), or the last run's with ``changed`` hashed again."""
        if changed is None or self.state is None:
            previous = self.state.scan if self.state is not None else None
            scan = scan_inputs_since(self.root, previous)
            return scan, scan.hashes
        return None, rescan(self.root, self.state.inputs, changed)

    def _unchanged(self, key: str, inputs: dict[str, str]) -> bool:
        """Whether the last run used exactly these inputs and options and its output is
        exactly as it left it."""
        state = self.state
        return (
            state is not None
            and self.out is not None
            and (state.key, state.search, state.inputs) == (key, self.search, inputs)
            and output_stats(self.out, state.outputs) == state.outputs
            and folder_stats(self.out, state.outputs) == state.folders
        )

    def _last_report(self, strict: bool) -> BuildReport:
        assert self.state is not None
        if strict:
            refuse_warnings(self.state.warnings)
        outputs = len(self.state.outputs)
        return BuildReport(
            pages=dict(self.state.pages),
            files=outputs,
            unchanged=outputs,
            warnings=list(self.state.warnings),
        )

    def _current_outputs(self) -> dict[str, tuple[int, int]] | None:
        """The output files as they are now; ``None`` for a check, which trusts the pages
        its state rendered (see :func:`~cityprofiles.pipeline.plan.plan`)."""
        if self.out is None:
            return None
        if self.state is None:
            return {}
        return output_stats(self.out, self.state.outputs)

    def _searches(self) -> SearchCache:
        """What the parts of the last search index were made from (read at first need)."""
        if self._search_cache is None:
            self._search_cache = (
                SearchCache.load(self.search_file) if self.search_file else SearchCache()
            )
        return self._search_cache

    def _site_loader(self) -> SiteLoader:
        from cityprofiles.pipeline.site import SiteLoader

        if self._loader is None:
            self._loader = SiteLoader(self.root, base_url=self.base_url, jobs=self.jobs)
        return self._loader

    def _renderer(self, site: Site, key: str) -> tuple[Renderer, OpenData]:
        """The renderer of this run's site, and the open data it links and measures."""
        from cityprofiles.render import MemoryBytecodeCache

        if self._bytecode is None:
            self._bytecode = MemoryBytecodeCache()
        self._sort_keys.load()
        catalogues = self._site_loader().translations(key, site)
        return renderer_for(site, catalogues, bytecode_cache=self._bytecode)


def renderer_for(
    site: Site,
    catalogues: Mapping[str, Translations],
    *,
    bytecode_cache: jinja2.BytecodeCache | None = None,
) -> tuple[Renderer, OpenData]:
    """A renderer of ``site`` with its UI catalogues, and the open data its pages link
    (one router for both: every URL of the site)."""
    from cityprofiles.i18n import ui_texts
    from cityprofiles.output import OpenData
    from cityprofiles.render import Renderer, Router

    # UI strings fall back like content: the default language, the others, then English
    ui = ui_texts(catalogues, {code: site.fallback_order(code) for code in catalogues})
    router = Router(site)
    open_data = OpenData(site, router, {code: t.gettext for code, t in ui.items()})
    return Renderer(site, ui, router, open_data, bytecode_cache=bytecode_cache), open_data


def _summary(site: Site, todo: Plan, made: Written) -> BuildReport:
    """The report of a run that wrote ``made``."""
    pages = Counter(
        rel.split("/", 1)[0] for rel in made.names if rel.endswith(".html") and "/" in rel
    )
    return BuildReport(
        pages={lang: pages.get(lang, 0) for lang in site.language_codes},
        files=len(made.names),
        written=made.written,
        unchanged=made.unchanged,
        rendered=len(todo.todo),
        warnings=[*site.warnings, *_search_warnings(todo, made)],
        search_parts=(made.index.made, made.index.parts) if made.index is not None else None,
    )


def _carried_sizes(state: BuildState | None, todo: Plan) -> dict[str, int]:
    """The sizes of the open-data files carried over as the last run made them (the
    data page shows them; a check's state keeps the sizes it measured)."""
    if state is None:
        return {}
    fresh = set(todo.data)
    return {
        rel: state.outputs[rel][0]
        for rel in todo.keys
        if rel not in fresh and rel in state.outputs and state.page_keys.get(rel) == todo.keys[rel]
    }


def _search_warnings(todo: Plan, made: Written) -> list[Problem]:
    """Pagefind's warnings: of the index just made, or of the one carried over."""
    return made.warnings if todo.reindex else todo.search_warnings


def build(
    root: Path,
    out: Path,
    *,
    strict: bool = False,
    base_url: str | None = None,
    jobs: int | None = None,
    cache: bool = True,
    search: bool = True,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> BuildReport:
    """Build the site under ``root`` into ``out``; leave ``out`` untouched on any failure.

    With ``cache`` the build reuses what the previous build of ``out`` did for unchanged
    inputs; the output is byte-for-byte the same either way. ``today``: the day the date
    rules check against (:mod:`cityprofiles.clock`)."""
    require_site(root)
    pipeline = Pipeline(
        root,
        out,
        base_url=base_url,
        jobs=jobs,
        cache=cache,
        search=search,
        progress=progress,
        today=today,
    )
    return pipeline.run(strict=strict)


def check(
    root: Path,
    *,
    strict: bool = False,
    jobs: int | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> list[Problem]:
    """Validate everything and render every page, writing nothing; return the warnings
    (raise them as errors under ``strict``, and raise on any error)."""
    require_site(root)
    report = Pipeline(root, None, jobs=jobs, progress=progress, today=today).run(strict=strict)
    return report.warnings
