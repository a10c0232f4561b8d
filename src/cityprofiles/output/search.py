"""Full-text search for a static host: a Pagefind index built from the rendered pages.

Pagefind (PyPI ``pagefind[bin]``) runs once per language, each run making its own
bundle under ``pagefind/<lang>/`` that the search page of that language loads, so a
search on a Dutch page only finds Dutch pages. Pagefind holds what it indexes in
memory (~260 KB a page), so a language with more than :data:`BUNDLE_PAGES` pages is
indexed in parts (``pagefind/<lang>-2/``, …) that the search page merges
(``mergeIndex``): the largest Pagefind process stays at ~0.5 GB however large the site
(it was 4.2 GB for one run over 10 000 cities). The pages are handed over from the
staged output (nothing is published before the whole build succeeded) and the index
comes back as files. Only the ``<main>`` element is indexed, so menus and footers do
not flood the results. When
Pagefind is not installed, the build warns and publishes the site without an index;
the search page then says so and links to the list of cities.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from cityprofiles.errors import BuildError, Problem
from cityprofiles.render import Router, bundles

ENTRY = "pagefind-entry.json"
#: Pagefind's ready-made UIs: the search page has its own small, translated one (search.js).
UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")


def pagefind_available() -> bool:
    """Whether the Pagefind Python API and its binary are installed."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return False
    return get_executable() is not None


def search_index(
    router: Router,
    pages: Mapping[str, bytes | Path],
    done: Callable[[int], None] | None = None,
) -> tuple[dict[str, bytes], list[Problem]]:
    """The Pagefind bundles (one per language) by output path, or no files and a warning
    if Pagefind is missing.

    ``pages`` maps output paths to page bytes, or to the file of a page already written;
    ``done`` is told of each bundle made (for a progress display)."""
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
    keep_index_url = not router.directory_urls
    result: dict[str, bytes] = {}
    for lang in router.site.language_codes:
        for folder, part in bundles(router, lang):
            documents = {r.output: pages[r.output] for r in part if r.output in pages}
            if documents:
                files = _index(documents, keep_index_url)
                result.update({folder + path: data for path, data in files.items()})
            if done is not None:
                done(1)
    return dict(sorted(result.items())), []


def _index(documents: Mapping[str, bytes | Path], keep_index_url: bool) -> dict[str, bytes]:
    """Index the pages from a scratch folder with Pagefind's command-line program.

    The command, not Pagefind's Python service API: the service answers ``write_files``
    before the files are on disk, so under load the bundle could be read half-written
    (or not at all, once the service was closed); the command exits only when every
    file is written, and a Ctrl-C stops it with the build."""
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:  # checked by the caller; removed in between
        raise BuildError("Pagefind is no longer installed; install it or use --no-search")
    with tempfile.TemporaryDirectory(prefix="cityprofiles-search-") as scratch:
        pages = Path(scratch, "pages")
        for rel, content in documents.items():
            path = pages / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                _link_or_copy(content, path)  # a page already written to the output
            else:
                path.write_bytes(content)
        bundle = Path(scratch, "bundle")
        command = [str(executable), "--site", str(pages), "--output-path", str(bundle)]
        command += ["--root-selector", "main", "--silent"]
        if keep_index_url:
            command.append("--keep-index-url")
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not (bundle / ENTRY).is_file():
            said = (done.stdout + done.stderr).strip().splitlines()
            raise BuildError(
                "Pagefind could not build the search index"
                + (f": {said[-1]}" if said else f" (exit status {done.returncode})")
                + "; build again, or use --no-search"
            )
        files = {
            path.relative_to(bundle).as_posix(): path.read_bytes()
            for path in sorted(bundle.rglob("*"))
            if path.is_file() and not path.relative_to(bundle).as_posix().startswith(UNUSED)
        }
    files[ENTRY] = stable_entry(files[ENTRY])
    return files


def _link_or_copy(source: Path, target: Path) -> None:
    """A page for Pagefind to read: hard-linked when on the same file system (70 MB of
    pages at 1 000 cities), copied otherwise."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


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
