"""Stage 4, write: put the rendered files in place atomically.

The new site is written into a temporary folder beside the output folder and
swapped in only when every file was written, so a failed or interrupted build
(content error, full disk, Ctrl-C) leaves the previous output exactly as it was
and no temporary folder behind. Files whose bytes did not change are hard-linked
from the previous output, so they keep their modification time and deploy tools
such as rsync copy nothing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from cityprofiles.errors import BuildError, UsageError
from cityprofiles.output.modes import staging_folder

MARKER = ".cityprofiles-output"


class Previous:
    """The type of :data:`PREVIOUS`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "PREVIOUS"


PREVIOUS = Previous()
"""A file's content meaning "as in the previous output": the caller vouches that the file
already in the output folder is still right (an unchanged page skipped by the build
cache), so it is linked or kept without being read."""

Content = bytes | Path | Previous
"""What a file of the site is given as: its bytes, a file to copy, or :data:`PREVIOUS`."""


def check_output_folder(out: Path, root: Path) -> None:
    """Refuse an output folder whose replacement would destroy something that is not ours."""
    out_r = out.resolve()
    root_r = root.resolve()
    home = Path.home().resolve()
    forbidden = {
        Path("/"),
        home,
        root_r,
        root_r / "content",
        root_r / "templates",
        root_r / "static",
    }
    if out_r in forbidden or out_r in root_r.parents or out_r in (root_r / "content").parents:
        raise UsageError(f"refusing to use {out} as the output folder: it would replace {out_r}")
    for protected in (
        root_r / "content",
        root_r / "templates",
        root_r / "static",
        root_r / "locales",
    ):
        if protected == out_r or protected in out_r.parents:
            raise UsageError(f"refusing to write the site inside {protected}")
    if out_r.exists():
        if not out_r.is_dir():
            raise UsageError(f"{out} exists and is not a folder")
        if any(out_r.iterdir()) and not (out_r / MARKER).exists():
            raise UsageError(
                f"{out} is not empty and was not made by cityprofiles; "
                "choose another --out or empty it yourself"
            )


WRITER_THREADS = 2
"""Threads that write files while the building process renders the next page: creating
a file is mostly kernel work, which then runs on another core (1 s of a 1 000-city build)."""

MAX_PENDING = 256
"""Files handed to the writer threads and not yet written; bounds the memory they hold."""


def write_site(
    files: Mapping[str, Content],
    out: Path,
    derived: Callable[[Path], Mapping[str, bytes | Previous]] | None = None,
    produce: Callable[[Stage], tuple[int, int]] | None = None,
    threads: int = WRITER_THREADS,
) -> tuple[int, int]:
    """Write ``files`` (output path -> bytes, a file to copy, or :data:`PREVIOUS`) as the
    new ``out``.

    ``produce``, if given, places more files itself through the :class:`Stage` it is
    handed and returns its ``(written, unchanged)`` counts: worker processes render pages
    and write them straight into the staged folder, instead of sending every page's
    bytes back to one process that writes them all. ``derived``, if given, is called
    with the staged folder once every file is in it and returns more files made from
    them (the search index, which reads the pages; :data:`PREVIOUS` for a file kept from
    the previous output, a part of the index that did not change). Everything is placed before the
    swap, so the new output appears whole or not at all. ``threads``: writer threads
    (0 when ``produce`` forks worker processes: forking beside running threads is unsafe).
    Returns ``(written, unchanged)`` counts.
    """
    out = out.absolute()
    if out.is_symlink():  # swap the real folder, not the link (the link would be left dangling)
        out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    tmp = staging_folder(f".{out.name}.tmp-", out.parent)
    stage = Stage(tmp, out, threads=threads)
    try:
        # The marker goes in first, so a folder left by a killed build is recognisably ours.
        stage.place(MARKER, _MARKER_TEXT, wait=True)  # not counted
        written, unchanged = _place_all(stage, files, out)
        if produce is not None:
            more, same = produce(stage)
            written, unchanged = written + more, unchanged + same
        more, same = stage.finish()  # every file is on disk before the index reads them
        written, unchanged = written + more, unchanged + same
        if derived is not None:
            for rel, made in sorted(derived(tmp).items()):
                if isinstance(made, Previous) and stage.link_previous(rel):
                    unchanged += 1  # a part of the search index carried over
                    continue
                data = made if isinstance(made, bytes) else (out / rel).read_bytes()
                if stage.place(rel, data, wait=True):
                    unchanged += 1
                else:
                    written += 1
        _swap(tmp, out)
    except BaseException as exc:
        stage.abandon()  # writes still running finish before their folder is removed
        _remove_tree(tmp)
        if isinstance(exc, OSError):
            raise BuildError(f"could not write the site to {out}: {exc.strerror or exc}") from None
        raise
    return written, unchanged


