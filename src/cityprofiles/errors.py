"""Errors are a user interface: every problem carries a file, a position and a data path.

The CLI catches :class:`CityProfilesError` and prints the problems; no traceback
reaches an editor unless ``--debug`` is given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class ProblemParts(NamedTuple):
    """A problem as shown: ``location: text``, then the excerpt lines (source and caret)."""

    location: str
    text: str
    excerpt: list[str]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, found at a position in a file.

    Problems sort by file, then position (a problem without a line first), so a
    report reads top to bottom; ``line`` may be ``None``, hence the explicit key.
    """

    file: str
    line: int | None = None
    column: int | None = None
    path: str = ""
    message: str = ""
    severity: Severity = "error"
    code: str = "content"
    source_line: str | None = field(default=None, compare=False)

    def sort_key(self) -> tuple[str, int, int, str, str, str, str]:
        """Report order: by file, then position (problems without a line first)."""
        return (
            self.file,
            self.line or 0,
            self.column or 0,
            self.path,
            self.message,
            self.severity,
            self.code,
        )

    def __lt__(self, other: Problem) -> bool:
        return self.sort_key() < other.sort_key()

    @property
    def location(self) -> str:
        """``file:line:col`` as editors and CI understand it."""
        loc = self.file
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        return loc

    def format(self) -> str:
        """Render as ``file:line:col: [warning: ]path: message`` plus the offending line
        (``cli/report.py`` prints the same parts in colour on a terminal)."""
        parts = self.parts()
        label = "warning: " if self.severity == "warning" else ""
        return "\n".join([f"{parts.location}: {label}{parts.text}", *parts.excerpt])

    def parts(self) -> ProblemParts:
        """The pieces of :meth:`format`, control characters made visible."""
        path = f"{_printable(self.path)}: " if self.path else ""
        excerpt: list[str] = []
        if self.source_line is not None and self.source_line.strip():
            shown, caret = _excerpt(self.source_line.rstrip(), self.column)
            excerpt.append(f"    {_printable(shown)}")
            if caret is not None:
                excerpt.append("    " + " " * caret + "^")
        return ProblemParts(
            _printable(self.location), path + _printable(_clip(self.message)), excerpt
        )

    def as_json(self) -> dict[str, object]:
        """Machine-readable form used by ``check --format json``."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
            "severity": self.severity,
            "code": self.code,
        }

    def as_github(self) -> str:
        """A GitHub Actions workflow command that annotates the offending line."""
        props = [f"file={_gh_escape_property(self.file)}"]
        if self.line is not None:
            props.append(f"line={self.line}")
        if self.column is not None:
            props.append(f"col={self.column}")
        props.append(f"title={_gh_escape_property(self.code)}")
        level = "error" if self.severity == "error" else "warning"
        path = f"{self.path}: " if self.path else ""
        return f"::{level} {','.join(props)}::{_gh_escape_data(path + self.message)}"


EXCERPT_WIDTH = 100
MESSAGE_WIDTH = 400
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _printable(text: str) -> str:
    """Show control characters as ``\\x1b`` so a hostile file name or value cannot drive
    the terminal (escape sequences) or fake extra report lines."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text).replace("\n", "\\n")


def _clip(message: str) -> str:
    """A message quoting a huge value stays readable."""
    if len(message) <= MESSAGE_WIDTH:
        return message
    return message[: MESSAGE_WIDTH - 1] + "…"


def _excerpt(line: str, column: int | None) -> tuple[str, int | None]:
    """At most ``EXCERPT_WIDTH`` characters of a source line around ``column``, and the caret
    offset in it: a minified or hostile file must not flood the terminal."""
    line = line.expandtabs(1) if "\t" in line else line
    caret = None if column is None else column - 1
    if len(line) <= EXCERPT_WIDTH:
        return line, caret
    start = (
        0 if caret is None else max(0, min(caret - EXCERPT_WIDTH // 2, len(line) - EXCERPT_WIDTH))
    )
    piece = line[start : start + EXCERPT_WIDTH]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + EXCERPT_WIDTH < len(line) else ""
    shown_caret = None if caret is None else caret - start + len(prefix)
    return prefix + piece + suffix, shown_caret


def _gh_escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_escape_property(text: str) -> str:
    return _gh_escape_data(text).replace(":", "%3A").replace(",", "%2C")


class CityProfilesError(Exception):
    """Base class of every error the CLI reports without a traceback."""

    exit_code = 1


class ContentError(CityProfilesError):
    """The content (or configuration, templates, catalogues) has problems."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(summarize(self.problems))


class UsageError(CityProfilesError):
    """The command line asks for something that cannot be done (exit code 2)."""

    exit_code = 2


class BuildError(CityProfilesError):
    """The build could not be written (disk, permissions); nothing was changed."""


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """A number with its noun in the right form, for every message that counts.

    >>> counted(1, "warning"), counted(3, "warning"), counted(0, "city", "cities")
    ('1 warning', '3 warnings', '0 cities')
    """
    noun = singular if number == 1 else (plural or singular + "s")
    return f"{number} {noun}"


def summarize(problems: Iterable[Problem]) -> str:
    """``3 errors, 1 warning in 2 files`` — the closing line of a report."""
    items = list(problems)
    errors = sum(1 for p in items if p.severity == "error")
    warnings = len(items) - errors
    parts = []
    if errors:
        parts.append(counted(errors, "error"))
    if warnings:
        parts.append(counted(warnings, "warning"))
    if not parts:
        return "no problems"
    return f"{', '.join(parts)} in {counted(len({p.file for p in items}), 'file')}"


def problems_as_json(problems: Sequence[Problem]) -> str:
    """The whole report for ``check --format json``; stable key order for diffing."""
    return json.dumps(
        {
            "problems": [p.as_json() for p in problems],
            "errors": sum(1 for p in problems if p.severity == "error"),
            "warnings": sum(1 for p in problems if p.severity == "warning"),
        },
        indent=2,
        ensure_ascii=False,
    )
