"""Putting a plan's files in place: a new output folder swapped in whole, or the changed
files of an existing one, and then the search index made from the pages written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cityprofiles.cache import BuildState, output_stats
from cityprofiles.errors import Problem
from cityprofiles.output import (
    WRITER_THREADS,
    OpenData,
    Previous,
    SearchCache,
    SearchIndex,
    Stage,
    remove_foreign,
    search_index,
    write_in_place,
    write_site,
)
from cityprofiles.pipeline.pages import Batches, render_into
from cityprofiles.pipeline.plan import Plan
from cityprofiles.pipeline.progress import Progress
from cityprofiles.pipeline.report import Stopwatch, refuse_warnings
from cityprofiles.render import Renderer


@dataclass
class Written:
    """What the output folder holds after a run, and what it cost."""

    names: list[str]
    """Every file of the output."""
    written: int = 0
    unchanged: int = 0
    outputs: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Size and mtime of each file, for the next run."""
    warnings: list[Problem] = field(default_factory=list)
    """The search index's (Pagefind warned, or is missing)."""
    index: SearchIndex | None = None
    """The search index, when it was looked at."""


@dataclass
class Writer:
    """Writes one plan into ``out``; ``state`` and ``current``: the last run's state and its
    files as they are now (an output updated in place), or ``None`` and ``{}`` (a new one).
    ``search_cache``: what the parts of the last search index were made from; ``strict``:
    a warning of Pagefind fails the run (before anything is published)."""

    out: Path
    renderer: Renderer
    open_data: OpenData
    jobs: int
    progress: Progress
    watch: Stopwatch
    search_cache: SearchCache
    strict: bool = False

    def write(
        self, plan: Plan, state: BuildState | None, current: Mapping[str, tuple[int, int]]
    ) -> Written:
        """Render the plan's pages and data, write every file, make the search index."""
        self.progress.stage("Rendering and writing", len(plan.todo) + len(plan.data))
        # Under --strict a warning of Pagefind fails the run after the pages are staged:
        # staged in a new folder, so the output stays as it was.
        if state is not None and current and not (self.strict and plan.reindex):
            return self._in_place(plan, state, current)
        return self._new_folder(plan)

    def _in_place(
        self, plan: Plan, state: BuildState, current: Mapping[str, tuple[int, int]]
    ) -> Written:
        files = Batches(
            self.renderer,
            self.open_data,
            plan.todo,
            plan.carried,
            self.jobs,
            set(plan.data),
            self.progress,
        )
        # An index about to be remade stays until then: the new one is compared with it.
        keep = plan.old_index if plan.reindex else {}
        previous = {rel: v for rel, v in state.outputs.items() if rel not in keep}
        remove_foreign(self.out, state.outputs, state.folders)
        result = Written(list(files))
        touched, result.unchanged = write_in_place(files, self.out, previous)
        if plan.reindex:
            index = self._index(plan, self.out, result)
            more, same = write_in_place(index, self.out, plan.old_index)
            touched, result.unchanged = touched + more, result.unchanged + same
            result.names.extend(index)
        result.written = len(touched)
        # Only the files just written have new sizes and times; the others are as they
        # were found at the start (7 000 stat calls fewer per preview edit).
        fresh = set(touched)
        outputs = {r: current[r] for r in result.names if r in current and r not in fresh}
        outputs.update(output_stats(self.out, [r for r in result.names if r not in outputs]))
        result.outputs = outputs
        return result

    def _new_folder(self, plan: Plan) -> Written:
        """Workers render the pages and open data and write them into the new folder
        themselves; only the carried-over files go through this process."""
        result = Written(sorted({*plan.carried, *(r.output for r in plan.todo), *plan.data}))

        def produce(stage: Stage) -> tuple[int, int]:
            return render_into(
                stage, self.renderer, self.open_data, plan.todo, plan.data, self.jobs, self.progress
            )

        def derived(folder: Path) -> Mapping[str, bytes | Previous]:
            index = self._index(plan, folder, result)
            result.names.extend(index)
            return index

        result.written, result.unchanged = write_site(
            plan.carried,
            self.out,
            derived=derived if plan.reindex else None,
            produce=produce,
            threads=WRITER_THREADS if self.jobs == 1 else 0,
        )
        result.outputs = output_stats(self.out, result.names)
        return result

    def _index(self, plan: Plan, folder: Path, result: Written) -> Mapping[str, bytes | Previous]:
        """The search index of the pages written into ``folder``: the parts whose pages
        changed made again, the others carried over from the output folder."""
        self.watch.lap("render and write")

        def runs(count: int) -> None:
            if count:
                self.progress.stage("Making the search index", count)

        result.index = search_index(
            self.renderer.router,
            {r.output: folder / r.output for r in plan.routes},
            cache=self.search_cache,
            previous=self.out,
            jobs=self.jobs,
            runs=runs,
            done=self.progress.advance,
        )
        result.warnings = result.index.problems
        if self.strict:
            refuse_warnings(result.warnings)
        self.watch.lap("search index")
        return result.index.files