_MARKER_TEXT = b"This folder is generated by cityprofiles; edits are lost.\n"


def _place_all(stage: Stage, files: Mapping[str, Content], out: Path) -> tuple[int, int]:
    """Put ``files`` in the stage; ``(written, unchanged)`` of those not left to a writer
    thread (the stage counts those)."""
    written = unchanged = 0
    for rel in sorted(files):
        content = files[rel]
        if isinstance(content, Previous):
            if stage.link_previous(rel):  # vouched for: linked without reading it
                unchanged += 1
                continue
            content = out / rel
        data = content.read_bytes() if isinstance(content, Path) else content
        kept = stage.place(rel, data)  # None: a writer thread has it, counted at the end
        if kept is not None:
            unchanged, written = unchanged + kept, written + (not kept)
    return written, unchanged


def _folders(names: Iterable[str]) -> dict[str, set[str]]:
    """Every folder of an output holding ``names`` (``""`` is the output folder itself),
    with the names of the entries it should have."""
    children: dict[str, set[str]] = {"": {MARKER}}
    for rel in names:
        folder, _, name = rel.rpartition("/")
        while True:
            entries = children.get(folder)
            if entries is None:
                children[folder] = {name}
            elif name in entries:
                break
            else:
                entries.add(name)
                break
            if not folder:
                break
            folder, _, name = folder.rpartition("/")
    return children


def folder_stats(out: Path, names: Iterable[str]) -> dict[str, int]:
    """The mtime (ns) of each folder of the output, to notice entries added behind our back
    (adding or removing a file changes its folder's mtime; a missing folder is left out)."""
    base = str(out) + os.sep
    result: dict[str, int] = {}
    for folder in _folders(names):
        try:
            result[folder] = os.stat(base + folder).st_mtime_ns
        except OSError:
            continue
    return result


def remove_foreign(out: Path, names: Iterable[str], recorded: Mapping[str, int]) -> int:
    """Delete what is in ``out`` but not among ``names``: files dropped in by hand or left
    by an older layout, so an incremental build leaves exactly what a clean build writes.

    Only folders whose mtime differs from ``recorded`` (see :func:`folder_stats`) are
    listed, so an untouched output costs one ``stat`` per folder. Returns the count.
    """
    base = str(out) + os.sep
    removed = 0
    for folder, expected in _folders(names).items():
        path = base + folder
        try:
            if os.stat(path).st_mtime_ns == recorded.get(folder):
                continue
            entries = list(os.scandir(path))
        except OSError:
            continue
        for entry in entries:
            if entry.name in expected:
                continue
            if entry.is_dir(follow_symlinks=False):
                _remove_tree(Path(entry.path))
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
            removed += 1
    return removed


