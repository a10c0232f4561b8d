"""What did validate in a file that did not: the rest of the file, so one mistake does not
hide the others.

When a city.yaml has a type error in one place, the checks between files (network ids,
contact ids, partner cities, URL names, review dates, translations) still run on every
part without an error of its own, and one run reports every problem. :func:`salvage`
rebuilds the model from the raw data, leaving out only the values under the paths that
failed: a failed value becomes ``None`` (also where the model requires one), a list keeps
its positions (an item that failed is ``None``), so positions in messages stay right.

The object it returns is for those checks only (``model_construct``, nothing enforced);
the build never gets it, since the errors stop it.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterator, Mapping, Sequence, Set
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from cityprofiles.content import DataPath

T = TypeVar("T")


def salvage(
    cls: type[BaseModel], data: Any, failed: Set[DataPath], context: Mapping[str, Any]
) -> Any:
    """A ``cls`` of the parts of ``data`` that are not under a path in ``failed``."""
    if not isinstance(data, dict):
        return None
    values: dict[str, Any] = {}
    for name, info in cls.model_fields.items():
        if name not in data:
            if info.is_required():
                values[name] = None
            continue
        below = {path[1:] for path in failed if path[:1] == (name,)}
        if below:
            values[name] = _part(_annotation(cls, name), data[name], below, context)
        else:
            values[name] = _valid(_adapter(cls, name), data[name], context)
    return cls.model_construct(**values)


def present(items: Sequence[T] | None) -> Iterator[tuple[int, T]]:
    """``enumerate(items)`` without the items that failed (``None`` in a salvaged list)."""
    for index, item in enumerate(items or ()):
        if item is not None:
            yield index, item


def _part(annotation: Any, value: Any, failed: Set[DataPath], context: Mapping[str, Any]) -> Any:
    """``value`` of type ``annotation`` with errors under ``failed`` (never empty)."""
    if () in failed:
        return None
    target = _unwrap(annotation)
    origin = typing.get_origin(target)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return salvage(target, value, failed, context)
    if origin is list and isinstance(value, list):
        (item_type,) = typing.get_args(target)
        return [
            _item(item_type, item, {p[1:] for p in failed if p[:1] == (index,)}, context)
            for index, item in enumerate(value)
        ]
    if origin is dict and isinstance(value, dict):
        value_type = typing.get_args(target)[1]
        return {
            key: _item(value_type, item, {p[1:] for p in failed if p[:1] == (key,)}, context)
            for key, item in value.items()
        }
    return None


def _item(annotation: Any, value: Any, failed: Set[DataPath], context: Mapping[str, Any]) -> Any:
    if failed:
        return _part(annotation, value, failed, context)
    return _valid(_type_adapter(annotation), value, context)


def _valid(adapter: TypeAdapter[Any], value: Any, context: Mapping[str, Any]) -> Any:
    """``value`` validated on its own; ``None`` when it fails that way (a rule of the whole
    model, already reported)."""
    try:
        return adapter.validate_python(value, context=dict(context))
    except ValidationError:
        return None


def _annotation(cls: type[BaseModel], name: str) -> Any:
    info = cls.model_fields[name]
    if not info.metadata:
        return info.annotation
    parameters = (info.annotation, *info.metadata)
    return Annotated[parameters]


@functools.lru_cache(maxsize=512)
def _adapter(cls: type[BaseModel], name: str) -> TypeAdapter[Any]:
    return TypeAdapter(_annotation(cls, name))


@functools.lru_cache(maxsize=512)
def _type_adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation)


def _unwrap(annotation: Any) -> Any:
    """``Annotated[X | None, ...]`` -> ``X``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation
