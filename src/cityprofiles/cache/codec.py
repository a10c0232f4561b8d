"""Validated cities and problems as JSON, and back: the build cache holds data, never code.

A city is written as its JSON dump plus its folder name and narrative HTML, and read back
through the same pydantic model that validates the content files: every type, range and
form (web address, e-mail address, year) is checked again; what the model itself made
(a phone number in E.164 form, a translated text) is taken as it is written. Anything
that is not a city makes the cache give up on that build, which then validates every
city from its files. No constructor is looked up by name and no callable comes from the
file: unlike the pickle this replaces, a crafted cache file can only fail to decode.
(Reading the 1 000 cities of the benchmark corpus back this way takes 0.15 s of CPU,
unpickling them took 0.12 s, and reading and validating their files again 2 s.)

The narrative HTML is the one thing taken as it is: it was sanitised when it was made.
Like any build cache, a cache written by someone else can therefore change what a build
publishes; restore caches only from builds you trust (docs/architecture.md).
"""

from __future__ import annotations

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


def decode_city(text: str | bytes) -> City:
    """:func:`encode_city` reversed, through the model's own validation (pydantic's JSON
    parser, every type, range and form checked again, as for a file);
    :class:`CacheFormatError` when the text is not a city."""
    from cityprofiles.model import NORMALISED, City

    try:
        return City.model_validate_json(text, context={NORMALISED: True})
    except (ValueError, RecursionError) as exc:  # ValidationError is a ValueError
        raise CacheFormatError(f"not a city: {exc}") from None


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
        if type(item) is not list or len(item) != size:
            raise CacheFormatError(f"expected {size} numbers")
        for number in item:  # a plain loop: 10 000 entries at 1 000 cities
            if type(number) is not int:
                raise CacheFormatError("expected whole numbers")
        result[key] = tuple(item)
    return result
