"""A save from the editor, merged into the YAML file it came from: only changed values change.

Decap serialises a whole entry; written as it is, the file would lose its comments,
quoting, flow maps (``{lat: 52.09, lon: 5.12}``) and folded paragraphs, and the Git diff
of a one-word edit would cover the file. So the saved entry is only read for its
*values* and merged into the existing document with ruamel.yaml's round-trip mode:

* a value whose meaning did not change keeps its node, comments and style (a name
  written ``name: Utrecht`` equals ``{en: Utrecht, nl: Utrecht}``; a text equals itself
  with surrounding blanks);
* a changed text keeps its scalar style: a folded paragraph (``>-``) is folded again at
  the width it had, a quoted one stays quoted;
* a new key goes where the model puts it, after the keys before it; a removed or
  emptied one goes; list items are matched by content, so a new item does not rewrite
  its neighbours.

The result is read back with the project's own loader and compared with the saved
values; a merge that would change a value it should not is an error, never a write.
"""

from __future__ import annotations

import difflib
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from cityprofiles.cms.fields import _is_name, _ref_name, _strip_null
from cityprofiles.content import SourceText, parse_yaml

Schema = Mapping[str, Any]
DEFAULT_WIDTH = 84
"""Characters per line of a new folded paragraph (the shipped files' width)."""
LONG_TEXT = 88
"""A new text longer than this is written as a folded paragraph."""
# Indentation styles tried on the existing file: (mapping, sequence, offset). The first
# that gives the file back byte for byte is the file's own.
INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (2, 3, 1))


class MergeError(Exception):
    """The save cannot be merged into the file; the message says what to do."""


@dataclass(frozen=True)
class Shape:
    """The JSON Schema of a file's model, to know which values are names."""

    schema: Schema
    languages: tuple[str, ...]

    def at(self, schema: Schema | None, key: str | int) -> Schema | None:
        """The schema of ``key`` inside a value of ``schema`` (``None`` if unknown)."""
        if schema is None:
            return None
        schema = self.resolve(schema)
        if isinstance(key, int):
            items = schema.get("items")
            return self.resolve(items) if isinstance(items, Mapping) else None
        props = schema.get("properties", {})
        if key in props:
            return self.resolve(props[key])
        for pattern_schema in schema.get("patternProperties", {}).values():
            return self.resolve(pattern_schema)
        extra = schema.get("additionalProperties")
        return self.resolve(extra) if isinstance(extra, Mapping) else None

    def resolve(self, schema: Schema) -> Schema:
        schema, _ = _strip_null(schema)
        while "$ref" in schema:
            schema = self.schema.get("$defs", {})[_ref_name(schema)]
        return schema

    def order(self, schema: Schema | None, fallback: list[str]) -> list[str]:
        """The keys of a mapping in the model's order (languages in the site's order)."""
        if schema is None:
            return fallback
        resolved = self.resolve(schema)
        if "properties" in resolved:
            return list(resolved["properties"])
        if _is_name(resolved) or resolved.get("propertyNames"):
            return [*self.languages, *(k for k in fallback if k not in self.languages)]
        return fallback

    def canon(self, value: Any, schema: Schema | None) -> Any:
        """The value as the model means it: a plain name in every language, texts trimmed."""
        if schema is not None and _is_name(self.resolve(schema)) and isinstance(value, str):
            return {lang: value.strip() for lang in self.languages}
        if isinstance(value, Mapping):
            return {str(k): self.canon(v, self.at(schema, str(k))) for k, v in value.items()}
        if isinstance(value, list):
            return [self.canon(v, self.at(schema, i)) for i, v in enumerate(value)]
        if isinstance(value, str):
            return value.strip()
        return value


def prune(value: Any) -> Any:
    """Drop what an empty form field leaves behind: ``""``, ``null``, ``{}`` and ``[]``.

    >>> prune({"a": "", "b": {"en": "", "nl": "x"}, "c": [], "d": 0})
    {'b': {'nl': 'x'}, 'd': 0}
    """
    if isinstance(value, Mapping):
        result = {k: prune(v) for k, v in value.items()}
        return {k: v for k, v in result.items() if v is not None}
    if isinstance(value, list):
        items = [prune(v) for v in value]
        kept = [v for v in items if v is not None]
        return kept or None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _yaml(indent: tuple[int, int, int]) -> YAML:
    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line that did not change
    mapping, sequence, offset = indent
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def load_round_trip(text: str) -> tuple[Any, YAML]:
    """The document as ruamel's round-trip tree, with the YAML set up as the file is indented."""
    best: tuple[Any, YAML] | None = None
    for indent in INDENTS:
        yaml = _yaml(indent)
        try:
            data = yaml.load(text)
        except YAMLError as exc:
            raise MergeError(f"the file could not be read to keep its layout: {exc}") from None
        if _dump(yaml, data) == text:
            return data, yaml
        if best is None:
            best = (data, yaml)
    assert best is not None
    return best


