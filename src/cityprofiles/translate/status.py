"""``cityprofiles i18n status``: what is not yet translated, per language, per city and overall.

Two kinds of text are counted. Content fields: every translatable value
(``{en: …, nl: …}``), every ``<name>.<lang>.md`` prose file and the name and
description of each of the 17 Goals (shipped, or in ``content/sdgs.yaml``), in every
configured language; a value that is missing or still starts with ``TODO`` is
untranslated. UI strings: the messages of the gettext catalogues (the package's,
with the site's ``locales/`` on top; :mod:`cityprofiles.i18n.coverage`); English is
the language the messages are written in, so it is complete by definition.

The report is per language (every gap with its file and line), per field (how many
gaps each kind of field has, list items counted together), per city, and overall;
``--format json`` gives the same as data.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cityprofiles.content import (
    DataPath,
    YamlDocument,
    load_sources,
    require_site,
    site_max_bytes,
)
from cityprofiles.errors import counted
from cityprofiles.model import Site, Text
from cityprofiles.validate import TODO_MARKER, validate_sources

SOURCE_LANGUAGE = "en"
GOALS_FILE = "content/sdgs.yaml"


@dataclass(frozen=True)
class Gap:
    """One untranslated field in one language."""

    file: str
    line: int | None
    path: str
    kind: str  # "missing" or "todo"
    city: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "path": self.path,
            "kind": self.kind,
            "city": self.city,
        }

    @property
    def field(self) -> str:
        """The kind of field, list positions left out: ``contacts[].purpose``,
        ``goals.name``, ``narrative``, ``pages/about``."""
        if self.file == GOALS_FILE:
            return "goals." + self.path.rsplit(".", 1)[-1]
        if not self.path:
            name = self.file.rsplit("/", 1)[-1].split(".", 1)[0]
            return f"pages/{name}" if self.file.startswith("content/pages/") else name
        return re.sub(r"\[\d+\]", "[]", self.path)


@dataclass
class LanguageStatus:
    """The translation status of one language."""

    code: str
    fields: int = 0
    gaps: list[Gap] = field(default_factory=list)
    ui_total: int = 0
    ui_missing: list[str] = field(default_factory=list)


def _walk(obj: Any, path: DataPath) -> Iterator[tuple[DataPath, Text]]:
    if isinstance(obj, Text):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            if name not in ("id", "narrative"):
                yield from _walk(getattr(obj, name), (*path, name))
    elif isinstance(obj, list):
        for index, item in enumerate(obj):
            yield from _walk(item, (*path, index))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from _walk(item, (*path, key))


def _dotted(path: DataPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def content_status(root: Path) -> tuple[Site, dict[str, LanguageStatus]]:
    """Count translatable fields and list the gaps; raises ``ContentError`` for invalid content."""
    require_site(root)
    sources, problems = load_sources(root, max_bytes=site_max_bytes(root))
    site = validate_sources(sources, problems)
    status = {code: LanguageStatus(code) for code in site.language_codes}
    docs: list[tuple[YamlDocument | None, Any, str | None]] = [
        (sources.site, site.config, None),
        (sources.networks, None, None),
        (sources.accessibility, site.accessibility, None),
    ]
    city_docs = {c.id: c.document for c in sources.cities}
    docs += [(city_docs.get(city.id), city, city.id) for city in site.cities]
    for doc, obj, city_id in docs:
        if doc is None:
            continue
        walked: Iterator[tuple[DataPath, Text]]
        if obj is None:  # the registry: networks by id
            walked = (
                ((("networks", nid, *p)), t)
                for nid, net in site.networks.items()
                for p, t in _walk(net, ())
            )
        else:
            walked = _walk(obj, ())
        for path, text in walked:
            for code, lang in status.items():
                lang.fields += 1
                value = text.get(code)
                kind = (
                    "missing" if value is None else "todo" if value.startswith(TODO_MARKER) else ""
                )
                if kind:
                    mark = doc.mark((*path, code)) if kind == "todo" else doc.mark(path)
                    line = mark.line if mark else None
                    lang.gaps.append(Gap(doc.file, line, _dotted(path), kind, city_id))
    for city in site.cities:
        folder = f"content/cities/{city.id}"
        for code, lang in status.items():
            lang.fields += 1
            prose = city.narrative.get(code)
            if prose is None:
                lang.gaps.append(Gap(f"{folder}/narrative.{code}.md", None, "", "missing", city.id))
            elif _raw_prose(sources, city.id, code).lstrip().startswith(TODO_MARKER):
                lang.gaps.append(Gap(f"{folder}/narrative.{code}.md", 1, "", "todo", city.id))
    _goal_status(site, sources.sdgs, status)
    names = sorted({name for name, _ in sources.pages})
    for name in names:
        for code, lang in status.items():
            lang.fields += 1
            if (name, code) not in site.pages:
                lang.gaps.append(Gap(f"content/pages/{name}.{code}.md", None, "", "missing"))
    return site, status


def _goal_status(
    site: Site, doc: YamlDocument | None, status: Mapping[str, LanguageStatus]
) -> None:
    """The name and description of each Goal, in each language (shipped or the site's)."""
    for sdg in site.sdgs:
        for name in ("name", "description"):
            text: Text = getattr(sdg, name)
            path = ("goals", str(sdg.number), name)
            for code, lang in status.items():
                lang.fields += 1
                value = text.get(code)
                kind = (
                    "missing" if value is None else "todo" if value.startswith(TODO_MARKER) else ""
                )
                if kind:
                    mark = doc.mark((*path, code)) if doc is not None else None
                    line = mark.line if mark is not None and kind == "todo" else None
                    lang.gaps.append(Gap(GOALS_FILE, line, _dotted(path), kind))


def _raw_prose(sources: Any, city_id: str, lang: str) -> str:
    for city in sources.cities:
        if city.id == city_id:
            source = city.prose.get(("narrative", lang))
            return "" if source is None else str(source.text)
    return ""


def ui_status(root: Path, status: Mapping[str, LanguageStatus]) -> None:
    """Fill in the UI-string counts: messages without a translation in each language."""
    from cityprofiles.i18n import untranslated

    for code, lang in status.items():
        lang.ui_total, lang.ui_missing = untranslated(root, code)


def print_status(root: Path, *, fmt: str = "text") -> int:
    """Print the report; exit code 0 (the status is information, not a failure)."""
    site, status = content_status(root)
    ui_status(root, status)
    if fmt == "json":
        print(json.dumps(as_json(site, status), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(as_text(site, status))
    return 0


def per_city(site: Site, status: Mapping[str, LanguageStatus]) -> dict[str, dict[str, int]]:
    """Untranslated fields per city and language."""
    result = {city.id: dict.fromkeys(status, 0) for city in site.cities}
    for code, lang in status.items():
        for gap in lang.gaps:
            if gap.city is not None:
                result[gap.city][code] += 1
    return result


def per_field(status: Mapping[str, LanguageStatus]) -> dict[str, dict[str, int]]:
    """Untranslated values per kind of field (``summary``, ``contacts[].purpose``,
    ``goals.name``, ``narrative``…) and language, the fields with most gaps first."""
    counts: dict[str, dict[str, int]] = {}
    for code, lang in status.items():
        for gap in lang.gaps:
            counts.setdefault(gap.field, dict.fromkeys(status, 0))[code] += 1
    return dict(sorted(counts.items(), key=lambda item: (-sum(item[1].values()), item[0])))


def as_json(site: Site, status: Mapping[str, LanguageStatus]) -> dict[str, Any]:
    """The report as data (``--format json``)."""
    return {
        "languages": {
            code: {
                "fields": lang.fields,
                "untranslated": [g.as_json() for g in lang.gaps],
                "ui_strings": lang.ui_total,
                "ui_untranslated": lang.ui_missing,
            }
            for code, lang in status.items()
        },
        "fields": per_field(status),
        "cities": per_city(site, status),
        "overall": {
            "fields": sum(lang.fields for lang in status.values()),
            "untranslated": sum(len(lang.gaps) for lang in status.values()),
            "ui_untranslated": sum(len(lang.ui_missing) for lang in status.values()),
        },
    }


def _percent(done: int, total: int) -> str:
    return f"{100 * done // total}%" if total else "100%"


def as_text(site: Site, status: Mapping[str, LanguageStatus]) -> str:
    """The report for people: per language (with every gap), per city, overall."""
    lines = [f"Translation status of {', '.join(status)} (default {site.default_language})", ""]
    for code, lang in status.items():
        done = lang.fields - len(lang.gaps)
        lines.append(
            f"{code}: {done} of {counted(lang.fields, 'content field')} translated "
            f"({_percent(done, lang.fields)}); "
            + (
                "UI strings complete"
                if not lang.ui_missing
                else f"{len(lang.ui_missing)} of {counted(lang.ui_total, 'UI string')} untranslated"
            )
        )
        for gap in lang.gaps:
            where = gap.file + (f":{gap.line}" if gap.line else "")
            what = f"{gap.path}: " if gap.path else ""
            note = "still TODO" if gap.kind == "todo" else f"no {code} text"
            lines.append(f"  {where}: {what}{note}")
        for message in lang.ui_missing:
            lines.append(f"  UI string: {message!r}")
        lines.append("")
    fields = per_field(status)
    if fields:
        lines.append("Per field (untranslated values):")
        for name, counts in fields.items():
            detail = ", ".join(f"{code} {n}" for code, n in counts.items())
            lines.append(f"  {name}: {detail}")
        lines.append("")
    cities = per_city(site, status)
    if cities:
        lines.append("Per city (untranslated fields):")
        for city_id, counts in cities.items():
            detail = ", ".join(f"{code} {n}" for code, n in counts.items())
            lines.append(f"  {city_id}: {detail}")
        lines.append("")
    total = sum(lang.fields for lang in status.values())
    gaps = sum(len(lang.gaps) for lang in status.values())
    ui = sum(len(lang.ui_missing) for lang in status.values())
    lines.append(
        f"Overall: {total - gaps} of {counted(total, 'content field')} translated "
        f"({_percent(total - gaps, total)}), {counted(ui, 'UI string')} untranslated."
    )
    return "\n".join(lines) + "\n"
