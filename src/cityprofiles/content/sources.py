"""Everything under ``content/``, loaded but not yet validated: the stage's public entry.

:func:`load_sources` reads the whole site, :func:`load_city` one city folder (for the
pipeline's parallel workers); both collect every problem instead of stopping at the
first, and hand over :class:`Sources` / :class:`CitySource` for validation.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cityprofiles.content.files import (
    DEFAULT_MAX_BYTES,
    SourceText,
    check_links,
    display_path,
    ensure_inside,
    iter_files,
    read_text,
)
from cityprofiles.content.yaml_reader import YamlDocument, load_yaml
from cityprofiles.errors import ContentError, Problem, UsageError

_LANGUAGE = r"^[a-z]{2,3}$"  # as the model's LANG_PATTERN; content comes before the model


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
    sdgs: YamlDocument | None = None
    """``content/sdgs.yaml``, the site's wording of the Goals (optional)."""


def split_prose_name(name: str) -> tuple[str, str] | None:
    """``narrative.nl.md`` -> ``("narrative", "nl")``; ``None`` when not ``<name>.<lang>.md``.

    >>> split_prose_name("narrative.nl.md"), split_prose_name("notes.md")
    (('narrative', 'nl'), None)
    """
    parts = name.split(".")
    if len(parts) != 3 or parts[2] != "md":
        return None
    return parts[0], parts[1]


_MISSING = {
    "city.yaml": "this file is missing; every city folder needs one (`cityprofiles new city "
    "SLUG --name NAME` makes a folder with one to fill in)",
    "*": "this file is missing; every site needs one (`cityprofiles init` makes a new site "
    "with each of them, to copy from)",
}
_EMPTY = {
    "city.yaml": "write the city's fields in it (`cityprofiles new city SLUG --name NAME` "
    "makes a complete one to fill in), or delete the city's folder",
    "sdgs.yaml": "write the Goals' wording in it (goals: <number>: name: …), or delete it",
    "*": "write its fields in it (`cityprofiles init` makes a new site with each file, "
    "to copy from)",
}


class _Collector:
    """Loads files one by one, keeping every problem instead of stopping at the first."""

    def __init__(self, root: Path, max_bytes: int, resolved_root: Path | None = None) -> None:
        self.root = root
        # Resolved once: every file is checked against it (thousands of files per build).
        self.resolved_root = root.resolve() if resolved_root is None else resolved_root
        self.max_bytes = max_bytes
        self.problems: list[Problem] = []

    def yaml(self, path: Path, *, required: bool) -> YamlDocument | None:
        if not path.exists() and not path.is_symlink():
            if required:
                self.problems.append(
                    Problem(
                        display_path(path, self.root),
                        message=_MISSING.get(path.name, _MISSING["*"]),
                        code="missing-file",
                    )
                )
            return None
        try:
            ensure_inside(path, self.resolved_root, self.root)
            doc = load_yaml(path, self.root, max_bytes=self.max_bytes)
        except ContentError as exc:
            self.problems.extend(exc.problems)
            return None
        if doc.data is None:
            message = "this file is empty; " + _EMPTY.get(path.name, _EMPTY["*"])
            self.problems.append(Problem(doc.file, 1, 1, message=message, code="empty-file"))
            return None
        return doc

    def text(self, path: Path) -> SourceText | None:
        try:
            return read_text(path, self.root, max_bytes=self.max_bytes)
        except ContentError as exc:
            self.problems.extend(exc.problems)
            return None


def site_max_bytes(root: Path) -> int:
    """The per-file size limit from site.yaml, read leniently before full validation.

    Read with the same guarded parser as all content (a hostile site.yaml must not
    be able to stall the build here); any problem is reported later by validation.
    """
    try:
        data = load_yaml(root / "content" / "site.yaml", root).data
    except ContentError:
        return DEFAULT_MAX_BYTES
    value = data.get("max_file_kb") if isinstance(data, dict) else None
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 65536:
        return value * 1024
    return DEFAULT_MAX_BYTES


def site_languages(root: Path) -> list[str]:
    """The language codes of ``content/site.yaml``, default language first, read leniently
    (with the same guarded parser as all content) for tools that run before validation."""
    try:
        data = load_yaml(root / "content" / "site.yaml", root).data
        entries = data["languages"]
        codes = [e if isinstance(e, str) else e["code"] for e in entries]
        default = data.get("default_language") or codes[0]
    except (ContentError, KeyError, TypeError, IndexError, AttributeError):
        codes, default = [], None
    if not codes or not all(isinstance(c, str) and re.match(_LANGUAGE, c) for c in codes):
        raise UsageError(
            "cannot read the site's languages from content/site.yaml; "
            "run `cityprofiles check` and fix that file first"
        )
    return [default, *(c for c in codes if c != default)] if default in codes else codes


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
    sdgs = collect.yaml(content / "sdgs.yaml", required=False)
    pages: dict[tuple[str, str], SourceText] = {}
    cities: list[CitySource] = []
    try:
        for path in iter_files(content / "pages", root, collect.problems, collect.resolved_root):
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
        folders: Iterable[Path] = iter_files(
            content / "cities", root, collect.problems, collect.resolved_root
        )
        if only_cities is not None:
            folders = [content / "cities" / name for name in sorted(only_cities)]
            for folder in folders:
                ensure_inside(folder, collect.resolved_root, root)
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
    collect.problems.extend(check_links(root))
    sources = Sources(root, content, site, networks, accessibility, pages, cities, sdgs)
    return sources, collect.problems


def load_city(
    root: Path,
    name: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    resolved_root: Path | None = None,
) -> tuple[CitySource, list[Problem]]:
    """One city folder as :func:`load_sources` reads it, with its problems (for parallel builds).

    ``resolved_root``: ``root.resolve()``, when the caller loads many cities of one root."""
    collect = _Collector(root, max_bytes, resolved_root)
    folder = root / "content" / "cities" / name
    try:
        ensure_inside(folder, collect.resolved_root, root)
        return _load_city(folder, root, collect), collect.problems
    except ContentError as exc:
        return CitySource(name, display_path(folder, root), None), [
            *collect.problems,
            *exc.problems,
        ]


def _load_city(folder: Path, root: Path, collect: _Collector) -> CitySource:
    city = CitySource(folder.name, display_path(folder, root), None)
    entries = list(iter_files(folder, root, collect.problems, collect.resolved_root))
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
