"""Missing translations and values still to write: warnings, errors under ``--strict``.

Every translatable value (:class:`~cityprofiles.model.city.Text`) should have every
language of the site; ``cityprofiles new city`` marks what is still to write with
``TODO`` (and addresses on ``.invalid``, the map point at 0, 0), which ``check`` lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from cityprofiles.content import CitySource, DataPath, SourceText, YamlDocument
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


def check_city_completeness(collector: Collector, src: CitySource, city: City) -> None:
    """Placeholders still in a city's facts, and each narrative missing in a language (a
    narrative file with errors of its own is reported for those, not as missing)."""
    doc = src.document
    assert doc is not None
    for path, message in _placeholders(city, ()):
        collector.warn(doc.source, doc.mark(path), path, message, "todo")
    missing = [
        lang
        for lang in collector.languages
        if lang not in city.narrative and not _has_errors(collector, src, lang)
    ]
    everything = len(missing) == len(collector.languages)
    for lang in missing:
        name = f"narrative.{lang}.md"
        if everything:
            message = f"no {name}: this city has no narrative yet; write {src.folder}/{name}"
        else:
            message = (
                f"no {name}: the {lang} page shows the narrative of another language; "
                f"write {src.folder}/{name}"
            )
        code = "empty-section" if everything else "missing-translation"
        collector.warn(doc.source, None, ("narrative",), message, code)


def _has_errors(collector: Collector, src: CitySource, lang: str) -> bool:
    """Whether the city's narrative in ``lang`` exists but was refused (too large, not
    UTF-8, Markdown over the limits): it is not missing, its own errors say what to do."""
    if ("narrative", lang) in src.prose:
        return True
    file = f"{src.folder}/narrative.{lang}.md"
    return any(p.file == file and p.severity == "error" for p in collector.problems)


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
