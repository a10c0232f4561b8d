"""A progress line on the terminal while a long stage runs: what is being done, how many of
how many, and for how long (``rich``).

Shown only when standard error is a terminal (never in CI logs or pipes), not with
``--quiet`` or ``--format json``/``github``; it disappears when the run ends, leaving the
summary. It is redrawn from the main thread, at most ten times a second, and never from a
thread of its own: the pipeline forks worker processes, and forking beside a running
thread is unsafe.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

from cityprofiles.pipeline import Progress, Silent

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import TaskID

REDRAW_SECONDS = 0.1


def progress_for(*, quiet: bool, fmt: str = "text") -> Progress:
    """A terminal progress display when it makes sense, else one that shows nothing (and
    costs nothing: rich is not even imported)."""
    if quiet or fmt != "text" or not sys.stderr.isatty():
        return Silent()
    from cityprofiles.cli.report import stderr_console

    console = stderr_console()
    if not console.is_terminal or console.is_dumb_terminal:
        return Silent()
    return TerminalProgress(console)


class TerminalProgress:
    """One line: the current stage, a bar, ``done/total`` and the time the stage took."""

    def __init__(self, console: Console) -> None:
        from rich import progress

        self._display = progress.Progress(
            progress.TextColumn("{task.description}"),
            progress.BarColumn(),
            progress.MofNCompleteColumn(),
            progress.TimeElapsedColumn(),
            console=console,
            auto_refresh=False,  # no refresh thread (see the module docstring)
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._task: TaskID | None = None
        self._drawn = 0.0

    def stage(self, name: str, total: int | None = None) -> None:
        """Show a new stage, from zero."""
        if self._task is None:
            self._display.start()
            self._task = self._display.add_task(name, total=total)
        else:
            self._display.reset(self._task, total=total, description=name)
        self._redraw(force=True)

    def advance(self, done: int = 1) -> None:
        """Count ``done`` more items of the current stage."""
        if self._task is not None:
            self._display.advance(self._task, done)
            self._redraw()

    def finish(self) -> None:
        """Take the line away."""
        if self._task is not None:
            self._display.stop()
            self._task = None

    def _redraw(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._drawn >= REDRAW_SECONDS:
            self._display.refresh()
            self._drawn = now
