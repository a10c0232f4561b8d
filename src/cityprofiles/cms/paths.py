"""Which files the local back end may touch: only inside ``content/`` and the media folder.

Every path the browser sends is checked twice: as text (relative, no ``..``, no
hidden names, no backslashes or NUL, inside an allowed folder) and on disk (the real
path of the file, or of its nearest existing folder for a new file, must stay inside
the real path of that allowed folder, so a symlink that points out is refused).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cityprofiles.cms.decap import CONTENT, MEDIA_FOLDER

AREAS = (CONTENT, MEDIA_FOLDER)


class PathRefused(Exception):
    """A path the back end will not read or write; the message says why, in plain words."""


@dataclass(frozen=True)
class Checked:
    """A path that passed the checks: as the browser wrote it and where it is on disk."""

    rel: str
    path: Path
    area: str


def check_path(root: Path, rel: object, *, areas: tuple[str, ...] = AREAS) -> Checked:
    """``rel`` (from the browser) as a file inside one of ``areas`` of the site ``root``.

    >>> check_path(Path("/site"), "../etc/passwd")
    Traceback (most recent call last):
    ...
    cityprofiles.cms.paths.PathRefused: '../etc/passwd' is not allowed: '..' would leave the folder
    """
    if not isinstance(rel, str) or not rel:
        raise PathRefused("a path is missing")
    shown = repr(rel[:200])
    if "\x00" in rel or "\\" in rel:
        raise PathRefused(f"{shown} is not allowed: it holds a backslash or a NUL character")
    if rel.startswith("/") or (len(rel) > 1 and rel[1] == ":"):
        raise PathRefused(f"{shown} is not allowed: paths are relative to the site folder")
    parts = rel.split("/")
    if any(p == ".." for p in parts):
        raise PathRefused(f"{shown} is not allowed: '..' would leave the folder")
    if any(p in ("", ".") for p in parts):
        raise PathRefused(f"{shown} is not allowed: it has an empty or '.' part")
    if any(p.startswith(".") for p in parts):
        raise PathRefused(f"{shown} is not allowed: hidden files and folders are not edited")
    area = next((a for a in areas if rel == a or rel.startswith(a + "/")), None)
    if area is None:
        where = " and ".join(f"{a}/" for a in areas)
        raise PathRefused(f"{shown} is not allowed: the editor reads and writes only in {where}")
    base = (root / area).resolve()
    top = root.resolve()
    if top not in base.parents:
        raise PathRefused(
            f"{shown} is not allowed: {area}/ leads outside the site (a symbolic link?)"
        )
    target = root / rel
    real = _real_nearest(target)
    if real != base and base not in real.parents:
        raise PathRefused(f"{shown} is not allowed: it leads outside {area}/ (a symbolic link?)")
    return Checked(rel, target, area)


def _real_nearest(target: Path) -> Path:
    """The real path of ``target``, or of its nearest existing folder plus the missing rest."""
    missing: list[str] = []
    current = target
    while not os.path.lexists(current):
        missing.insert(0, current.name)
        if current.parent == current:
            break
        current = current.parent
    return current.resolve().joinpath(*missing)
