"""A save is checked by ``cityprofiles check`` itself, on the site as it would be after it.

The site's inputs are mirrored into a scratch folder inside the site
(``.cache/cityprofiles/``, so hard links work and nothing is copied) with the saved files
in place of the old ones, and a check :class:`~cityprofiles.pipeline.Pipeline` runs on
it: the same code path, the same messages (file, line, field, reason) as on the command
line, and every improvement to ``check`` applies to the editor at once.

A save is refused for an error in a file it writes, or for an error it causes elsewhere
(removing a network that a city uses): errors the site already had are not the
editor's to fix in this save, so they do not block it.

Fast, because the pipeline is kept from save to save (:class:`SaveChecker`) and starts
from what was last validated and rendered without a problem, by its own previous check
or by the preview's last build (``builds``), whichever matches the site better: only the
cities a save touches are read and validated again, the checks between files run on the
whole site, and only the pages whose inputs changed are rendered (``Pipeline``'s page
keys, as in an incremental build). At 1 000 cities a one-city save is checked in a
fraction of a second instead of a full ``check``'s tens of seconds. What ``check``
reports for a set of inputs is remembered, so the errors the site already had are
looked up, not checked again, after a save the editor itself wrote.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from cityprofiles import clock
from cityprofiles.cache import BuildState, InputScan, digest, rescan, scan_inputs_since
from cityprofiles.errors import ContentError, Problem
from cityprofiles.server.editor.mirror import Mirror

if TYPE_CHECKING:
    from cityprofiles.pipeline import Pipeline

REMEMBERED = 8
"""Outcomes of ``check`` kept, by the inputs they were found for."""

Builds = Callable[[], "BuildState | None"]
"""The state of the preview's last good build of the same site (``None``: none yet)."""


class SaveChecker:
    """``check`` of one site with changes applied, run after run, reusing what the last
    run (or the preview's build, ``builds``) validated and rendered."""

    def __init__(self, root: Path, builds: Builds | None = None) -> None:
        self.root = root
        self.builds: Builds = builds or (lambda: None)
        self._pipeline: Pipeline | None = None
        self.mirror = Mirror(root)
        self._scan: InputScan | None = None
        self._outcomes: OrderedDict[str, list[Problem]] = OrderedDict()

    def problems_after(self, changes: Mapping[str, bytes | None]) -> list[Problem]:
        """Every problem ``check`` reports for the site with ``changes`` applied (None: deleted)."""
        before = self._inputs()
        scratch = self.mirror.update(before, changes)
        after = rescan(scratch, before, [scratch / rel for rel in changes])
        return self._check(before, list(changes), after)

    def current_problems(self) -> list[Problem]:
        """What ``check`` reports for the site as it is now (remembered per inputs)."""
        inputs = self._inputs()
        known = self._outcomes.get(self._key(inputs))
        if known is not None:
            return list(known)
        self.mirror.update(inputs, {})
        return self._check(inputs, [], inputs)

    def close(self) -> None:
        """Remove the scratch folder (made again at the next check)."""
        self.mirror.close()
        self._pipeline = None  # its root was that folder

    def refusals(self, changes: Mapping[str, bytes | None]) -> list[Problem]:
        """The errors that make ``changes`` unsaveable (empty: save)."""
        errors = [p for p in self.problems_after(changes) if p.severity == "error"]
        ours = [p for p in errors if p.file in changes or _inside(p.file, changes)]
        elsewhere = [p for p in errors if p not in ours]
        if elsewhere:
            before = {_identity(p) for p in self.current_problems() if p.severity == "error"}
            ours += [p for p in elsewhere if _identity(p) not in before]
        return sorted(ours)

    # -- the steps -----------------------------------------------------------------------
    def _inputs(self) -> dict[str, str]:
        """The site's inputs and their hashes (only files changed since the last time are
        read again)."""
        self._scan = scan_inputs_since(self.root, self._scan)
        return self._scan.hashes

    def _check(
        self, before: dict[str, str], changed: list[str], after: dict[str, str]
    ) -> list[Problem]:
        """Run the check pipeline on the mirror: the site whose inputs are ``before``, with
        the files ``changed``, which makes its inputs ``after``."""
        pipeline = self._check_pipeline()
        assert self.mirror.path is not None
        start = _closest([pipeline.state, self.builds()], after)
        # The state's cities and page keys are trusted by their hashes; its inputs are
        # replaced by the site's as it is now, so only ``changed`` is hashed again.
        pipeline.state = dataclasses.replace(start, inputs=before) if start else None
        paths = [self.mirror.path / rel for rel in changed] if start else None
        try:
            problems = pipeline.run(paths).warnings  # its state: the site after the save
        except ContentError as exc:
            problems = list(exc.problems)
            pipeline.state = start  # what rendered without a problem is unchanged
        self._outcomes[self._key(after)] = problems
        while len(self._outcomes) > REMEMBERED:
            self._outcomes.popitem(last=False)
        return list(problems)

    def _check_pipeline(self) -> Pipeline:
        """One check pipeline for every save, in one process: forking beside the server's
        threads is unsafe, and a save renders few pages."""
        from cityprofiles.pipeline import Pipeline

        if self._pipeline is None or self._pipeline.root != self.mirror.path:
            assert self.mirror.path is not None
            self._pipeline = Pipeline(self.mirror.path, None, jobs=1)
        return self._pipeline

    def _key(self, inputs: Mapping[str, str]) -> str:
        """What a check's outcome depends on: the inputs and the day."""
        return digest(clock.today().isoformat(), *(f"{k}={v}" for k, v in inputs.items()))


def _closest(states: list[BuildState | None], inputs: Mapping[str, str]) -> BuildState | None:
    """Of the states, the one that differs from ``inputs`` in the fewest files."""
    candidates = [s for s in states if s is not None]
    if not candidates:
        return None
    return min(candidates, key=lambda s: _difference(s.inputs, inputs))


def _difference(old: Mapping[str, str], new: Mapping[str, str]) -> int:
    return sum(1 for k, v in new.items() if old.get(k) != v) + sum(1 for k in old if k not in new)


def problems_after(root: Path, changes: Mapping[str, bytes | None]) -> list[Problem]:
    """Every problem ``check`` reports for the site with ``changes`` applied (None: deleted)."""
    return SaveChecker(root).problems_after(changes)


def current_problems(root: Path) -> list[Problem]:
    """What ``check`` reports for the site as it is now."""
    from cityprofiles.pipeline import check

    try:
        return check(root)
    except ContentError as exc:
        return list(exc.problems)


def refusals(root: Path, changes: Mapping[str, bytes | None]) -> list[Problem]:
    """The errors that make ``changes`` unsaveable (empty: save), with a checker of its own."""
    return SaveChecker(root).refusals(changes)


def _inside(file: str, changes: Mapping[str, bytes | None]) -> bool:
    """A problem about a folder (``content/cities/x``) belongs to a save inside it."""
    return any(rel.startswith(file.rstrip("/") + "/") for rel in changes)


def _identity(problem: Problem) -> tuple[str, str, str]:
    """A problem regardless of its line (a save elsewhere in the file may move it)."""
    return (problem.file, problem.path, problem.message)
