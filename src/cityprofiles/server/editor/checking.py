"""A save is checked by ``cityprofiles check`` itself, on the site as it would be after it.

The site's inputs are mirrored into a scratch folder inside the site
(``.cache/cityprofiles/``, so hard links work and nothing is copied) with the saved files
in place of the old ones, and :func:`cityprofiles.pipeline.check` runs on it: the same
code path, the same messages (file, line, field, reason) as on the command line, and
every improvement to ``check`` applies to the editor at once.

A save is refused for an error in a file it writes, or for an error it causes elsewhere
(removing a network that a city uses): errors the site already had are not the
editor's to fix in this save, so they do not block it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from cityprofiles.errors import ContentError, Problem

INPUT_FOLDERS = ("content", "templates", "static", "locales")
"""What ``check`` reads of a site (the theme and catalogues overrides, and the content)."""
SCRATCH = ".cache/cityprofiles"


def problems_after(root: Path, changes: Mapping[str, bytes | None]) -> list[Problem]:
    """Every problem ``check`` reports for the site with ``changes`` applied (None: deleted)."""
    from cityprofiles.pipeline import check

    scratch_parent = root / SCRATCH
    scratch_parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="cms-check-", dir=scratch_parent))
    try:
        _mirror(root, scratch)
        for rel, data in changes.items():
            target = scratch / rel
            if target.exists() or target.is_symlink():
                target.unlink()  # a hard link: replace it, never write through it
            if data is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        try:
            return check(scratch)
        except ContentError as exc:
            return list(exc.problems)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def current_problems(root: Path) -> list[Problem]:
    """What ``check`` reports for the site as it is now."""
    from cityprofiles.pipeline import check

    try:
        return check(root)
    except ContentError as exc:
        return list(exc.problems)


def refusals(root: Path, changes: Mapping[str, bytes | None]) -> list[Problem]:
    """The errors that make ``changes`` unsaveable (empty: save)."""
    errors = [p for p in problems_after(root, changes) if p.severity == "error"]
    ours = [p for p in errors if p.file in changes or _inside(p.file, changes)]
    elsewhere = [p for p in errors if p not in ours]
    if elsewhere:
        before = {_identity(p) for p in current_problems(root) if p.severity == "error"}
        ours += [p for p in elsewhere if _identity(p) not in before]
    return sorted(ours)


def _inside(file: str, changes: Mapping[str, bytes | None]) -> bool:
    """A problem about a folder (``content/cities/x``) belongs to a save inside it."""
    return any(rel.startswith(file.rstrip("/") + "/") for rel in changes)


def _identity(problem: Problem) -> tuple[str, str, str]:
    """A problem regardless of its line (a save elsewhere in the file may move it)."""
    return (problem.file, problem.path, problem.message)


def _mirror(root: Path, scratch: Path) -> None:
    """Hard links of every input file (a copy where the file system has none)."""
    for folder in INPUT_FOLDERS:
        source = root / folder
        if not source.is_dir():
            continue
        for dirpath, _dirnames, filenames in os.walk(source, followlinks=False):
            rel_dir = Path(dirpath).relative_to(root)
            (scratch / rel_dir).mkdir(parents=True, exist_ok=True)
            for name in filenames:
                src = Path(dirpath) / name
                dst = scratch / rel_dir / name
                _link_or_copy(src, dst)


def _link_or_copy(src: Path, dst: Path) -> None:
    if src.is_symlink():
        # The real site's check judges its links; the mirror holds what they point at.
        if not src.exists():
            return
        shutil.copyfile(src, dst)
        return
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
