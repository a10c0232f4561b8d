"""Which sources changed: file-system events through ``watchfiles`` (inotify, FSEvents, ...).

The preview used to poll every watched file ten times a second (27 % of a core while
idle at 1 000 cities); the operating system now says when something changed, and an
idle preview uses no measurable CPU (``benchmarks/``). Where the operating system
cannot tell (some network and container mounts), watchfiles polls by itself
(``WATCHFILES_FORCE_POLLING``).

A burst of saves is reported once, after the files have been quiet for
:data:`QUIET_SECONDS`. A watched folder that does not exist yet (a site without
``templates/``) is looked for while waiting, and one that appears or disappears (a
``git checkout``) starts the watch again and is reported as changed.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

QUIET_SECONDS = 0.2
"""Saves closer together than this are one change (an editor writes a file in steps)."""
LONGEST_BURST_SECONDS = 5.0
"""Changes that keep coming are reported at least this often."""
RETRY_SECONDS = 1.0
"""How long to wait before watching again when the folders could not be watched."""


def _shown(path: Path, root: Path) -> str:
    """A path as the reports show it: relative to the site, else absolute."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def ignored(name: str) -> bool:
    """Hidden files and folders and editors' backup and swap files are not sources.

    >>> [ignored(n) for n in ("city.yaml", ".city.yaml.swp", "city.yaml~", ".git", "a.swx")]
    [False, True, True, True, True]
    """
    return name.startswith(".") or name.endswith(("~", ".swp", ".swx"))


class _Filter:
    """Keeps a changed path when no part of it below its watched folder is ignored."""

    def __init__(self, folders: Sequence[Path]) -> None:
        self.prefixes = sorted((str(f) + os.sep for f in folders), key=len, reverse=True)

    def __call__(self, _change: object, path: str) -> bool:
        for prefix in self.prefixes:
            if path.startswith(prefix):
                return not any(ignored(part) for part in path[len(prefix) :].split(os.sep))
        return True  # a watched folder itself


class _Restart:
    """The ``stop_event`` handed to watchfiles: set when the preview stops, or when a
    watched folder appears or goes (watchfiles asks every :data:`QUIET_SECONDS`)."""

    def __init__(self, stop: threading.Event, folders: Sequence[Path]) -> None:
        self.stop = stop
        self.folders = folders
        self.present = [f.is_dir() for f in folders]

    def moved(self) -> list[Path]:
        return [f for f, was in zip(self.folders, self.present, strict=True) if f.is_dir() != was]

    def is_set(self) -> bool:
        return self.stop.is_set() or bool(self.moved())


def changes(root: Path, folders: Sequence[Path], stop: threading.Event) -> Iterator[list[str]]:
    """Each burst of changes under ``folders``, as sorted paths (relative to ``root`` when
    inside it), until ``stop`` is set."""
    import watchfiles

    while not stop.is_set():
        restart = _Restart(stop, folders)
        watched = [f for f, there in zip(folders, restart.present, strict=True) if there]
        try:
            if not watched:
                while not restart.is_set():
                    time.sleep(QUIET_SECONDS)
            else:
                for batch in watchfiles.watch(
                    *watched,
                    watch_filter=_Filter(watched),
                    debounce=int(LONGEST_BURST_SECONDS * 1000),
                    step=int(QUIET_SECONDS * 1000),
                    stop_event=restart,
                    raise_interrupt=False,
                ):
                    yield sorted({_shown(Path(path), root) for _, path in batch})
        except OSError:  # a folder went between looking and watching: look again
            stop.wait(RETRY_SECONDS)
            continue
        moved = restart.moved()
        if moved and not stop.is_set():
            yield sorted(_shown(folder, root) + "/" for folder in moved)
