"""Running Pagefind: one run per part of the index, each in its own scratch folder.

The command, not Pagefind's Python service API: the service answers ``write_files``
before the files are on disk, so under load the bundle could be read half-written (or
not at all, once the service was closed); the command exits only when every file is
written, and a Ctrl-C stops it with the build. It runs with ``--quiet``, which prints
only warnings and errors: whatever a successful run prints is reported as a warning
(``build --strict`` fails on it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cityprofiles.errors import BuildError

ENTRY = "pagefind-entry.json"
ROOT_SELECTOR = "main"

#: Pagefind's ready-made UIs: the search page has its own small, translated one (search.js).
UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")

#: What only the first part of a language needs: the search page loads Pagefind's script,
#: worker and WebAssembly from there, and merged parts use them (``mergeIndex`` reads a
#: part's entry, metadata, index chunks and fragments only). 230 KB per part saved.
SHARED = ("pagefind.js", "pagefind-worker.js", "wasm.")


def executable() -> Path | None:
    """Pagefind's program, as the ``pagefind[bin]`` dependency installs it."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    found = get_executable()  # PAGEFIND_BINARY_PATH, when set, names the program
    if found is None or not os.access(found, os.X_OK) or not Path(found).is_file():
        return None
    return Path(found)


def identity(program: Path) -> str:
    """What tells one Pagefind program from another (a new version makes every part
    again): its path, size and modification time."""
    st = program.stat()
    return f"{program}:{st.st_size}:{st.st_mtime_ns}"


class Programs:
    """The Pagefind processes running for one build, so that an interrupt (Ctrl-C, which
    reaches only the main thread while worker threads wait on Pagefind) stops them all."""

    def __init__(self) -> None:
        self._running: set[subprocess.Popen[str]] = set()
        self._lock = threading.Lock()
        self._stopped = False

    def run(self, command: list[str]) -> tuple[int, str]:
        """Run ``command``; its exit status and everything it printed."""
        with self._lock:
            if self._stopped:
                raise BuildError("the search index was stopped")
            process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            self._running.add(process)
        try:
            out, err = process.communicate()
        except BaseException:
            process.kill()
            process.wait()
            raise
        finally:
            with self._lock:
                self._running.discard(process)
        return process.returncode, out + "\n" + err

    def stop(self) -> None:
        """Kill every Pagefind still running, and start no other."""
        with self._lock:
            self._stopped = True
            for process in self._running:
                process.kill()


@dataclass(frozen=True)
class Bundle:
    """What one Pagefind run made: files by path inside the part's folder, and what it
    printed (warnings), one message per item."""

    files: dict[str, bytes]
    warnings: tuple[str, ...]


def run_pagefind(
    program: Path,
    documents: Mapping[str, bytes | Path],
    *,
    keep_index_url: bool,
    primary: bool,
    programs: Programs | None = None,
) -> Bundle:
    """Index ``documents`` (output path -> page bytes, or the page's file) with Pagefind.

    ``primary``: keep Pagefind's script, worker and WebAssembly (:data:`SHARED`): the
    first part of a language and its names part, which the search page loads as a Pagefind
    of its own (in its own worker: two indexes in one worker's WebAssembly hung a search
    now and then); the other parts keep only their index."""
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
        command = [str(program), "--site", str(pages), "--output-path", str(bundle)]
        command += ["--root-selector", ROOT_SELECTOR, "--quiet"]
        if keep_index_url:
            command.append("--keep-index-url")
        status, printed = (programs or Programs()).run(command)
        said = _messages(printed)
        if status != 0 or not (bundle / ENTRY).is_file():
            raise BuildError(
                "Pagefind could not build the search index"
                + (f": {said[-1]}" if said else f" (exit status {status})")
                + "; build again, or use --no-search"
            )
        files: dict[str, bytes] = {}
        for path in sorted(bundle.rglob("*")):
            rel = path.relative_to(bundle).as_posix()
            wanted = not rel.startswith(UNUSED) and (primary or not rel.startswith(SHARED))
            if wanted and path.is_file():
                files[rel] = path.read_bytes()
    files[ENTRY] = stable_entry(files[ENTRY])
    return Bundle(files, said)


def _messages(output: str) -> tuple[str, ...]:
    """Pagefind's printed messages, each once (it writes some to both streams), a
    message's lines joined.

    >>> _messages("Note: no stemming for tlh. \\nSearch will still work.\\nNote: no stemming for tlh. \\nSearch will still work.\\n")
    ('Note: no stemming for tlh. Search will still work.',)
    """
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    seen: list[str] = []
    # A message starts with a word and a colon ("Note:", "Warning:", "Error:").
    current: list[str] = []
    for line in lines:
        head = line.split(" ", 1)[0]
        if head.endswith(":") and head[:-1].isalpha() and current:
            seen.append(" ".join(current))
            current = []
        current.append(line)
    if current:
        seen.append(" ".join(current))
    return tuple(dict.fromkeys(seen))


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
