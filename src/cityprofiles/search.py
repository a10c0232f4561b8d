"""Full-text search for a static host: a Pagefind index built from the rendered pages.

Pagefind (PyPI ``pagefind[bin]``) splits the index by each page's ``<html lang>``, so
a search on a Dutch page only finds Dutch pages. The pages are handed over from
memory (nothing is read back from the output folder, which is only written after a
successful build) and the index comes back as files under ``pagefind/``. Only the
``<main>`` element is indexed, so menus and footers do not flood the results. When
Pagefind is not installed, the build warns and publishes the site without an index;
the search page then says so and links to the list of cities.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
import threading
from collections.abc import Coroutine, Mapping
from pathlib import Path
from typing import Any, TypeVar

from cityprofiles.errors import BuildError, Problem
from cityprofiles.routes import Router

INDEX_DIR = "pagefind/"
ENTRY = "pagefind-entry.json"
#: Page kinds whose text is worth finding (language choosers, 404s and the search page are not).
INDEXED_KINDS = frozenset(
    {"home", "cities", "city", "networks", "network", "goals", "goal", "about", "compare"}
)

#: Pagefind's ready-made UIs: the search page has its own small, translated one (search.js).
UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")

T = TypeVar("T")


def pagefind_available() -> bool:
    """Whether the Pagefind Python API and its binary are installed."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return False
    return get_executable() is not None


def search_index(
    router: Router, pages: Mapping[str, bytes | Path]
) -> tuple[dict[str, bytes], list[Problem]]:
    """The Pagefind bundle by output path, or no files and a warning if Pagefind is missing.

    ``pages`` maps output paths to page bytes, or to the file of a page already written."""
    if not pagefind_available():
        return {}, [
            Problem(
                "pagefind",
                message="Pagefind is not installed, so the site was built without a search "
                "index; install it with: pip install 'pagefind[bin]'",
                severity="warning",
                code="search",
            )
        ]
    documents: dict[str, bytes | Path] = {}
    for route in router:
        page = pages.get(route.output)
        if route.kind in INDEXED_KINDS and page is not None:
            documents[route.output] = page
    keep_index_url = not router.directory_urls
    files = _run(_index(documents, keep_index_url))
    return {INDEX_DIR + path: content for path, content in sorted(files.items())}, []


async def _index(documents: Mapping[str, bytes | Path], keep_index_url: bool) -> dict[str, bytes]:
    """Index the pages from a scratch folder in one request: the service answers each
    request only after a poll delay, so one folder is much faster than a file per page."""
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(
        root_selector="main", write_playground=False, keep_index_url=keep_index_url
    )
    index = PagefindIndex(config=config)
    # ignore_cleanup_errors: after a Ctrl-C the Pagefind service may still be writing
    # into the folder while it is removed; the interrupt, not that, is what to report.
    with tempfile.TemporaryDirectory(
        prefix="cityprofiles-search-", ignore_cleanup_errors=True
    ) as scratch:
        for rel, content in documents.items():
            path = Path(scratch, "pages", rel)
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                shutil.copyfile(content, path)  # a page already written to the output
            else:
                path.write_bytes(content)
        bundle = Path(scratch, ".bundle")
        await index._start()  # not ``async with``: its exit would write a second copy
        try:
            await index.add_directory(str(Path(scratch, "pages")))
            # ``write_files`` rather than ``get_files``: the latter sends the whole index
            # through one pipe message and deadlocks once the index is large (a few hundred
            # pages), as Pagefind's own docstring warns.
            await index.write_files(output_path=str(bundle))
        finally:
            assert index._service is not None
            await index._service.close()
        await _settled(bundle / ENTRY)
        files = {
            path.relative_to(bundle).as_posix(): path.read_bytes()
            for path in sorted(bundle.rglob("*"))
            if path.is_file() and not path.relative_to(bundle).as_posix().startswith(UNUSED)
        }
    if ENTRY in files:
        files[ENTRY] = stable_entry(files[ENTRY])
    return files


async def _settled(entry: Path, attempts: int = 100) -> None:
    """Wait until Pagefind's entry file is complete JSON.

    On large sites the service has been seen to answer before the entry file was written
    out; the entry is the last file a browser needs, so it is the one to wait for."""
    for _ in range(attempts):
        try:
            json.loads(entry.read_bytes())
            return
        except (OSError, ValueError):
            await asyncio.sleep(0.05)
    raise BuildError(
        f"Pagefind did not finish writing its search index ({entry.name}); "
        "build again, or use --no-search"
    )


def stable_entry(raw: bytes) -> bytes:
    """Pagefind writes its languages in hash-map order, which changes from run to run;
    sorted, an unchanged site gives an unchanged file (and no needless upload).

    >>> stable_entry(b'{"version":"1","languages":{"nl":{},"en":{}}}')
    b'{"version":"1","languages":{"en":{},"nl":{}}}'
    """
    entry = json.loads(raw)
    if isinstance(entry.get("languages"), dict):
        entry["languages"] = dict(sorted(entry["languages"].items()))
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion, also when called from inside a running event loop
    (the live-reload server rebuilds from its loop's thread)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    result: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            result.append(asyncio.run(coroutine))
        except BaseException as exc:  # re-raised in the calling thread
            errors.append(exc)

    thread = threading.Thread(target=target, name="pagefind")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return result[0]
