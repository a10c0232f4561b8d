"""How the pipeline says how far it is: a stage at a time, items done of a total.

The pipeline only calls these methods; what a person sees (a bar on a terminal, nothing
in CI or with ``--quiet``) is the command line's business (``cli/progress.py``).
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Receives the pipeline's progress; every method must be cheap and must not fail."""

    def stage(self, name: str, total: int | None = None) -> None:
        """A new stage begins (``total``: how many items it will do, if known)."""

    def advance(self, done: int = 1) -> None:
        """``done`` more items of the current stage are finished."""

    def finish(self) -> None:
        """The run is over (also after a failure)."""


class Silent:
    """Progress that shows nothing: the default, and for tests and the preview."""

    def stage(self, name: str, total: int | None = None) -> None:
        """Nothing to show."""

    def advance(self, done: int = 1) -> None:
        """Nothing to show."""

    def finish(self) -> None:
        """Nothing to show."""
