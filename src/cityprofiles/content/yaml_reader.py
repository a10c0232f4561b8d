"""YAML files -> plain data with the source position of every value.

Every file is treated as untrusted. YAML is read from the parser's event stream
(never through a constructor that can build Python objects), so this module can
reject duplicate keys, unknown tags, alias bombs and absurd nesting *before*
anything is built, and remember where each value came from. Positions are
1-based ``(line, column)`` pairs keyed by data path, so later stages can say
``city.yaml:14:7: networks[2].since: …``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.error import MarkedYAMLError
from yaml.reader import ReaderError

from cityprofiles.content.files import DEFAULT_MAX_BYTES, Mark, SourceText, read_text
from cityprofiles.content.yaml_errors import syntax_problem, tag_message, too_deep_message
from cityprofiles.errors import ContentError

DataPath = tuple[str | int, ...]
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
TOO_DEEP = too_deep_message(MAX_DEPTH)


def package_data(name: str) -> Any:
    """A YAML file shipped in the package (``data/sdgs.yaml``): our own, so read with
    libyaml's safe loader as it is (20x faster than pure Python), without positions."""
    text = resources.files("cityprofiles").joinpath(name).read_text("utf-8")
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader


_constructor = SafeConstructor()


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


def load_yaml(path: Path, root: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> YamlDocument:
    """Read one YAML file into plain data plus positions, or raise :class:`ContentError`."""
    return parse_yaml(read_text(path, root, max_bytes=max_bytes))


def parse_yaml(source: SourceText) -> YamlDocument:
    """Parse YAML text safely into a :class:`YamlDocument`."""
    too_deep = _flow_too_deep(source.text)
    if too_deep is not None:
        # Parse only up to the bracket too many, so our own depth check speaks first
        # (at the position of the value that is one level too deep), not libyaml's.
        problem = source.problem(too_deep[0], TOO_DEEP, code="too-deep")
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
        raise ContentError([syntax_problem(source, exc)]) from None
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
                    raise self.fail(
                        event,
                        f"'*{event.anchor}' repeats a value marked '&{event.anchor}', and this "
                        "file has none; put a value that starts with '*' in quotes",
                    )
                value, size = self.anchors[event.anchor]
                self.count(event, size)
            elif isinstance(event, yaml.ScalarEvent):
                value = self.scalar(event)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if event.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
                    raise self.fail(event, tag_message(event.tag))
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(event, TOO_DEEP, "too-deep")
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
                f"the file expands to more than {MAX_NODES:,} values: its '*' aliases repeat "
                "values that repeat others; write the values out instead",
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
                event,
                f"duplicate key '{key}'{where}; each key may appear once: keep one of them "
                "and delete the other",
                "duplicate-key",
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
            raise self.fail(event, tag_message(tag))
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
