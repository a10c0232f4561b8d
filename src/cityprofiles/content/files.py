"""Reading content files safely: text, positions, and paths that cannot leave the site.

Every file is untrusted: a file that is too large, not UTF-8, not a regular file or a
link out of the project is refused with a positioned problem instead of read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cityprofiles.errors import ContentError, Problem, UsageError

DEFAULT_MAX_BYTES = 1_000_000


def require_site(root: Path) -> None:
    """Refuse a folder that is not a site (no ``content/``) before doing anything in it."""
    if not (root / "content").is_dir():
        raise UsageError(
            f"{root} has no content/ folder; run this in a cityprofiles site or pass --site DIR"
        )


@dataclass(frozen=True)
class Mark:
    """A 1-based position in a source file."""

    line: int
    column: int


@dataclass
class SourceText:
    """The decoded text of one file, with its path as the user should see it."""

    file: str
    text: str
    _lines: list[str] | None = field(default=None, repr=False, compare=False)

    def line(self, number: int) -> str | None:
        """The source line ``number`` (1-based), for error excerpts."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        if 1 <= number <= len(self._lines):
            return self._lines[number - 1]
        return None

    def problem(self, mark: Mark | None, message: str, *, path: str = "", **kw: Any) -> Problem:
        """A problem at ``mark`` in this file, with the offending line attached."""
        if mark is None:
            return Problem(self.file, path=path, message=message, **kw)
        return Problem(
            self.file,
            mark.line,
            mark.column,
            path=path,
            message=message,
            source_line=self.line(mark.line),
            **kw,
        )


def display_path(path: Path, root: Path) -> str:
    """A path as the editor knows it: relative to the project, with forward slashes."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_text(path: Path, root: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read a UTF-8 file (a BOM is accepted), refusing unreadable, huge or non-UTF-8 files."""
    shown = display_path(path, root)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):  # a pipe or device would block or never end
            raise ContentError(
                [Problem(shown, message="this is not a regular file", code="unreadable")]
            )
        size = info.st_size
        if size > max_bytes:
            raise ContentError(
                [
                    Problem(
                        shown,
                        message=f"file is too large ({size:,} bytes); the limit is "
                        f"{max_bytes:,} bytes: content files are text, not media (put "
                        "pictures and documents elsewhere; max_file_kb in content/site.yaml "
                        "raises the limit)",
                        code="file-too-large",
                    )
                ]
            )
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except PermissionError:
        raise ContentError(
            [Problem(shown, message="cannot read this file: permission denied", code="unreadable")]
        ) from None
    except IsADirectoryError:
        raise ContentError(
            [Problem(shown, message="expected a file but found a folder", code="unreadable")]
        ) from None
    except OSError as exc:
        raise ContentError(
            [Problem(shown, message=f"cannot read this file: {exc.strerror}", code="unreadable")]
        ) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise ContentError(
            [
                Problem(
                    shown,
                    line,
                    column,
                    message=f"this file is not UTF-8 text: byte 0x{raw[exc.start]:02X} cannot be "
                    "decoded (save the file as UTF-8; Word and old editors often use Windows-1252)",
                    code="encoding",
                )
            ]
        ) from None
    return SourceText(shown, text.replace("\r\n", "\n").replace("\r", "\n"))


def iter_files(
    folder: Path,
    root: Path,
    problems: list[Problem] | None = None,
    resolved_root: Path | None = None,
) -> Iterator[Path]:
    """Entries directly in ``folder`` in a stable order, skipping hidden ones.

    A link that leaves ``root`` is refused: reported in ``problems`` and skipped (or
    raised when no list is given), so one bad link does not hide the rest.
    """
    if not folder.is_dir():
        return
    if resolved_root is None:
        resolved_root = root.resolve()
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        try:
            ensure_inside(entry, resolved_root, root)
        except ContentError as exc:
            if problems is None:
                raise
            problems.extend(exc.problems)
            continue
        yield entry


def ensure_inside(path: Path, resolved_root: Path, root: Path) -> None:
    """Refuse a path (typically a symlink) that resolves outside the project."""
    try:
        target = path.resolve()
    except OSError:
        target = Path(os.path.realpath(path))
    if target != resolved_root and resolved_root not in target.parents:
        raise ContentError(
            [
                Problem(
                    display_path(path, root),
                    message="this link points outside the project; content must live inside it",
                    code="unsafe-path",
                )
            ]
        )


LINKED_FOLDERS = ("templates", "static", "locales")


def check_links(root: Path, folders: tuple[str, ...] = LINKED_FOLDERS) -> list[Problem]:
    """Links under the site's own folders that lead outside the project.

    Templates, static files and catalogues are read or copied into the output as they
    are, so a link such as ``static/key -> ~/.ssh/id_rsa`` in a pull request would
    publish that file. Every entry is checked, following links that stay inside.
    """
    resolved_root = root.resolve()
    problems: list[Problem] = []
    seen: set[Path] = set()
    for name in folders:
        top = root / name
        if not top.is_dir() and not top.is_symlink():
            continue
        pending = [top]
        while pending:
            entry = pending.pop()
            try:
                ensure_inside(entry, resolved_root, root)
            except ContentError as exc:
                problems.extend(exc.problems)
                continue
            real = entry.resolve()
            if not entry.is_dir() or real in seen:
                continue
            seen.add(real)
            try:
                pending.extend(sorted(entry.iterdir(), reverse=True))
            except OSError as exc:
                problems.append(
                    Problem(
                        display_path(entry, root),
                        message=f"cannot read this folder: {exc.strerror}",
                        code="unreadable",
                    )
                )
    return problems
