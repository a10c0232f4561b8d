"""Stage 1, load: files on disk -> plain data with the source position of every value.

Every file is treated as untrusted. YAML is read from the parser's event stream
(never through a constructor that can build Python objects), so this module can
reject duplicate keys, unknown tags, alias bombs and absurd nesting *before*
anything is built, and remember where each value came from. Positions are
1-based ``(line, column)`` pairs keyed by data path, so later stages can say
``city.yaml:14:7: networks[2].since: …``.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.error import MarkedYAMLError
from yaml.reader import ReaderError

from cityprofiles.errors import ContentError, Problem

DataPath = tuple[str | int, ...]

DEFAULT_MAX_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_NODES = 20_000  # a large city.yaml holds about 500 values

# Plain scalars are typed by the YAML 1.2 core schema, not PyYAML's YAML 1.1 rules:
# ``country: NO`` stays the text "NO" (not false), ``time: 1:20`` is not 80 and
# ``zip: 0123`` is not an octal number. Dates are kept because content needs them.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_BASE = re.compile(r"^(?:0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_TIMESTAMP = re.compile(
    r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$"
)
_STR_TAG = "tag:yaml.org,2002:str"
_KIND_WORDS = {
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true or false",
    "tag:yaml.org,2002:null": "an empty value",
    "tag:yaml.org,2002:timestamp": "a date",
}
_SCALAR_TAGS = {
    _STR_TAG,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def package_data(name: str) -> Any:
    """A YAML file shipped in the package (``data/sdgs.yaml``): our own, so read with
    libyaml's safe loader as it is (20x faster than pure Python), without positions."""
    text = resources.files("cityprofiles").joinpath(name).read_text("utf-8")
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader


_constructor = SafeConstructor()


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


