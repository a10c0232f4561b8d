"""Rendering the pages of a plan in worker processes: into a new output folder, in batches
for an output updated in place, or for nothing (``check``).

Template problems of every page are collected and raised together, after each page was
tried, so one run reports them all.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Set

from cityprofiles.errors import ContentError, Problem
from cityprofiles.output import Content, OpenData, Stage
from cityprofiles.pipeline.parallel import parallel_map
from cityprofiles.pipeline.progress import Progress, Silent
from cityprofiles.render import Renderer, Route

BATCH = 4000
"""Pages rendered at a time when an output is updated in place; bounds memory on large
sites (the writer asks in sorted order)."""


def _warm(renderer: Renderer, routes: list[Route]) -> None:
    """Compile each template once, before workers fork (they inherit it compiled)."""
    for route in {(r.lang or renderer.default, r.kind): r for r in routes}.values():
        renderer.warm(route)


def _collect(results: Iterator[object]) -> list[Problem]:
    problems: list[Problem] = []
    for result in results:
        if isinstance(result, list):
            problems.extend(p for p in result if p not in problems)
    return problems


def check_pages(
    renderer: Renderer, routes: list[Route], jobs: int, progress: Progress | None = None
) -> None:
    """Render every page and keep nothing: ``check``'s proof that every template works
    with this content. Raises all template problems together."""
    _warm(renderer, routes)

    def work(route: Route) -> list[Problem] | None:
        try:
            renderer.render(route)
        except ContentError as exc:
            return list(exc.problems)
        return None

    done = progress.advance if progress is not None else None
    problems = _collect(iter(parallel_map(work, routes, jobs, done)))
    if problems:
        raise ContentError(problems)


def render_pages(renderer: Renderer, routes: list[Route], jobs: int) -> dict[str, bytes]:
    """Render ``routes`` (in parallel when worth it) into memory."""
    _warm(renderer, routes)

    def work(route: Route) -> bytes | list[Problem]:
        try:
            return renderer.render(route)
        except ContentError as exc:
            return list(exc.problems)

    results = parallel_map(work, routes, jobs)
    problems = _collect(iter(results))
    if problems:
        raise ContentError(problems)
    return {
        route.output: result
        for route, result in zip(routes, results, strict=True)
        if isinstance(result, bytes)
    }


def render_into(
    stage: Stage,
    renderer: Renderer,
    open_data: OpenData,
    routes: list[Route],
    data: list[str],
    jobs: int,
    progress: Progress | None = None,
) -> tuple[int, int]:
    """Render ``routes`` and make the open-data files ``data``, each worker placing what it
    made in ``stage`` itself; return ``(written, unchanged)``."""
    _warm(renderer, routes)
    # Interleaved, so each worker gets its share of the heavy pages and the light files.
    items: list[Route | str] = [*routes, *data]
    items = items[0::2] + items[1::2]

    def work(item: Route | str) -> bool | list[Problem] | None:
        if isinstance(item, str):
            return stage.place(item, open_data[item])
        try:
            page = renderer.render(item)
        except ContentError as exc:
            return list(exc.problems)
        return stage.place(item.output, page)

    done = progress.advance if progress is not None else None
    results = parallel_map(work, items, jobs, done)
    problems = _collect(iter(results))
    if problems:
        raise ContentError(problems)
    # None: handed to a writer thread, which the stage counts
    unchanged = sum(1 for r in results if r is True)
    written = sum(1 for r in results if r is False)
    return written, unchanged


class Batches(Mapping[str, Content]):
    """The output files, with pages rendered on demand a batch at a time, in the order the
    writer asks for them, so a 10 000-city site is never all in memory at once. A site with
    fewer pages to render than :data:`BATCH` is rendered in one go (all template problems
    reported together). ``data``: the open-data files to make again, each made when the
    writer asks for it."""

    def __init__(
        self,
        renderer: Renderer,
        open_data: OpenData,
        todo: list[Route],
        others: Mapping[str, Content],
        jobs: int,
        data: Set[str] = frozenset(),
        progress: Progress | None = None,
    ) -> None:
        self._renderer, self._open_data, self._jobs = renderer, open_data, jobs
        self._others, self._data = others, data
        self._progress = progress or Silent()
        self._todo = {r.output: r for r in todo}
        self._keys = sorted({*self._todo, *others, *data})
        self._order = sorted(self._todo)
        self._index = {key: i for i, key in enumerate(self._order)}
        self._batch: dict[str, bytes] = {}

    def __getitem__(self, key: str) -> Content:
        if key in self._others:
            return self._others[key]
        if key in self._data:
            return self._open_data[key]  # made now, as the writer needs it
        if key not in self._batch:
            start = self._index[key] // BATCH * BATCH
            routes = [self._todo[k] for k in self._order[start : start + BATCH]]
            self._batch = {}  # free the previous batch first
            self._batch = render_pages(self._renderer, routes, self._jobs)
            self._progress.advance(len(routes))
        return self._batch[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)
