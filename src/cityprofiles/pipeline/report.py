"""What a run of the pipeline did, for the closing summary, ``--timings`` and the benchmark."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from cityprofiles.errors import ContentError, Problem


@dataclass
class BuildReport:
    """What a build (or a check) did."""

    pages: dict[str, int] = field(default_factory=dict)
    """HTML pages in the output, per language."""
    files: int = 0
    written: int = 0
    unchanged: int = 0
    rendered: int = 0
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    """Seconds per stage, in order (``build --timings``)."""
    search_parts: tuple[int, int] | None = None
    """Parts of the search index made again and all parts, when the index was looked at."""


class Stopwatch:
    """Times the stages of a run."""

    def __init__(self) -> None:
        self.started = self._last = time.perf_counter()
        self.stages: dict[str, float] = {}

    def lap(self, stage: str) -> None:
        """Record the time since the previous lap as ``stage`` (added up if repeated)."""
        now = time.perf_counter()
        self.stages[stage] = self.stages.get(stage, 0.0) + now - self._last
        self._last = now

    def stamp(self, report: BuildReport) -> BuildReport:
        """``report`` with the total time and the stages so far."""
        report.seconds = time.perf_counter() - self.started
        report.stages = dict(self.stages)
        return report


def refuse_warnings(warnings: Iterable[Problem]) -> None:
    """``--strict``: raise the warnings as errors, if there are any."""
    errors = [replace(p, severity="error") for p in warnings]
    if errors:
        raise ContentError(errors)