def plain(text: str, name: str) -> Any:
    """A file's values as ``check`` reads them (YAML 1.2, dates as dates)."""
    return parse_yaml(SourceText(name, text)).data


def merge_text(
    old_text: str | None, saved: Any, shape: Shape, *, name: str, header: str = ""
) -> str:
    """The new text of the file: ``saved`` (values) merged into ``old_text``.

    ``saved`` comes from the editor and is pruned first. ``header`` starts a new file.
    """
    new = prune(saved) or {}
    if not isinstance(new, Mapping):
        raise MergeError("the editor sent something other than a set of fields")
    if old_text is None:
        yaml = _yaml(INDENTS[0])
        text = header + _dump(yaml, _build(new, shape.schema, shape))
    else:
        old = plain(old_text, name)
        if shape.canon(old, shape.schema) == shape.canon(new, shape.schema):
            return old_text  # nothing changed: not even a re-dump's whitespace
        # A byte-order mark and Windows line ends (both accepted by `check`) stay too.
        bom = "\ufeff" if old_text.startswith("\ufeff") else ""
        crlf = "\r\n" in old_text
        body = old_text[len(bom) :].replace("\r\n", "\n")
        tree, yaml = load_round_trip(body)
        if not isinstance(tree, CommentedMap) or not isinstance(old, Mapping):
            tree = _build(new, shape.schema, shape)
        else:
            tree = _merge(tree, old, new, shape.schema, shape)
        text = _dump(yaml, tree)
        text = bom + (text.replace("\n", "\r\n") if crlf else text)
    back = plain(text, name)
    if shape.canon(back, shape.schema) != shape.canon(new, shape.schema):
        raise MergeError(
            "keeping the file's layout would have changed other values; nothing was saved "
            "(please report this, with the file)"
        )
    return text


# -- the merge ---------------------------------------------------------------------------


def _merge(node: Any, old: Any, new: Any, schema: Schema | None, shape: Shape) -> Any:
    """``node`` (ruamel) of value ``old`` (plain), changed to ``new``; unchanged parts kept."""
    if shape.canon(old, schema) == shape.canon(new, schema):
        return node
    resolved = shape.resolve(schema) if schema is not None else None
    if resolved is not None and _is_name(resolved):
        return _merge_name(node, old, new, schema, shape)
    if isinstance(node, CommentedMap) and isinstance(new, Mapping) and isinstance(old, Mapping):
        return _merge_map(node, old, new, schema, shape)
    if isinstance(node, CommentedSeq) and isinstance(new, list) and isinstance(old, list):
        return _merge_list(node, old, new, schema, shape)
    return (
        _scalar_like(node, new)
        if not isinstance(new, (Mapping, list))
        else _build(new, schema, shape)
    )


def _merge_name(node: Any, old: Any, new: Any, schema: Schema | None, shape: Shape) -> Any:
    """A name: plain stays plain while every language agrees; else one value per language."""
    values = shape.canon(new, schema)
    same = set(values.values()) if isinstance(values, Mapping) else set()
    complete = isinstance(values, Mapping) and set(values) == set(shape.languages)
    if isinstance(node, str) and not isinstance(node, CommentedMap):
        if complete and len(same) == 1:
            return _scalar_like(node, same.pop())
        return _build(new if isinstance(new, Mapping) else values, None, shape)
    if isinstance(node, CommentedMap) and isinstance(old, Mapping):
        expanded = new if isinstance(new, Mapping) else values
        return _merge_map(node, old, expanded, schema, shape)
    return _build(new, schema, shape)


def _merge_map(
    node: CommentedMap,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    schema: Schema | None,
    shape: Shape,
) -> CommentedMap:
    for key in [k for k in node if k not in new]:
        del node[key]
    order = shape.order(schema, list(new))
    for key, value in new.items():
        inner = shape.at(schema, key)
        if key in node:
            merged = _merge(node[key], old.get(key), value, inner, shape)
            if merged is not node[key]:
                node[key] = merged
            continue
        # A new key goes after the keys the model puts before it (Decap sends a field
        # filled in later at the end of the entry).
        rank = order.index(key) if key in order else len(order)
        before = [k for k in node if k in order and order.index(k) < rank]
        position = list(node).index(before[-1]) + 1 if before else 0
        if key not in order:
            position = len(node)
        node.insert(position, key, _build(value, inner, shape))
    return node


