"""Full-text search for a static host: a Pagefind index built from the rendered pages.

Each language has its own index, which the search page of that language loads, so a
search on a Dutch page only finds Dutch pages. A large language's index comes in
*parts* (:mod:`cityprofiles.render.search_parts`): ``pagefind/<lang>/`` with the site's own
pages, and ``pagefind/<lang>-N/`` with the city pages whose id hashes to N; the search
page merges them (``mergeIndex``). Such a language also has a names part
(``pagefind/names-<lang>/``: every page's title, nothing else), which the search page
asks first, to show the names that match while the full text is being searched. Each
part is one Pagefind run (:mod:`~cityprofiles.output.search.pagefind`), keyed by a hash of what Pagefind reads of its
pages (:mod:`~cityprofiles.output.search.indexed`): a build makes again only the parts whose
key changed and carries the others over from the output folder, as the cache
(:mod:`~cityprofiles.output.search.store`, JSON) vouches. An edited city costs one run over
~60 pages per language instead of all of them; a change of template that leaves every
``<main>`` as it was costs no run at all. ``tests/test_search_parts.py`` proves the
result equals a clean index, file for file and search for search.

The pages are handed over from the staged output (nothing is published before the whole
build succeeded) and the index comes back as files. Pagefind is a dependency
(``pagefind[bin]`` ships the program); if the program is missing all the same, the build
warns and publishes the site without an index (the search page then says so and links
to the list of cities), and ``build --strict`` fails, as it does when Pagefind warned.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cityprofiles.errors import BuildError, Problem
from cityprofiles.output.search import pagefind
from cityprofiles.output.search.indexed import digest_and_name, names_document
from cityprofiles.output.search.pagefind import (
    ENTRY,
    ROOT_SELECTOR,
    Bundle,
    identity,
    stable_entry,
)
from cityprofiles.output.search.store import (
    FORMAT,
    PageStat,
    SearchCache,
    digest,
    search_cache_path,
)
from cityprofiles.output.write import PREVIOUS, Previous
from cityprofiles.render import Part, Router, all_parts

__all__ = [
    "ENTRY",
    "SearchCache",
    "SearchIndex",
    "pagefind_available",
    "search_cache_path",
    "search_index",
    "stable_entry",
]

_NEW: PageStat = (0, 0, 0)
"""The stat of a page given as bytes (not written yet): never a file's."""

MISSING = (
    "the search index was not made: Pagefind's program is missing, although cityprofiles "
    "depends on it; reinstall it with: pip install --force-reinstall 'pagefind[bin]' "
    "(the search page links to the list of cities meanwhile; --no-search builds without "
    "an index on purpose)"
)


def pagefind_available() -> bool:
    """Whether Pagefind's program is installed (it comes with ``pagefind[bin]``)."""
    return pagefind.executable() is not None


@dataclass
class SearchIndex:
    """The index of a build: its files by output path (bytes, or :data:`PREVIOUS` for a
    part carried over from the output folder), what Pagefind warned, and counts."""

    files: dict[str, bytes | Previous] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    parts: int = 0
    made: int = 0
    """Parts Pagefind ran for (the others were carried over)."""
    missing: bool = False
    """Pagefind is not installed: no index at all."""
    folders: list[str] = field(default_factory=list)
    """The folder of each part."""


def search_index(
    router: Router,
    pages: Mapping[str, bytes | Path],
    *,
    cache: SearchCache | None = None,
    previous: Path | None = None,
    jobs: int = 1,
    runs: Callable[[int], None] | None = None,
    done: Callable[[int], None] | None = None,
) -> SearchIndex:
    """The index of every language, reusing the parts of ``cache`` whose files are still
    in ``previous`` (the output folder) as written; or no files and a warning if
    Pagefind is missing.

    ``pages`` maps output paths to page bytes, or to the file of a page already written
    (its indexed text is hashed again only when the file changed). ``jobs``: Pagefind
    runs at a time (each is a separate program). ``cache`` is updated with the page
    hashes and the parts made (:meth:`SearchCache.commit` records them once written).
    ``runs`` is told how many Pagefind runs there are once that is known, and ``done`` of
    each one finished (a progress display)."""
    program = pagefind.executable()
    if program is None:
        return SearchIndex(
            problems=[Problem("pagefind", message=MISSING, severity="warning", code="search")],
            missing=True,
        )
    cache = cache if cache is not None else SearchCache()
    keep_index_url = not router.directory_urls
    how = digest(str(FORMAT), identity(program), ROOT_SELECTOR, str(keep_index_url))
    result, todo = _carry_over(router, pages, cache, previous, how)
    if runs is not None:
        runs(len(todo))
    bundles = _run(program, pages, cache, todo, keep_index_url, jobs, done)
    for (part, key), bundle in zip(todo, bundles, strict=True):
        result.made += 1
        result.files.update({part.folder + rel: data for rel, data in bundle.files.items()})
        result.problems += _problems(part.folder, bundle.warnings)
        cache.pending[part.folder] = (key, tuple(sorted(bundle.files)), bundle.warnings)
    result.files = dict(sorted(result.files.items()))
    return result


