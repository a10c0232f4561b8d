"""Missing translations and values still to write: warnings, errors under ``--strict``.

Every translatable value (:class:`~cityprofiles.model.city.Text`) should have every
language of the site; ``cityprofiles new city`` marks what is still to write with
``TODO`` (and addresses on ``.invalid``, the map point at 0, 0), which ``check`` lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from cityprofiles.content import DataPath, SourceText, YamlDocument
from cityprofiles.model import City, Coordinates, Text
from cityprofiles.validate.problems import Collector

TODO_MARKER = "TODO"
"""How `new city` marks a value still to write; `check` warns, `--strict` fails, `i18n status` lists."""


def check_translations(
    collector: Collector, source: SourceText, doc: YamlDocument, obj: Any, base: DataPath
) -> None:
    """Warn for each :class:`Text` lacking a language, and for TODO markers left by ``new``."""
    for path, text in _walk_texts(obj, base):
        for lang in collector.languages:
            value = text.get(lang)
            if value is None:
                message = f"no {lang} translation"
                collector.warn(source, doc.mark(path), path, message, "missing-translation")
            elif value.startswith(TODO_MARKER):
                message = "still to do: replace the TODO text"
                collector.warn(source, doc.mark((*path, lang)), (*path, lang), message, "todo")


def check_city_completeness(collector: Collector, doc: YamlDocument, city: City) -> None:
    """Placeholders still in a city's facts, and narratives missing in some language."""
    for path, message in _placeholders(city, ()):
        collector.warn(doc.source, doc.mark(path), path, message, "todo")
    missing = [lang for lang in collector.languages if lang not in city.narrative]
    if missing and len(missing) < len(collector.languages):
        collector.warn(
            doc.source,
            None,
            ("narrative",),
            f"no narrative.{missing[0]}.md: the {missing[0]} page shows the narrative of "
            "another language",
            "missing-translation",
        )
    elif missing:
        message = "this city has no narrative.<language>.md yet"
        collector.warn(doc.source, None, ("narrative",), message, "empty-section")


def _walk_texts(obj: Any, path: DataPath) -> Iterator[tuple[DataPath, Text]]:
    if isinstance(obj, Text):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            if name in ("id", "narrative"):
                continue
            yield from _walk_texts(getattr(obj, name), (*path, name))
    elif isinstance(obj, list):
        for index, item in enumerate(obj):
            yield from _walk_texts(item, (*path, index))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from _walk_texts(item, (*path, key))


def _placeholders(obj: Any, path: DataPath) -> Iterator[tuple[DataPath, str]]:
    """Values that ``cityprofiles new city`` leaves to fill in, outside translated text: plain
    text starting with TODO, addresses on the reserved ``.invalid`` domain, and 0, 0 coordinates.
    """
    if isinstance(obj, Text):
        return
    if isinstance(obj, str):
        host = obj.rsplit("@", 1)[-1].split("://", 1)[-1].split("/", 1)[0].lower()
        if obj.startswith(TODO_MARKER) or host.endswith(".invalid"):
            yield path, "still to do: replace the placeholder"
    elif isinstance(obj, Coordinates):
        if obj.lat == 0 and obj.lon == 0:
            yield path, "still to do: put the city on the map (lat and lon are 0)"
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            if name not in ("id", "narrative"):
                yield from _placeholders(getattr(obj, name), (*path, name))
    elif isinstance(obj, list):
        for index, item in enumerate(obj):
            yield from _placeholders(item, (*path, index))
