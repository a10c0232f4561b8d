"""Pydantic's validation errors in an editor's words, at the position of the value.

Each error pydantic reports is mapped back onto the YAML data path (dropping its union and
type tags) and told in plain language: what was expected, what was found, and for an
unknown field the nearest known one.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from cityprofiles.content import DataPath, YamlDocument
from cityprofiles.model import SLUG_PATTERN, TODAY, Text
from cityprofiles.validate.partial import salvage
from cityprofiles.validate.problems import Collector


def validated(
    collector: Collector, cls: type[Any], doc: YamlDocument, data: Any, **update: Any
) -> Any:
    """``data`` from ``doc`` as a ``cls``; on failure every problem is recorded with its
    position and ``None`` returned. ``update``: fields set after validation (an id)."""
    obj, complete = checked(collector, cls, doc, data, **update)
    return obj if complete else None


def checked(
    collector: Collector, cls: type[Any], doc: YamlDocument, data: Any, **update: Any
) -> tuple[Any, bool]:
    """``(obj, True)`` for valid data; otherwise every problem is recorded and the result is
    ``(parts, False)``: the parts without errors (:func:`.partial.salvage`), for the checks
    between files, or ``None`` when the file is not a mapping of fields at all."""
    if not isinstance(data, dict):
        message = (
            f"this file must hold 'field: value' lines (like name: Utrecht); it holds {_kind(data)}"
        )
        collector.error(doc.source, doc.mark(()), (), message, "type")
        return None, False
    try:
        obj = cls.model_validate(data, context=context(collector))
    except ValidationError as exc:
        failed = record_all(collector, exc.errors(), cls, doc, data)
        parts = salvage(cls, data, failed, context(collector))
        return (parts.model_copy(update=update) if update else parts), False
    return (obj.model_copy(update=update) if update else obj), True


def context(collector: Collector) -> dict[str, Any]:
    """What the models' own rules need to know: the site's languages and the day."""
    return {"languages": collector.languages, TODAY: collector.today}


def record_all(
    collector: Collector, errors: list[Any], cls: type[BaseModel], doc: YamlDocument, data: Any
) -> set[DataPath]:
    """Every pydantic error as a positioned problem; returns the data paths that failed.

    A misspelt key is one mistake, not two: "unknown field 'statu'; did you mean 'status'?"
    is said, and "required field 'status' is missing" is not."""
    meant: set[DataPath] = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            path, _ = _clean_loc(data, err["loc"])
            close = _close_field(cls, path)
            if close is not None:
                meant.add((*path[:-1], close))
    failed = set()
    for err in errors:
        path, exists = _clean_loc(data, err["loc"])
        if err["type"] == "missing" and not exists and path in meant:
            failed.add(path)
        else:
            failed.add(record(collector, err, cls, doc, data))
    return failed


def record(
    collector: Collector, err: Any, cls: type[BaseModel], doc: YamlDocument, data: Any
) -> DataPath:
    """One pydantic error as a positioned problem; returns the data path that failed."""
    kind = err["type"]
    if err["loc"] and err["loc"][-1] == "[key]":  # a mapping key itself is invalid
        key_path, _ = _clean_loc(data, err["loc"][:-1])
        where = doc.mark(key_path, prefer_key=True)
        collector.error(doc.source, where, key_path[:-1], message(err, str), kind)
        return key_path
    path, exists = _clean_loc(data, err["loc"])
    if kind == "extra_forbidden":
        key = str(path[-1])
        allowed = _fields_at(cls, path[:-1])
        text = f"unknown field '{key}'"
        close = _close_field(cls, path)
        if close:
            text += f"; did you mean '{close}'?"
        elif allowed:
            text += f"; expected one of: {', '.join(allowed)}"
        collector.error(doc.source, doc.mark(path, prefer_key=True), path, text, "unknown-field")
        return path
    if kind == "missing" and not exists:
        parent = path[:-1]
        text = f"required field '{path[-1]}' is missing{_what_it_is(cls, path)}"
        collector.error(
            doc.source, doc.mark(parent, prefer_key=True), parent, text, "missing-field"
        )
        return path
    annotation = _annotation_at(cls, path)
    collector.error(doc.source, doc.mark(path), path, message(err, annotation), kind)
    return path


def _close_field(cls: type[BaseModel], path: DataPath) -> str | None:
    """The known field an unknown key at ``path`` most likely means (``populaton``)."""
    allowed = _fields_at(cls, path[:-1])
    by_folded = {name.casefold(): name for name in allowed}
    key = str(path[-1]).casefold().replace("-", "_").replace(" ", "_")
    close = difflib.get_close_matches(key, list(by_folded), n=1, cutoff=0.6)
    return by_folded[close[0]] if close else None


def _what_it_is(cls: type[BaseModel], path: DataPath) -> str:
    """``; add it: <what the field holds>``, from the model's own description."""
    parent = _unwrap(_annotation_at(cls, path[:-1])) if path[:-1] else cls
    if not (isinstance(parent, type) and issubclass(parent, BaseModel)):
        return ""
    field = parent.model_fields.get(str(path[-1]))
    if field is None:
        return ""
    about = field.description
    kind = _unwrap(field.annotation)
    if not about and isinstance(kind, type) and issubclass(kind, BaseModel) and kind.__doc__:
        about = kind.__doc__.strip().split("\n")[0].rstrip(".")
    if not about and isinstance(kind, type) and issubclass(kind, Text):
        about = "one value per language, each on its own line (en: …, nl: …)"
    return f"; add it: {about[:1].lower()}{about[1:]}" if about else ""


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text '{_short(value)}'"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _number(value: Any) -> str:
    """A bound as people write it: ``90``, not ``90.0``."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _short(value: Any, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clean_loc(data: Any, loc: Sequence[str | int]) -> tuple[DataPath, bool]:
    """Map a pydantic error location onto the data path (dropping union/type tags)."""
    current = data
    path: list[str | int] = []
    for index, part in enumerate(loc):
        if (isinstance(current, dict) and isinstance(part, str) and part in current) or (
            isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        ):
            path.append(part)
            current = current[part]  # type: ignore[index]
        elif index == len(loc) - 1 and isinstance(part, str | int):
            path.append(part)
            return tuple(path), False
    return tuple(path), True


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def _annotation_at(cls: Any, path: DataPath) -> Any:
    current: Any = cls
    for part in path:
        current = _unwrap(current)
        origin = typing.get_origin(current)
        if isinstance(part, str) and isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                return None
            current = field.annotation
        elif origin is list and isinstance(part, int):
            current = typing.get_args(current)[0]
        elif origin is dict:
            current = typing.get_args(current)[1]
        elif isinstance(current, type) and issubclass(current, dict):
            return str
        else:
            return None
    return _unwrap(current)


def _fields_at(cls: Any, path: DataPath) -> list[str]:
    target = _annotation_at(cls, path)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return [n for n in target.model_fields if n not in ("id", "narrative")]
    return []


_PLAIN = {
    "dict_type": "expected a mapping of fields (key: value lines), got {given}",
    "model_type": "expected a mapping of fields (key: value lines), got {given}",
    "model_attributes_type": "expected a mapping of fields (key: value lines), got {given}",
    "list_type": "expected a list (lines starting with '- '), got {given}",
    "int_type": "expected a whole number, got {given}",
    "int_parsing": "expected a whole number, got {given}",
    "int_from_float": "expected a whole number, got {given}",
    "float_type": "expected a number, got {given}",
    "float_parsing": "expected a number, got {given}",
    "bool_type": "expected true or false, got {given}",
    "bool_parsing": "expected true or false, got {given}",
    "string_too_short": "the text is empty",
}
"""Error kinds whose message needs only what was found."""
_BOUNDS = {
    "greater_than": ("more than", "gt"),
    "greater_than_equal": ("at least", "ge"),
    "less_than": ("less than", "lt"),
    "less_than_equal": ("at most", "le"),
}


def message(err: Any, annotation: Any) -> str:
    """The plain-language message of one pydantic error (``annotation``: the field's type)."""
    kind = err["type"]
    given = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "dict_type" and isinstance(annotation, type) and issubclass(annotation, Text):
        return _text_message(given, annotation)
    if kind in _PLAIN:
        return _PLAIN[kind].format(given=_kind(given))
    if kind == "string_type":
        if isinstance(given, bool):
            return f"expected text, got {_kind(given)}; put the value in quotes"
        if isinstance(given, int | float):  # YAML read it as a number: 030 became 30
            return (
                "expected text, got a number; put the value in quotes so it is read "
                "as text exactly as written"
            )
        return f"expected text, got {_kind(given)}"
    if kind.startswith("date_"):
        return f"expected a date like 2024-05-31, got {_kind(given)}"
    if kind == "string_pattern_mismatch":
        return _pattern_message(given, str(ctx.get("pattern", "")))
    if kind in _BOUNDS:
        words, key = _BOUNDS[kind]
        return f"must be {words} {_number(ctx.get(key))}, got {_kind(given)}"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected', '')}, got {_kind(given)}"
    if kind == "too_short" and isinstance(given, list):
        return "the list is empty; add at least one item"
    if kind == "string_too_long":
        return f"the text is too long (at most {ctx.get('max_length')} characters)"
    return str(err.get("msg", "invalid value")).removeprefix("Value error, ")


def _text_message(given: Any, annotation: type) -> str:
    if annotation.__name__ == "Name":
        text = f"expected a name (text, or en: … and nl: … lines), got {_kind(given)}"
    else:
        text = f"expected one value per language on its own line (en: …, nl: …), got {_kind(given)}"
    if isinstance(given, int | float):
        text += "; put the value in quotes"
    return text


def _pattern_message(given: Any, pattern: str) -> str:
    if pattern == SLUG_PATTERN or "a-z0-9" in pattern:
        return f"'{_short(given)}' is not a valid id; use lower-case letters, digits and hyphens"
    if "A-Z]{2}" in pattern:
        return f"'{_short(given)}' is not a two-letter country code like NL or BE"
    if "[a-z]{2,3}" in pattern:
        return f"'{_short(given)}' is not a language code like en or nl"
    if "#[0-9A-Fa-f]" in pattern:
        return f"'{_short(given)}' is not a colour like #1A2B3C"
    return f"'{_short(given)}' does not have the expected form"
