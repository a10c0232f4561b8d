"""Updating an output folder in place: only changed files are written, all or none.

An incremental build changes a handful of files out of thousands; linking every
unchanged file into a new folder and swapping it in (:func:`~cityprofiles.output.write.write_site`)
would cost more than the build. Here every new file is first written to a temporary file
beside its target; only when all are written are they renamed into place, with Ctrl-C
held back meanwhile, so a failure leaves the previous output as it was.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

from cityprofiles.errors import BuildError
from cityprofiles.output.modes import file_mode
from cityprofiles.output.write import Content, Previous


def write_in_place(
    files: Mapping[str, Content], out: Path, previous: Mapping[str, tuple[int, int]]
) -> tuple[list[str], int]:
    """Write only the files whose bytes changed and delete files no longer made; return
    the files written and the number left as they were.

    Every new file is first written to a temporary file beside its target; only when all
    are written are they renamed into place, so a full disk or a permission error leaves
    the previous output untouched (the promise of :func:`cityprofiles.output.write.write_site`,
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
