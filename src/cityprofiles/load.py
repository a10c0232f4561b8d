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
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.error import MarkedYAMLError
from yaml.reader import ReaderError
from yaml.resolver import Resolver

from cityprofiles.errors import ContentError, Problem

DataPath = tuple[str | int, ...]

DEFAULT_MAX_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_NODES = 100_000

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_STR_TAG = "tag:yaml.org,2002:str"
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_resolver = Resolver()
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

    def line(self, number: int) -> str | None:
        """The source line ``number`` (1-based), for error excerpts."""
        lines = self.text.splitlines()
        if 1 <= number <= len(lines):
            return lines[number - 1]
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
        size = path.stat().st_size
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
    return SourceText(shown, text.replace("\r\n", "\n"))


def load_yaml(path: Path, root: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> YamlDocument:
    """Read one YAML file into plain data plus positions, or raise :class:`ContentError`."""
    return parse_yaml(read_text(path, root, max_bytes=max_bytes))


def parse_yaml(source: SourceText) -> YamlDocument:
    """Parse YAML text safely into a :class:`YamlDocument`."""
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


_SYNTAX_HINTS = (
    ("found character '\\t'", "YAML does not allow tabs for indentation; use spaces"),
    ("mapping values are not allowed here", "a colon inside a value needs quotes around the value"),
    ("could not find expected ':'", "a line is missing its colon, or a quote is not closed"),
    (
        "found unexpected end of stream",
        "the file ends in the middle of a value; is a quote or bracket not closed?",
    ),
    ("while scanning a quoted scalar", "a quoted value is not closed"),
    ("did not find expected key", "the indentation of this line does not match the lines above"),
    ("expected <block end>", "the indentation of this line does not match the lines above"),
    ("did not find expected '-' indicator", "a list item is not indented like the ones above"),
)


def _syntax_problem(source: SourceText, exc: MarkedYAMLError) -> Problem:
    context = exc.context or ""
    unclosed = next((msg for key, msg in _UNCLOSED if key in context), None)
    if unclosed is not None and exc.context_mark is not None:
        # Point at where the unclosed bracket or quote began, not at the end of the file.
        mark = exc.context_mark
        message = f"YAML syntax error: {unclosed}"
    else:
        mark = exc.problem_mark or exc.context_mark
        raw = " ".join(p for p in (exc.context, exc.problem) if p)
        hint = next((h for key, h in _SYNTAX_HINTS if key in raw), None)
        message = f"YAML syntax error: {exc.problem or exc.context}"
        if hint:
            message += f" ({hint})"
    position = Mark(mark.line + 1, mark.column + 1) if mark is not None else None
    return source.problem(position, message, code="yaml-syntax")


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

    def build(self) -> YamlDocument:
        stack: list[_Frame] = []
        root: list[Any] = []
        for event in yaml.parse(self.source.text, Loader=_Loader):
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
        if key in parent.container:
            first = self.doc.key_marks.get(parent.path + (key,))
            where = f" (first at line {first.line})" if first else ""
            raise self.fail(
                event, f"duplicate key '{key}'{where}; each key may appear once", "duplicate-key"
            )
        self.doc.key_marks[parent.path + (key,)] = _mark(event)
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
        tag = event.tag
        if tag in (None, "!"):
            tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        if tag == _STR_TAG:
            return event.value  # what construct_yaml_str returns; most values (a third of loading)
        if tag not in _SCALAR_TAGS:
            raise self.fail(event, f"unsupported YAML tag '{tag}'")
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return _constructor.yaml_constructors[tag](_constructor, node)
        except (ConstructorError, ValueError) as exc:
            raise self.fail(event, f"cannot read the value '{event.value}': {exc}") from None


def iter_files(folder: Path, root: Path) -> Iterator[Path]:
    """Files directly in ``folder`` in a stable order, refusing links that leave ``root``."""
    if not folder.is_dir():
        return
    resolved_root = root.resolve()
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        ensure_inside(entry, resolved_root, root)
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

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
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
            ensure_inside(path, self.root.resolve(), self.root)
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
    pages: dict[tuple[str, str], SourceText] = {}
    cities: list[CitySource] = []
    try:
        for path in iter_files(content / "pages", root):
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
        folders: Iterable[Path] = iter_files(content / "cities", root)
        if only_cities is not None:
            folders = [content / "cities" / name for name in sorted(only_cities)]
            for folder in folders:
                ensure_inside(folder, root.resolve(), root)
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
    sources = Sources(root, content, site, networks, accessibility, pages, cities)
    return sources, collect.problems


def load_city(
    root: Path, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[CitySource, list[Problem]]:
    """One city folder as :func:`load_sources` reads it, with its problems (for parallel builds)."""
    collect = _Collector(root, max_bytes)
    folder = root / "content" / "cities" / name
    try:
        ensure_inside(folder, root.resolve(), root)
        return _load_city(folder, root, collect), collect.problems
    except ContentError as exc:
        return CitySource(name, display_path(folder, root), None), [
            *collect.problems,
            *exc.problems,
        ]


def _load_city(folder: Path, root: Path, collect: _Collector) -> CitySource:
    city = CitySource(folder.name, display_path(folder, root), None)
    entries = list(iter_files(folder, root))
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