def _run(
    program: Path,
    pages: Mapping[str, bytes | Path],
    cache: SearchCache,
    todo: list[tuple[Part, str]],
    keep_index_url: bool,
    jobs: int,
    done: Callable[[int], None] | None,
) -> list[Bundle]:
    """One Pagefind run per part of ``todo``, ``jobs`` at a time; ``done`` told of each."""
    programs = pagefind.Programs()

    def work(item: tuple[Part, str]) -> Bundle:
        part, _ = item
        documents: dict[str, bytes | Path]
        if part.names:  # each page's title: its name, as _carry_over left it in the cache
            names = {r.output: cache.pages[r.output][2] for r in part.routes if r.output in pages}
            documents = {rel: names_document(name) for rel, name in names.items() if name}
        else:
            documents = {r.output: pages[r.output] for r in part.routes if r.output in pages}
        return pagefind.run_pagefind(
            program,
            documents,
            keep_index_url=keep_index_url,
            primary=part.primary or part.names,
            programs=programs,
        )

    def told(bundle: Bundle) -> Bundle:
        if done is not None:
            done(1)
        return bundle

    if jobs <= 1 or len(todo) <= 1:
        bundles = [told(work(item)) for item in todo]
    else:
        pool = ThreadPoolExecutor(jobs)  # threads that wait on Pagefind, one run each
        try:
            bundles = [told(bundle) for bundle in pool.map(work, todo)]  # told in this thread
        except BaseException:  # Ctrl-C, or one run failed: stop the others at once
            programs.stop()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return bundles


def _carry_over(
    router: Router,
    pages: Mapping[str, bytes | Path],
    cache: SearchCache,
    previous: Path | None,
    how: str,
) -> tuple[SearchIndex, list[tuple[Part, str]]]:
    """The index with every part whose key the cache vouches for carried over from
    ``previous``, and the parts to make again (each with its key)."""
    result = SearchIndex()
    todo: list[tuple[Part, str]] = []
    indexed: set[str] = set()
    for lang in router.site.language_codes:
        for part in all_parts(router, lang):
            result.parts += 1
            result.folders.append(part.folder)
            routes = [r for r in part.routes if r.output in pages]
            indexed.update(r.output for r in routes)
            key = digest(
                how,
                part.folder,
                *(f"{r.output}={_indexed(cache, part, r.output, pages[r.output])}" for r in routes),
            )
            record = cache.reusable(part.folder, key, previous)
            if record is not None:
                result.files.update(
                    dict.fromkeys((part.folder + f for f in record.files), PREVIOUS)
                )
                result.problems += _problems(part.folder, record.warnings)
            elif routes:
                todo.append((part, key))
    cache.forget_pages_except(indexed)
    return result, todo


def _indexed(cache: SearchCache, part: Part, rel: str, page: bytes | Path) -> str:
    """What ``part`` indexes of a page: the hash of its indexed text, or, for the names
    part, its name."""
    _, text, name = _page(cache, rel, page)
    return name if part.names else text


def _page(cache: SearchCache, rel: str, page: bytes | Path) -> tuple[PageStat, str, str]:
    """A page's entry in the cache: the stat of its file, the hash of its indexed text and
    its name (:func:`~cityprofiles.output.search.indexed.page_name`), read again only when
    its file changed. A page given as bytes has no file yet: its stat is zeros."""
    if isinstance(page, bytes):
        fresh = cache.pages[rel] = (_NEW, *digest_and_name(page))
        return fresh
    try:
        st = page.stat()
    except OSError as exc:
        raise BuildError(f"could not read {rel} for the search index: {exc.strerror}") from None
    stat = (st.st_size, st.st_mtime_ns, st.st_ino)
    known = cache.pages.get(rel)
    if known is None or known[0] != stat:
        cache.pages[rel] = known = (stat, *digest_and_name(page.read_bytes()))
    return known


def _problems(folder: str, warnings: tuple[str, ...]) -> list[Problem]:
    return [
        Problem(folder, message=f"Pagefind warned: {text}", severity="warning", code="search")
        for text in warnings
    ]