@dataclass
class YamlDocument:
    """Data read from one YAML file, with the positions of its keys and values."""

    source: SourceText
    data: Any
    value_marks: dict[DataPath, Mark] = field(default_factory=dict)
    key_marks: dict[DataPath, Mark] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return self.source.file

    def mark(self, path: DataPath, *, prefer_key: bool = False) -> Mark | None:
        """The position of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            sub = path[:end]
            if prefer_key and sub in self.key_marks:
                return self.key_marks[sub]
            if sub in self.value_marks:
                return self.value_marks[sub]
        return None


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
                        f"{max_bytes:,} bytes (content files are text, not media)",
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


def load_yaml(path: Path, root: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> YamlDocument:
    """Read one YAML file into plain data plus positions, or raise :class:`ContentError`."""
    return parse_yaml(read_text(path, root, max_bytes=max_bytes))


def parse_yaml(source: SourceText) -> YamlDocument:
    """Parse YAML text safely into a :class:`YamlDocument`."""
    too_deep = _flow_too_deep(source.text)
    if too_deep is not None:
        # Parse only up to the bracket too many, so our own depth check speaks first
        # (at the position of the value that is one level too deep), not libyaml's.
        problem = source.problem(
            too_deep[0], f"the data is nested more than {MAX_DEPTH} levels deep", code="too-deep"
        )
        try:
            _Builder(source).build(source.text[: too_deep[1] + 1])
        except ContentError as exc:
            if exc.problems[0].code == "too-deep":
                problem = exc.problems[0]
        except (MarkedYAMLError, ReaderError):
            pass
        raise ContentError([problem])
    try:
        return _Builder(source).build()
    except MarkedYAMLError as exc:
        raise ContentError([_syntax_problem(source, exc)]) from None
    except ReaderError as exc:
        before = source.text[: exc.position]
        line = before.count("\n") + 1
        column = exc.position - (before.rfind("\n") + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise ContentError(
            [
                source.problem(
                    Mark(line, column),
                    f"the file contains a control character (U+{ord(char):04X}) that YAML does "
                    "not allow; delete it (it often comes from copy-paste)",
                    code="yaml-syntax",
                )
            ]
        ) from None


def _flow_too_deep(text: str) -> tuple[Mark, int] | None:
    """Where ``[``/``{`` brackets first nest deeper than :data:`MAX_DEPTH` (position, index).

    The builder refuses deep nesting too, but libyaml scans a flow collection ahead
    of the events it hands out and stops at its own limit (1 000 levels from PyYAML
    6.0.4 on) with its own wording first. This scan runs before the parser, so the
    limit and the message are ours whatever the PyYAML release. A bracket counts only
    where a value can start (at the start of a line, after ``: ``, ``- ``, ``? ``, or
    inside brackets after ``,`` or another bracket); quoted text and comments are
    skipped, so ``name: Foo [[1]]`` is text.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    line, line_start = 1, 0
    previous, gap = "\n", False  # the last character that was not a space; a space since?
    quote = ""
    index, end = 0, len(text)
    while index < end:
        char = text[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1
            elif char == quote and not (quote == "'" and text.startswith("'", index + 1)):
                quote, previous, gap = "", char, False
            elif char == quote:
                index += 1  # '' inside single quotes
            elif char == "\n":
                line, line_start = line + 1, index + 1
            index += 1
            continue
        if char in " \t":
            gap = True
            index += 1
            continue
        if char == "\n":
            line, line_start, previous, gap = line + 1, index + 1, char, False
            index += 1
            continue
        if char == "#" and (gap or previous == "\n"):
            newline = text.find("\n", index)
            index = end if newline < 0 else newline
            continue
        starts_value = (
            previous == "\n" or (previous in ":-?" and gap) or (depth > 0 and previous in ",[{")
        )
        if char in "'\"" and starts_value:
            quote = char
        elif char in "[{" and starts_value:
            depth += 1
            if depth > MAX_DEPTH:
                return Mark(line, index - line_start + 1), index
        elif char in "]}" and depth:
            depth -= 1
        previous, gap = char, False
        index += 1
    return None


# libyaml (CSafeLoader) and pure-Python PyYAML word their errors differently; each
# entry matches both and says in plain language what an editor should change.
_SYNTAX_MESSAGES = (
    (
        "mapping values are not allowed",
        "unexpected ':'; put a value that contains ': ' in "
        "quotes, or check that this line is not indented further than the one above",
    ),
    (
        "could not find expected ':'",
        "this line has no ':' after its key (or a quote on an earlier line is not closed)",
    ),
    (
        "found unexpected end of stream",
        "the file ends in the middle of a value; is a quote or bracket not closed?",
    ),
    (
        "',' or ']'",
        "expected ',' or ']' here; put a value that contains ':', ',' or brackets in quotes",
    ),
    (
        "',' or '}'",
        "expected ',' or '}' here; put a value that contains ':', ',' or braces in quotes",
    ),
    (
        "block scalar",
        "'|' or '>' starts a block of text and must end its line; put a value "
        "that starts with '|' or '>' in quotes",
    ),
    (
        "hexdecimal number",
        "unknown escape with '\\' in a double-quoted value; use single quotes, "
        "or write '\\\\' for a backslash",
    ),
    (
        "escape",
        "unknown escape with '\\' in a double-quoted value; use single quotes, "
        "or write '\\\\' for a backslash",
    ),
    ("violates indentation", "a tab is used for indentation; YAML allows only spaces"),
    ("document start", "unexpected text after the end of the document; remove it"),
    ("mapping keys are not allowed", "unexpected '?'; put a value that starts with '?' in quotes"),
    ("did not find expected key", "the indentation of this line does not match the lines above"),
    (
        "expected <block end>, but found '<block mapping",
        "the indentation of this line does not match the lines above",
    ),
    (
        "did not find expected '-' indicator",
        "a list item is not indented like the ones above, "
        "or a list and a mapping are mixed at the same level",
    ),
    (
        "expected <block end>",
        "a list item is not indented like the ones above, "
        "or a list and a mapping are mixed at the same level",
    ),
    ("directive", "a line starting with '%' is not a valid YAML directive; remove it"),
    (
        "did not find expected node content",
        "a value is missing here; is a bracket not closed, or a ',' doubled?",
    ),
    (
        "expected the node content",
        "a value is missing here; is a bracket not closed, or a ',' doubled?",
    ),
    (
        "entries are not allowed",
        "a list item ('- ') must start on its own line, indented under its key",
    ),
    ("alias", "'*' must be followed by a name; put a value that starts with '*' in quotes"),
    ("anchor", "'&' must be followed by a name; put a value that starts with '&' in quotes"),
    ("tag", "'!' starts a YAML tag; put a value that starts with '!' in quotes"),
)


def _syntax_problem(source: SourceText, exc: MarkedYAMLError) -> Problem:
    context = exc.context or ""
    mark: Any
    unclosed = next((msg for key, msg in _UNCLOSED if key in context), None)
    problem_mark = exc.problem_mark
    # An opening bracket or quote whose error shows up at the end of the file or on a
    # later line was most likely never closed: point at where it was opened.
    at_end = (
        problem_mark is None
        or exc.context_mark is None
        or problem_mark.line != exc.context_mark.line
        or not _rest(source, problem_mark).strip()
    )
    if "escape" in (exc.problem or "") or "hexdecimal" in (exc.problem or ""):
        unclosed = None  # a closed quote with a bad escape inside
    if unclosed is not None and exc.context_mark is not None and at_end:
        # Point at where the unclosed bracket or quote began, not at the end of the file.
        mark = exc.context_mark
        message = unclosed
    else:
        mark = exc.problem_mark or exc.context_mark
        raw = " ".join(p for p in (exc.context, exc.problem) if p)
        char = _char_at(source, mark)
        if "cannot start any token" in raw:
            message = (
                "a tab is used for indentation; YAML allows only spaces"
                if char == "\t"
                else f"a value cannot start with {char!r}; put the value in quotes"
            )
        else:
            message = next((m for key, m in _SYNTAX_MESSAGES if key in raw), raw)
    position = Mark(mark.line + 1, mark.column + 1) if mark is not None else None
    return source.problem(position, f"YAML syntax error: {message}", code="yaml-syntax")


def _rest(source: SourceText, mark: Any) -> str:
    """The text from an error mark to the end (line/column, since libyaml counts bytes)."""
    lines = source.text.split("\n")
    line: int = mark.line
    column: int = mark.column
    if line >= len(lines):
        return ""
    return lines[line][column:] + "\n" + "\n".join(lines[line + 1 :])


def _char_at(source: SourceText, mark: Any) -> str:
    """The character an error mark points at (libyaml does not name it)."""
    if mark is None:
        return "?"
    line = source.line(mark.line + 1) or ""
    return line[mark.column] if 0 <= mark.column < len(line) else "?"


_UNCLOSED = (
    ("flow sequence", "the list opened with '[' here is never closed with ']'"),
    ("flow mapping", "the mapping opened with '{' here is never closed with '}'"),
    ("quoted scalar", "the quote opened here is never closed"),
)


def _mark(event: Any) -> Mark:
    """The 1-based start position of a YAML event."""
    start = event.start_mark
    if start is None:
        return Mark(1, 1)
    return Mark(start.line + 1, start.column + 1)


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: DataPath
    anchor: str | None
    start_nodes: int
    key: str | None = None


class _Builder:
    """Turns the YAML event stream into data, iteratively (no recursion to blow up)."""

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.doc = YamlDocument(source, None)
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.nodes = 0
        self.documents = 0

    def fail(self, event: Any, message: str, code: str = "yaml-structure") -> ContentError:
        return ContentError([self.source.problem(_mark(event), message, code=code)])

    def build(self, text: str | None = None) -> YamlDocument:
        """Build the document from the source's text (or from ``text``, a prefix of it)."""
        stack: list[_Frame] = []
        root: list[Any] = []
        for event in yaml.parse(self.source.text if text is None else text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    raise self.fail(
                        event, "a content file holds one YAML document; remove the '---' line"
                    )
                continue
            if isinstance(
                event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)
            ):
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (frame.container, self.nodes - frame.start_nodes)
                continue
            # A value (scalar, alias or the start of a collection): where does it go?
            parent = stack[-1] if stack else None
            if parent is not None and isinstance(parent.container, dict) and parent.key is None:
                parent.key = self.take_key(event, parent)
                continue
            path = self.child_path(parent)
            mark = _mark(event)
            self.count(event, 1)
            if isinstance(event, yaml.AliasEvent):
                if event.anchor not in self.anchors:
                    raise self.fail(event, f"unknown alias '*{event.anchor}'")
                value, size = self.anchors[event.anchor]
                self.count(event, size)
            elif isinstance(event, yaml.ScalarEvent):
                value = self.scalar(event)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if event.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
                    raise self.fail(event, f"unsupported YAML tag '{event.tag}'")
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(
                        event, f"the data is nested more than {MAX_DEPTH} levels deep", "too-deep"
                    )
                value = {} if isinstance(event, yaml.MappingStartEvent) else []
                stack.append(_Frame(value, path, event.anchor, self.nodes))
            else:  # pragma: no cover - PyYAML has no other value events
                raise self.fail(event, f"unexpected YAML event {type(event).__name__}")
            self.doc.value_marks.setdefault(path, mark)
            self.attach(parent, value, root)
        self.doc.data = root[0] if root else None
        return self.doc

    def count(self, event: Any, amount: int) -> None:
        self.nodes += amount
        if self.nodes > MAX_NODES:
            raise self.fail(
                event,
                f"the file expands to more than {MAX_NODES:,} values (aliases that repeat "
                "other aliases?); content files must be small",
                "too-large",
            )

    def take_key(self, event: Any, parent: _Frame) -> str:
        if not isinstance(event, yaml.ScalarEvent):
            raise self.fail(event, "a key must be plain text, not a list, mapping or alias")
        key = str(event.value)
        assert isinstance(parent.container, dict)
        key_path: DataPath = (*parent.path, key)
        if key in parent.container:
            first = self.doc.key_marks.get(key_path)
            where = f" (first at line {first.line})" if first else ""
            raise self.fail(
                event, f"duplicate key '{key}'{where}; each key may appear once", "duplicate-key"
            )
        self.doc.key_marks[key_path] = _mark(event)
        return key

    @staticmethod
    def child_path(parent: _Frame | None) -> DataPath:
        if parent is None:
            return ()
        if isinstance(parent.container, dict):
            assert parent.key is not None
            return (*parent.path, parent.key)
        return (*parent.path, len(parent.container))

    @staticmethod
    def attach(parent: _Frame | None, value: Any, root: list[Any]) -> None:
        if parent is None:
            root.append(value)
        elif isinstance(parent.container, dict):
            assert parent.key is not None
            parent.container[parent.key] = value
            parent.key = None
        else:
            parent.container.append(value)

    def scalar(self, event: Any) -> Any:
        """A scalar typed by the YAML 1.2 core schema (plain) or its explicit standard tag."""
        value: str = event.value
        tag = event.tag
        if tag in (None, "!"):
            if not event.implicit[0]:  # quoted: always text
                return value
            tag = _resolve(value)
        if tag == _STR_TAG:
            return value  # the common case, without the constructor's overhead
        if tag not in _SCALAR_TAGS:
            raise self.fail(event, f"unsupported YAML tag '{tag}'")
        try:
            return _construct(tag, value, event)
        except (ConstructorError, ValueError, OverflowError):
            if tag == "tag:yaml.org,2002:timestamp" and event.tag in (None, "!"):
                # Looks like a date but is not one (2026-13-45): keep the text so the
                # model can say which field expects a date.
                return value
            shown = value if len(value) <= 40 else value[:39] + "…"
            raise self.fail(event, f"'{shown}' cannot be read as {_KIND_WORDS[tag]}") from None


def _resolve(value: str) -> str:
    """The tag of a plain scalar under the YAML 1.2 core schema (plus dates)."""
    if _NULL.match(value):
        return "tag:yaml.org,2002:null"
    if value in _BOOL:
        return "tag:yaml.org,2002:bool"
    if _INT.match(value) or _INT_BASE.match(value):
        return "tag:yaml.org,2002:int"
    if _FLOAT.match(value):
        return "tag:yaml.org,2002:float"
    if _TIMESTAMP.match(value):
        return "tag:yaml.org,2002:timestamp"
    return _STR_TAG


def _construct(tag: str, value: str, event: Any) -> Any:
    kind = tag.rsplit(":", 1)[-1]
    if kind == "str":
        return value
    if kind == "null":
        if not _NULL.match(value):
            raise ValueError(value)
        return None
    if kind == "bool":
        if value not in _BOOL:
            raise ValueError(value)
        return _BOOL[value]
    if kind == "int":
        if _INT_BASE.match(value):
            return int(value, 0)
        if len(value) > 40:  # Python refuses huge int parsing anyway; say so plainly
            raise ValueError(value)
        return int(value, 10)
    if kind == "float":
        if not _FLOAT.match(value):
            raise ValueError(value)
        return float(value)
    node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
    return _constructor.construct_yaml_timestamp(node)


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


@dataclass
class CitySource:
    """The files of one city folder, as loaded."""

    id: str
    folder: str
    document: YamlDocument | None
    prose: dict[tuple[str, str], SourceText] = field(default_factory=dict)


@dataclass
class Sources:
    """Everything under ``content/``, loaded but not yet validated."""

    root: Path
    content: Path
    site: YamlDocument | None
    networks: YamlDocument | None
    accessibility: YamlDocument | None
    pages: dict[tuple[str, str], SourceText]
    cities: list[CitySource]
    sdgs: YamlDocument | None = None
    """``content/sdgs.yaml``, the site's wording of the Goals (optional)."""


def split_prose_name(name: str) -> tuple[str, str] | None:
    """``narrative.nl.md`` -> ``("narrative", "nl")``; ``None`` when not ``<name>.<lang>.md``.

    >>> split_prose_name("narrative.nl.md"), split_prose_name("notes.md")
    (('narrative', 'nl'), None)
    """
    parts = name.split(".")
    if len(parts) != 3 or parts[2] != "md":
        return None
    return parts[0], parts[1]


class _Collector:
    """Loads files one by one, keeping every problem instead of stopping at the first."""

    def __init__(self, root: Path, max_bytes: int, resolved_root: Path | None = None) -> None:
        self.root = root
        # Resolved once: every file is checked against it (thousands of files per build).
        self.resolved_root = root.resolve() if resolved_root is None else resolved_root
        self.max_bytes = max_bytes
        self.problems: list[Problem] = []

    def yaml(self, path: Path, *, required: bool) -> YamlDocument | None:
        if not path.exists() and not path.is_symlink():
            if required:
                self.problems.append(
                    Problem(
                        display_path(path, self.root),
                        message="this file is missing",
                        code="missing-file",
                    )
                )
            return None
        try:
            ensure_inside(path, self.resolved_root, self.root)
            doc = load_yaml(path, self.root, max_bytes=self.max_bytes)
        except ContentError as exc:
            self.problems.extend(exc.problems)
            return None
        if doc.data is None:
            self.problems.append(
                Problem(doc.file, 1, 1, message="this file is empty", code="empty-file")
            )
            return None
        return doc

    def text(self, path: Path) -> SourceText | None:
        try:
            return read_text(path, self.root, max_bytes=self.max_bytes)
        except ContentError as exc:
            self.problems.extend(exc.problems)
            return None


def load_sources(
    root: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, only_cities: Collection[str] | None = None
) -> tuple[Sources, list[Problem]]:
    """Load every content file under ``root/content``; return the data and all load problems.

    With ``only_cities``, only those city folders are read and ``content/cities/`` is not
    listed: an incremental build reuses what it validated before for the others.
    """
    content = root / "content"
    collect = _Collector(root, max_bytes)
    site = collect.yaml(content / "site.yaml", required=True)
    networks = collect.yaml(content / "networks.yaml", required=True)
    accessibility = collect.yaml(content / "accessibility.yaml", required=True)
    sdgs = collect.yaml(content / "sdgs.yaml", required=False)
    pages: dict[tuple[str, str], SourceText] = {}
    cities: list[CitySource] = []
    try:
        for path in iter_files(content / "pages", root, collect.problems, collect.resolved_root):
            split = split_prose_name(path.name)
            if split is None or not path.is_file():
                collect.problems.append(
                    Problem(
                        display_path(path, root),
                        message="unexpected file; pages are Markdown files named <page>.<language>.md",
                        code="unexpected-file",
                    )
                )
                continue
            text = collect.text(path)
            if text is not None:
                pages[split] = text
        folders: Iterable[Path] = iter_files(
            content / "cities", root, collect.problems, collect.resolved_root
        )
        if only_cities is not None:
            folders = [content / "cities" / name for name in sorted(only_cities)]
            for folder in folders:
                ensure_inside(folder, collect.resolved_root, root)
        for folder in folders:
            if not folder.is_dir():
                collect.problems.append(
                    Problem(
                        display_path(folder, root),
                        message="unexpected file; each city is a folder content/cities/<slug>/",
                        code="unexpected-file",
                    )
                )
                continue
            cities.append(_load_city(folder, root, collect))
    except ContentError as exc:
        collect.problems.extend(exc.problems)
    collect.problems.extend(check_links(root))
    sources = Sources(root, content, site, networks, accessibility, pages, cities, sdgs)
    return sources, collect.problems


def load_city(
    root: Path,
    name: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    resolved_root: Path | None = None,
) -> tuple[CitySource, list[Problem]]:
    """One city folder as :func:`load_sources` reads it, with its problems (for parallel builds).

    ``resolved_root``: ``root.resolve()``, when the caller loads many cities of one root."""
    collect = _Collector(root, max_bytes, resolved_root)
    folder = root / "content" / "cities" / name
    try:
        ensure_inside(folder, collect.resolved_root, root)
        return _load_city(folder, root, collect), collect.problems
    except ContentError as exc:
        return CitySource(name, display_path(folder, root), None), [
            *collect.problems,
            *exc.problems,
        ]


def _load_city(folder: Path, root: Path, collect: _Collector) -> CitySource:
    city = CitySource(folder.name, display_path(folder, root), None)
    entries = list(iter_files(folder, root, collect.problems, collect.resolved_root))
    if not entries:
        collect.problems.append(
            Problem(
                city.folder,
                message="this city folder is empty; it needs a city.yaml "
                "(run `cityprofiles new city SLUG` to start one)",
                code="empty-city",
            )
        )
        return city
    city.document = collect.yaml(folder / "city.yaml", required=True)
    for path in entries:
        if path.name == "city.yaml":
            continue
        split = split_prose_name(path.name)
        if split is None or not path.is_file():
            collect.problems.append(
                Problem(
                    display_path(path, root),
                    message="unexpected file; a city folder holds city.yaml and "
                    "narrative.<language>.md files",
                    code="unexpected-file",
                )
            )
            continue
        text = collect.text(path)
        if text is not None:
            city.prose[split] = text
    return city
