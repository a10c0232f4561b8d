"""What a save from the editor writes: merged, checked, then written whole or not at all.

1. Each file's new text is made: YAML is merged into the existing file (``merge``),
   Markdown is taken as written (with one final newline).
2. The site as it would be is checked by ``cityprofiles check`` (``checking``); an error
   the save causes refuses it with ``check``'s own report, and nothing is written.
3. Each file is written to a temporary file beside it and renamed over it, so a file is
   never half-written; a new city's folder is made complete in a temporary folder first.

A new city also gets a narrative to fill in, in every language, as ``new city`` makes it.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cityprofiles.cms import MergeError, Shape, check_path, merge_text, plain
from cityprofiles.errors import ContentError, Problem, summarize

if TYPE_CHECKING:
    from cityprofiles.server.editor.checking import SaveChecker

CITY_FILE = re.compile(r"^content/cities/([^/]+)/city\.yaml$")
PROSE_FILE = re.compile(r"^content/(?:cities/[^/]+/narrative|pages/[^/.]+)\.[a-z]{2,3}\.md$")
YAML_FILES = {
    "content/networks.yaml": "networks",
    "content/accessibility.yaml": "accessibility",
    "content/site.yaml": "site",
}
SCHEMA_LINE = "# yaml-language-server: $schema=../../../schema/city.schema.json\n"


@dataclass
class Refused(Exception):
    """A save that is not written; ``message`` is what the editor sees."""

    message: str
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message


def report(problems: Sequence[Problem]) -> str:
    """The problems as ``cityprofiles check`` prints them, with its closing line."""
    lines = [p.format() for p in problems]
    return "\n".join([*lines, summarize(problems)])


def site_languages(root: Path) -> tuple[str, ...]:
    """The content languages, read leniently (a save may be the one that fixes site.yaml)."""
    from cityprofiles.content import site_languages as read
    from cityprofiles.errors import UsageError

    try:
        return tuple(read(root))
    except UsageError:
        return ("en",)


def shape_for(rel: str, languages: tuple[str, ...]) -> Shape | None:
    """The model of a YAML file the editor may write; ``None`` for Markdown."""
    from cityprofiles.model import schemas

    if CITY_FILE.match(rel):
        return Shape(schemas()["city"], languages)
    if rel in YAML_FILES:
        return Shape(schemas()[YAML_FILES[rel]], languages)
    if PROSE_FILE.match(rel):
        return None
    raise Refused(f"{rel}: the editor does not write this file")


def new_text(root: Path, rel: str, raw: str, languages: tuple[str, ...]) -> str:
    """The file's text after the save (unchanged text when nothing changed)."""
    path = root / rel
    old = _read(path)
    shape = shape_for(rel, languages)
    if shape is None:
        text = raw.replace("\r\n", "\n")
        text = text if text.endswith("\n") or not text else text + "\n"
        if old is not None:
            if old.replace("\r\n", "\n").rstrip("\n") == text.rstrip("\n"):
                return old
            if "\r\n" in old:  # the file's own line ends
                text = text.replace("\n", "\r\n")
        return text
    try:
        saved = plain(raw, rel)
    except ContentError as exc:
        raise Refused(report(exc.problems), list(exc.problems)) from None
    if old is not None:
        try:
            plain(old, rel)
        except ContentError:
            old = None  # a broken file is replaced by the saved entry as a whole
    header = SCHEMA_LINE if old is None and CITY_FILE.match(rel) else ""
    try:
        return merge_text(old, saved, shape, name=rel, header=header)
    except MergeError as exc:
        raise Refused(f"{rel}: {exc}") from None


def save(
    root: Path, files: Sequence[tuple[str, str]], checker: SaveChecker | None = None
) -> list[str]:
    """Merge, check and write ``files`` (path, text from the editor); return what was
    written. ``checker``: the site's, kept from save to save (else one for this save)."""
    from cityprofiles.server.editor.checking import SaveChecker

    checker = checker or SaveChecker(root)
    languages = site_languages(root)
    changes: dict[str, bytes] = {}
    for rel, raw in files:
        check_path(root, rel)
        text = new_text(root, rel, raw, languages)
        if not text and _read(root / rel) is None:
            continue  # an empty text for a language that has no file yet: nothing to make
        changes[rel] = text.encode("utf-8")
    changes.update(_new_narratives(root, changes, languages))
    changed = {rel: data for rel, data in changes.items() if _read_bytes(root / rel) != data}
    if not changed:
        return []
    problems = checker.refusals(dict(changed))
    if problems:
        raise Refused(report(problems), problems)
    write_all(root, changed)
    return sorted(changed)


def delete(root: Path, paths: Sequence[str], checker: SaveChecker | None = None) -> list[str]:
    """Delete content files (checked first, like a save) or media files."""
    from cityprofiles.server.editor.checking import SaveChecker

    checked = [check_path(root, rel) for rel in paths]
    content = {c.rel: None for c in checked if c.area == "content" and c.path.exists()}
    if content:
        problems = (checker or SaveChecker(root)).refusals(content)
        if problems:
            raise Refused(report(problems), problems)
    removed = []
    for item in checked:
        if item.path.is_file() or item.path.is_symlink():
            item.path.unlink()
            removed.append(item.rel)
    return removed


def _new_narratives(
    root: Path, changes: Mapping[str, bytes], languages: tuple[str, ...]
) -> dict[str, bytes]:
    """A new city gets a narrative to write in each language (as ``new city`` makes them)."""
    from cityprofiles.scaffold import narrative

    made: dict[str, bytes] = {}
    for rel, data in changes.items():
        match = CITY_FILE.match(rel)
        if match is None or (root / rel).exists():
            continue
        values = plain(data.decode("utf-8"), rel)
        name = values.get("name") if isinstance(values, Mapping) else None
        if isinstance(name, Mapping):
            name = name.get(languages[0]) or next(iter(name.values()), None)
        label = str(name or match.group(1))
        for lang in languages:
            story = f"content/cities/{match.group(1)}/narrative.{lang}.md"
            if story not in changes and not (root / story).exists():
                made[story] = narrative(label).encode("utf-8")
    return made


def write_all(root: Path, changes: Mapping[str, bytes]) -> None:
    """Each file atomically; the files of a new folder appear together with it."""
    new_folders: dict[Path, dict[str, bytes]] = {}
    for rel, data in changes.items():
        folder = (root / rel).parent
        if not folder.exists():
            new_folders.setdefault(folder, {})[rel] = data
    for folder, files in new_folders.items():
        _write_folder(root, folder, files)
    for rel, data in changes.items():
        if any(rel in files for files in new_folders.values()):
            continue
        write_atomic(root / rel, data)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a hidden temporary file beside ``path``, then rename it over ``path``."""
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode if mode is not None else 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_folder(root: Path, folder: Path, files: Mapping[str, bytes]) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".new-{folder.name}-", dir=folder.parent))
    try:
        for rel, data in files.items():
            (tmp / Path(rel).name).write_bytes(data)
            (tmp / Path(rel).name).chmod(0o644)
        tmp.chmod(0o755)
        os.rename(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _read(path: Path) -> str | None:
    try:
        return path.read_text("utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
    except UnicodeDecodeError:
        return None


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
