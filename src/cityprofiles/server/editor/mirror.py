"""The site as a save would leave it, on disk, for ``check`` to read: hard links of the
site's inputs in a scratch folder inside the site (``.cache/cityprofiles/``, so hard
links work and nothing is copied), with the saved files in place of the old ones.

The folder is kept while the editor runs and brought in step with the site before each
check: only the files whose hash changed, and those the last save put there, are linked
again (at 1 000 cities, 3 000 links made once instead of for every save; making them
also changes every file's ctime, which would make the next scan read every file again).
It is removed when the editor stops (or the process ends).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from collections.abc import Mapping
from pathlib import Path

INPUT_FOLDERS = ("content", "templates", "static", "locales")
"""What ``check`` reads of a site (the theme and catalogues overrides, and the content)."""
SCRATCH = ".cache/cityprofiles"


class Mirror:
    """A scratch copy of ``root``'s inputs (by hard links), kept in step with it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path: Path | None = None
        self._linked: dict[str, str] = {}
        """Each input mirrored, with its hash when it was linked."""
        self._changed: set[str] = set()
        """The files the last :meth:`update` wrote instead of linking."""
        self._cleanup: weakref.finalize[[Path, bool], Mirror] | None = None

    def update(self, inputs: Mapping[str, str], changes: Mapping[str, bytes | None]) -> Path:
        """The folder with the site's files as ``inputs`` hashed them and ``changes``
        applied (``None``: deleted)."""
        if self.path is None:
            parent = self.root / SCRATCH
            parent.mkdir(parents=True, exist_ok=True)
            self.path = Path(tempfile.mkdtemp(prefix="cms-check-", dir=parent))
            self._cleanup = weakref.finalize(self, shutil.rmtree, self.path, True)
            _mirror(self.root, self.path)
        else:
            stale = set(self._changed)
            stale.update(rel for rel, h in inputs.items() if self._linked.get(rel) != h)
            stale.update(rel for rel in self._linked if rel not in inputs)
            for rel in sorted(stale, key=lambda r: (r.endswith("/"), r)):  # files first
                self._sync(rel)
        self._linked = dict(inputs)
        for rel, data in changes.items():
            target = self.path / rel
            if target.exists() or target.is_symlink():
                target.unlink()  # a hard link: replace it, never write through it
            if data is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        self._changed = set(changes)
        return self.path

    def close(self) -> None:
        """Remove the folder."""
        if self._cleanup is not None:
            self._cleanup()
        self.path, self._linked, self._changed = None, {}, set()

    def _sync(self, rel: str) -> None:
        """Make ``rel`` in the mirror what it is in the site (linked, or gone)."""
        assert self.path is not None
        source, target = self.root / rel, self.path / rel
        if rel.endswith("/"):  # a city folder, which may be empty
            if source.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            else:
                self._prune(target)
            return
        if target.exists() or target.is_symlink():
            target.unlink()
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(source, target)
        else:
            self._prune(target.parent)

    def _prune(self, folder: Path) -> None:
        """Remove ``folder`` and the empty folders above it that the site does not have."""
        assert self.path is not None
        while folder != self.path and self.path in folder.parents:
            if folder.is_dir():
                if (self.root / folder.relative_to(self.path)).is_dir() or any(folder.iterdir()):
                    return
                folder.rmdir()
            folder = folder.parent


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