def _merge_list(
    node: CommentedSeq, old: list[Any], new: list[Any], schema: Schema | None, shape: Shape
) -> CommentedSeq:
    """Items matched by content (``difflib``): unchanged ones keep their nodes and comments."""
    items = shape.at(schema, 0)
    keys_old = [_key(shape.canon(v, items)) for v in old]
    keys_new = [_key(shape.canon(v, items)) for v in new]
    matcher = difflib.SequenceMatcher(a=keys_old, b=keys_new, autojunk=False)
    plan: list[tuple[int | None, Any]] = []  # (index of the old item kept, or None; new node)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            plan.extend((i, None) for i in range(a0, a1))
        elif op == "replace" and a1 - a0 == b1 - b0:
            for i, j in zip(range(a0, a1), range(b0, b1), strict=True):
                merged = _merge(node[i], old[i], new[j], items, shape)
                if merged is not node[i]:
                    node[i] = merged
                plan.append((i, None))
        elif op in ("insert", "replace"):
            plan.extend((None, _build(v, items, shape)) for v in new[b0:b1])
    # Changed in place (insert and delete move ruamel's comments with their items), so the
    # list keeps its comments and its flow or block style.
    kept = {i for i, _ in plan if i is not None}
    for old_index in reversed(range(len(node))):
        if old_index not in kept:
            del node[old_index]
    for position, (kept_index, value) in enumerate(plan):
        if kept_index is None:
            node.insert(position, value)
    return node


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


# -- new values --------------------------------------------------------------------------


def _build(value: Any, schema: Schema | None, shape: Shape) -> Any:
    """A new node in the house style: block mappings and lists, long texts folded."""
    if schema is not None and _is_name(shape.resolve(schema)) and isinstance(value, Mapping):
        texts = {k: v for k, v in value.items() if isinstance(v, str)}
        if set(texts) == set(shape.languages) and len(set(texts.values())) == 1:
            return _new_scalar(next(iter(texts.values())))
    if isinstance(value, Mapping):
        result = CommentedMap()
        for key, inner in value.items():
            result[key] = _build(inner, shape.at(schema, key), shape)
        return result
    if isinstance(value, list):
        seq = CommentedSeq()
        for index, inner in enumerate(value):
            seq.append(_build(inner, shape.at(schema, index), shape))
        return seq
    return _new_scalar(value)


def _new_scalar(value: Any) -> Any:
    if isinstance(value, str):
        if "\n" in value:
            return LiteralScalarString(value)
        if len(value) > LONG_TEXT:
            return _folded(value, DEFAULT_WIDTH)
    return value


def _scalar_like(node: Any, value: Any) -> Any:
    """``value`` written in the style of the scalar it replaces."""
    if not isinstance(value, str):
        return value
    if "\n" in value:
        return LiteralScalarString(value)
    if isinstance(node, FoldedScalarString):
        return _folded(value, _width(node))
    if isinstance(node, LiteralScalarString):
        return LiteralScalarString(value)
    if isinstance(node, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(value)
    if isinstance(node, SingleQuotedScalarString):
        return SingleQuotedScalarString(value)
    return value


def _width(node: FoldedScalarString) -> int:
    """The longest line of a folded paragraph: the width to fold its new text at."""
    positions = [*getattr(node, "fold_pos", []), len(node)]
    starts = [0, *(p + 1 for p in positions[:-1])]
    longest = max((end - start for start, end in zip(starts, positions, strict=True)), default=0)
    return max(longest, 40) if len(positions) > 1 else DEFAULT_WIDTH


def _folded(text: str, width: int) -> FoldedScalarString:
    """A folded paragraph that breaks at single spaces only (so it reads back unchanged).

    >>> s = _folded("one two three four", 9)
    >>> s.fold_pos, str(s)
    ([7, 13], 'one two three four')
    """
    result: FoldedScalarString = FoldedScalarString(text)
    positions: list[int] = []
    start = 0
    last_space = -1
    for index, char in enumerate(text):
        if (
            char == " "
            and 0 < index < len(text) - 1
            and text[index - 1] != " "
            and (text[index + 1] != " ")
        ):
            if index - start > width and last_space > start:
                positions.append(last_space)
                start = last_space + 1
            last_space = index
    if len(text) - start > width and last_space > start:
        positions.append(last_space)
    result.fold_pos = positions  # type: ignore[attr-defined]  # set by ruamel at run time
    return result


def diff_lines(before: str, after: str) -> Sequence[str]:
    """The changed lines of a save (for the server's log): ``-old`` and ``+new``."""
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
