"""The search index's cache: plain JSON, one file per output folder.

It remembers, for the last build into an output folder:

* per indexed page: the size, mtime and inode of the page file when its indexed text
  was hashed, that hash, and its name (what the names part indexes of it: its language
  and title); an unchanged file is not read again;
* per part of the index: the key it was made from (:func:`part_key`: the hashes of its
  pages' indexed text and how Pagefind was run), its files in the output folder with
  one stamp of their sizes and mtimes, and what Pagefind warned.

A part whose key and stamp still match is carried over as it is: its files are already
in the output folder. Data only, no code (no pickle): a file that cannot be read, is
not JSON, or has another shape or format number is ignored as if there were none, and
the whole index is made again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = 2
"""Bumped when the meaning of a field changes: an older file is then ignored."""

PageStat = tuple[int, int, int]
"""(size, mtime_ns, inode) of a page file."""


def digest(*parts: str) -> str:
    """A short, stable hash of strings (NUL-separated)."""
    return hashlib.blake2b("\0".join(parts).encode("utf-8"), digest_size=16).hexdigest()


def search_cache_path(root: Path, out: Path) -> Path:
    """``SITE/.cache/cityprofiles/search-<hash of the output folder>.json``."""
    name = f"search-{digest(str(out.absolute()))}.json"
    return root / ".cache" / "cityprofiles" / name


@dataclass(frozen=True)
class PartRecord:
    """One part as it was made: its key, its files (relative to the part's folder), a
    stamp of those files as written, and Pagefind's warnings for it."""

    key: str
    files: tuple[str, ...]
    stamp: str
    warnings: tuple[str, ...] = ()


def stamp(out: Path, folder: str, files: tuple[str, ...]) -> str | None:
    """One hash of the size and mtime of each file of ``out/folder``; ``None`` if one is
    missing."""
    base = str(out) + os.sep + folder
    parts: list[str] = []
    for rel in files:
        try:
            st = os.stat(base + rel)
        except OSError:
            return None
        parts.append(f"{rel}:{st.st_size}:{st.st_mtime_ns}")
    return digest(*parts)


@dataclass
class SearchCache:
    """What the last build's search index was made from (see the module docstring)."""

    pages: dict[str, tuple[PageStat, str, str]] = field(default_factory=dict)
    """Per page: its file's stat, the hash of its indexed text and its name."""
    parts: dict[str, PartRecord] = field(default_factory=dict)
    pending: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    """Parts made by this build, recorded by :meth:`commit` once their files are written."""

    def reusable(self, folder: str, key: str, out: Path | None) -> PartRecord | None:
        """The record of ``folder`` if it was made from ``key`` and its files in ``out``
        are as they were written."""
        record = self.parts.get(folder)
        if record is None or record.key != key or out is None:
            return None
        return record if stamp(out, folder, record.files) == record.stamp else None

    def commit(self, out: Path, folders: set[str]) -> None:
        """Record the parts made by this build (their files are now in ``out``) and forget
        parts no longer made (``folders``: this build's parts)."""
        for folder, (key, files, warnings) in self.pending.items():
            now = stamp(out, folder, files)
            if now is None:
                self.parts.pop(folder, None)
            else:
                self.parts[folder] = PartRecord(key, files, now, warnings)
        self.pending.clear()
        self.parts = {f: r for f, r in sorted(self.parts.items()) if f in folders}

    def forget_pages_except(self, pages: set[str]) -> None:
        """Drop pages no longer indexed (removed cities), so the file does not grow."""
        self.pages = {rel: v for rel, v in self.pages.items() if rel in pages}

    # -- as a file ----------------------------------------------------------------
    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "pages": {rel: [*st, h, n] for rel, (st, h, n) in sorted(self.pages.items())},
            "parts": {
                folder: {
                    "key": r.key,
                    "files": list(r.files),
                    "stamp": r.stamp,
                    "warnings": list(r.warnings),
                }
                for folder, r in sorted(self.parts.items())
            },
        }

    def save(self, path: Path) -> None:
        """Write atomically; a failure only costs the next build its reuse."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".search-", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(self.as_json(), handle, separators=(",", ":"))
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(tmp)

    @classmethod
    def load(cls, path: Path) -> SearchCache:
        """The saved cache, or an empty one if the file is missing or not exactly ours."""
        try:
            data = json.loads(path.read_bytes())
            return cls.from_json(data)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return cls()

    @classmethod
    def from_json(cls, data: Any) -> SearchCache:
        """Read what :meth:`as_json` wrote; raise ``ValueError`` on anything else.

        >>> SearchCache.from_json({"format": FORMAT, "pages": {}, "parts": {}})
        SearchCache(pages={}, parts={}, pending={})
        >>> SearchCache.from_json({"format": FORMAT, "pages": {"a": [1, 2, "x", "h", ""]}, "parts": {}})
        Traceback (most recent call last):
        ValueError: not a search cache
        """
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a search cache")
        pages: dict[str, tuple[PageStat, str, str]] = {}
        for rel, entry in _dict(data["pages"]).items():
            if not (isinstance(entry, list) and len(entry) == 5):
                raise ValueError("not a search cache")
            size, mtime, inode, hashed, name = entry
            if not (_ints(size, mtime, inode) and _strs(hashed, name)):
                raise ValueError("not a search cache")
            pages[rel] = ((size, mtime, inode), hashed, name)
        parts: dict[str, PartRecord] = {}
        for folder, entry in _dict(data["parts"]).items():
            record = _dict(entry)
            key, stamp_, files, warnings = (
                record["key"],
                record["stamp"],
                record["files"],
                record["warnings"],
            )
            if not (_strs(key, stamp_) and _str_list(files) and _str_list(warnings)):
                raise ValueError("not a search cache")
            parts[folder] = PartRecord(key, tuple(files), stamp_, tuple(warnings))
        return cls(pages, parts)


def _dict(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ValueError("not a search cache")
    return value


def _ints(*values: Any) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def _strs(*values: Any) -> bool:
    return all(isinstance(v, str) for v in values)


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)
