"""Validated cities and problems as JSON, and back: the build cache holds data, never code.

A city is written as its JSON dump plus its folder name and narrative HTML, and read back
through the same pydantic model that validates the content files: every type, range and
form (web address, e-mail address, phone number, year) is checked again, and anything
that is not a city makes the cache give up on that build, which then validates every
city from its files. No constructor is looked up by name and no callable comes from the
file: unlike the pickle this replaces, a crafted cache file can only fail to decode.
(Validating a city from this JSON costs about as much as unpickling it did: 0.3 s at
1 000 cities, against 2 s to read and validate the YAML and Markdown again.)

The narrative HTML is the one thing taken as it is: it was sanitised when it was made.
Like any build cache, a cache written by someone else can therefore change what a build
publishes; restore caches only from builds you trust (docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from cityprofiles.errors import Problem

if TYPE_CHECKING:  # imported when a city is decoded: a build that reads none needs no pydantic
    from cityprofiles.model import City


class CacheFormatError(ValueError):
    """A value in the cache is not what this version of cityprofiles writes there."""


def encode_city(city: City) -> str:
    """One city as a line of JSON: its fields as validated, its id and its narrative."""
    data = city.model_dump(mode="json")
    data["id"], data["narrative"] = city.id, city.narrative
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def decode_city(text: str) -> City:
    """:func:`encode_city` reversed, through the model's own validation (every type,
    range and form checked again, as for a file); :class:`CacheFormatError` when the text
    is not a city."""
    from cityprofiles.model import NORMALISED, City

    try:
        data = expect(json.loads(text), dict)
        identity = expect(data.pop("id", None), str)
        narrative = str_map(data.pop("narrative", None))
        reviewed = data.get("last_reviewed")
        if isinstance(reviewed, str):  # JSON has no dates; the model takes only real ones
            data["last_reviewed"] = dt.date.fromisoformat(reviewed)
        city = City.model_validate(data, context={NORMALISED: True})
    except (ValueError, RecursionError) as exc:  # not JSON, or not a city (ValidationError)
        raise CacheFormatError(f"not a city: {exc}") from None
    return city.model_copy(update={"id": identity, "narrative": narrative})


def encode_problem(problem: Problem) -> dict[str, Any]:
    """A problem as a JSON object (every field, the source line included)."""
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "path": problem.path,
        "message": problem.message,
        "severity": problem.severity,
        "code": problem.code,
        "source_line": problem.source_line,
    }


def decode_problem(data: Any) -> Problem:
    """:func:`encode_problem` reversed, each field checked."""
    fields = expect(data, dict)
    if set(fields) != _PROBLEM_FIELDS:
        raise CacheFormatError("a problem with other fields")
    severity = fields["severity"]
    if severity not in ("error", "warning"):
        raise CacheFormatError(f"unknown severity {severity!r}")
    return Problem(
        expect(fields["file"], str),
        _optional_int(fields["line"]),
        _optional_int(fields["column"]),
        path=expect(fields["path"], str),
        message=expect(fields["message"], str),
        severity=severity,
        code=expect(fields["code"], str),
        source_line=None if fields["source_line"] is None else expect(fields["source_line"], str),
    )


_PROBLEM_FIELDS = frozenset(encode_problem(Problem("")))


def expect(value: Any, kind: type[Any]) -> Any:
    """``value`` when it is a ``kind`` (a bool is not an int here); raise otherwise."""
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise CacheFormatError(f"expected {kind.__name__}, found {type(value).__name__}")
    return value


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(expect(value, int))


def str_map(value: Any) -> dict[str, str]:
    """A JSON object whose values are all text (input hashes, page keys)."""
    result: dict[str, str] = expect(value, dict)  # JSON object keys are always text
    for item in result.values():
        if type(item) is not str:
            raise CacheFormatError("expected text values")
    return result


def int_tuple_map(value: Any, size: int) -> dict[str, tuple[int, ...]]:
    """A JSON object of lists of ``size`` whole numbers (file stats), as tuples."""
    result: dict[str, tuple[int, ...]] = {}
    for key, item in expect(value, dict).items():
        numbers = tuple(expect(n, int) for n in expect(item, list))
        if len(numbers) != size:
            raise CacheFormatError(f"expected {size} numbers")
        result[key] = numbers
    return result