class Stage:
    """The new output folder being filled; paths are strings and folders are made once,
    since a site has thousands of files (``Path.resolve`` per file cost a second at 1 000
    cities). Forked workers may each use a copy: they write disjoint files.

    With ``threads``, :meth:`place` hands files to writer threads of the process that made
    the stage and returns ``None``; :meth:`finish` waits for them and counts them, and
    re-raises the first error (a full disk) or interrupt that one of them met. In other
    processes (forked workers) it writes at once and says whether the file was unchanged.
    """

    def __init__(self, tmp: Path, out: Path, *, threads: int = 0) -> None:
        self.tmp = str(tmp) + os.sep
        self.out = str(out) + os.sep
        self.made: set[str] = set()
        self._owner = os.getpid()
        self._pool = ThreadPoolExecutor(threads, "cityprofiles-write") if threads else None
        self._pending: deque[Future[bool]] = deque()
        self._written = self._unchanged = 0

    def _count(self, future: Future[bool]) -> None:
        if future.result():
            self._unchanged += 1
        else:
            self._written += 1

    def finish(self) -> tuple[int, int]:
        """Wait for every file handed to the writer threads; their ``(written, unchanged)``."""
        while self._pending:
            self._count(self._pending.popleft())
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        return self._written, self._unchanged

    def abandon(self) -> None:
        """Stop after the writes under way (the build failed); queued ones are dropped."""
        if self._pool is not None and os.getpid() == self._owner:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def target(self, rel: str) -> str:
        """The staged path of ``rel``, with its folder made; refuses ``..`` and absolute
        paths (the staging folder is ours and new, so it holds no links to follow)."""
        return self.tmp + _checked(rel)

    def _folder_for(self, target: str) -> None:
        folder = os.path.dirname(target)
        if folder not in self.made:
            try:
                os.mkdir(folder)  # one call when the parent is there (nearly always)
            except FileExistsError:
                pass
            except FileNotFoundError:
                os.makedirs(folder, exist_ok=True)
            self.made.add(folder)

    def link_previous(self, rel: str) -> bool:
        """Hard-link the previous output's file; ``False`` when that is not possible."""
        target = self.target(rel)
        try:
            self._folder_for(target)
            os.link(self.out + rel, target)
        except OSError:
            return False
        return True

    def place(self, rel: str, data: bytes, *, wait: bool = False) -> bool | None:
        """Put ``data`` at ``rel``; hard-link the previous file when identical (so it keeps
        its time and inode). Returns whether the file was unchanged, or ``None`` when a
        writer thread will do it (unless ``wait``)."""
        if self._pool is None or wait or os.getpid() != self._owner:
            return self._place(rel, data)
        if len(self._pending) >= MAX_PENDING:
            self._count(self._pending.popleft())
        self._pending.append(self._pool.submit(self._place, rel, data))
        return None

    def _place(self, rel: str, data: bytes) -> bool:
        target = self.target(rel)
        self._folder_for(target)
        previous = self.out + rel
        if _same(previous, data):
            try:
                os.link(previous, target)
                return True
            except OSError:
                pass
        _write_file(Path(target), data)
        return False


def _checked(rel: str) -> str:
    """``rel`` itself when it stays inside the output folder; raise otherwise.

    >>> _checked("en/index.html")
    'en/index.html'
    >>> _checked("a/../../escape.html")
    Traceback (most recent call last):
    ...
    cityprofiles.errors.BuildError: refusing to write 'a/../../escape.html': it is outside the output folder
    """
    normal = os.path.normpath(rel)
    if (
        not rel
        or os.path.isabs(rel)
        or normal != rel
        or normal == os.curdir
        or normal.split(os.sep, 1)[0] == os.pardir
    ):
        raise BuildError(f"refusing to write {rel!r}: it is outside the output folder")
    return rel


def _write_file(target: Path, data: bytes) -> None:
    """Write one file (a separate function so tests can inject a full disk)."""
    with target.open("wb") as handle:
        handle.write(data)


def remove_leftovers(out: Path) -> None:
    """Delete temporary folders that a killed build (SIGKILL, power cut) left beside ``out``.

    Only folders named like ours *and* holding our marker file are removed.
    """
    for pattern in (f".{out.name}.tmp-*", f".{out.name}.old-*"):
        for folder in out.parent.glob(pattern):
            if folder.is_dir() and not folder.is_symlink() and (folder / MARKER).is_file():
                _remove_tree(folder)


def _same(path: str, data: bytes) -> bool:
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _swap(new: Path, out: Path) -> None:
    """Replace ``out`` with ``new`` using renames (atomic on one filesystem)."""
    if not out.exists():
        os.replace(new, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    old.rmdir()
    os.replace(out, old)
    try:
        os.replace(new, out)
    except BaseException:
        os.replace(old, out)
        raise
    _remove_tree(old)


def _remove_tree(path: Path) -> None:
    """Delete a folder of ours, finishing the job even if Ctrl-C arrives meanwhile."""
    try:
        shutil.rmtree(path, ignore_errors=True)
    except KeyboardInterrupt:
        shutil.rmtree(path, ignore_errors=True)
        raise
