"""Parallel map over forked worker processes, for the two CPU-bound stages: Markdown and pages.

Rendering is pure Python, so threads do not help (the GIL); processes do. Workers are
*forked*: they inherit the validated site, the Jinja environments and the function to
run, so nothing but the work items and the results (strings and bytes) cross a pipe.
Where ``fork`` is unavailable (Windows, macOS' default), or the work is too small to pay
for starting processes, everything runs in this process: same code, same output.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS_PER_JOB = 32
"""Below this many items per worker a pool costs more than it saves (measured: ~30 ms to fork)."""
CHUNKS_PER_JOB = 8
"""Chunks of work per worker process (each a pipe round trip)."""
PROGRESS_EVERY = 16
"""In one process, progress is reported every this many items."""

_work: Callable[[Any], Any] | None = None


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether forked workers are safe here (not on macOS, where system libraries object)."""
    return sys.platform != "darwin" and "fork" in multiprocessing.get_all_start_methods()


def _run_chunk(chunk: Sequence[Any]) -> list[Any]:
    assert _work is not None
    work = _work
    return [work(item) for item in chunk]


def parallel_map(
    func: Callable[[T], R],
    items: Sequence[T],
    jobs: int,
    done: Callable[[int], None] | None = None,
) -> list[R]:
    """``[func(i) for i in items]``, spread over up to ``jobs`` forked processes, in order.

    ``func`` may be any callable (a closure or bound method): workers inherit it by fork
    instead of receiving it pickled. Exceptions in a worker propagate to the caller, so
    ``func`` should turn expected errors into values. ``done`` is told, in this process,
    how many more items are finished as they finish (for a progress display).
    """
    jobs = min(jobs, len(items) // MIN_ITEMS_PER_JOB)
    if jobs <= 1 or not can_fork():
        return _serial(func, items, done)
    global _work
    _work = func
    try:
        # Several chunks per worker balance uneven pages (the home page lists every city)
        # and let a progress display move; each is collected as soon as it is done.
        count = jobs * CHUNKS_PER_JOB
        size = -(-len(items) // count)
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            futures = [pool.submit(_run_chunk, chunk) for chunk in chunks]
            if done is not None:
                for future in as_completed(futures):
                    done(len(future.result()))
            return [result for future in futures for result in future.result()]
    finally:
        _work = None


def _serial(
    func: Callable[[T], R], items: Sequence[T], done: Callable[[int], None] | None
) -> list[R]:
    if done is None:
        return [func(item) for item in items]
    results = []
    pending = 0
    for item in items:
        results.append(func(item))
        pending += 1
        if pending == PROGRESS_EVERY:
            done(pending)
            pending = 0
    if pending:
        done(pending)
    return results
