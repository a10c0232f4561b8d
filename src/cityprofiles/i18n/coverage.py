"""Which UI strings a language lacks: for ``i18n status`` and for ``check --strict``.

The strings the UI uses are the messages of the package's catalogues (its template
``messages.pot`` when present) and of the site's ``locales/`` (its ``messages.pot`` when
present, made by ``i18n extract`` or ``i18n add``). A language has a string when its
catalogues (the package's, then the site's) translate it: every plural form, not fuzzy.
English is the language the strings are written in, so it is complete by definition.

Validation turns each language's gap into one warning (an error under ``--strict``), so a
site is not published with UI strings that fall back to another language.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cityprofiles.errors import ContentError, Problem
from cityprofiles.i18n.catalogues import (
    SOURCE_LANGUAGE,
    catalogue_files,
    is_translated,
    package_locales,
    read_catalogue,
)

_Key = tuple[tuple[str, int, int], ...]
_cache: dict[tuple[str, _Key], frozenset[str]] = {}


def _stamp(paths: Iterable[Path]) -> _Key:
    """Name, size and mtime of each file: the cache key of what was read from them."""
    result = []
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            continue
        result.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(result)


def _message_key(message_id: Any) -> str:
    if isinstance(message_id, tuple | list):
        return str(message_id[0])
    return str(message_id or "")


def _reference_files(root: Path) -> list[Path]:
    files: list[Path] = []
    for folder in (package_locales(), root / "locales"):
        pot = folder / "messages.pot"
        files += [pot] if pot.is_file() else sorted(folder.glob("*/LC_MESSAGES/messages.po"))
    return files


def reference_ids(root: Path) -> frozenset[str]:
    """The messages the UI uses (see the module docstring)."""
    from babel.messages.pofile import read_po

    files = _reference_files(root)
    key = ("", _stamp(files))
    found = _cache.get(key)
    if found is None:
        ids: set[str] = set()
        for path in files:
            try:
                with path.open("rb") as handle:
                    ids |= {k for k in (_message_key(m.id) for m in read_po(handle)) if k}
            except Exception:  # noqa: S112 - a broken catalogue is reported by the build
                continue
        found = _cache[key] = frozenset(ids)
    return found


def translated_ids(root: Path, lang: str) -> frozenset[str]:
    """The messages that ``lang``'s catalogues translate."""
    files = catalogue_files(lang, root / "locales")
    key = (lang, _stamp(files))
    found = _cache.get(key)
    if found is None:
        ids: set[str] = set()
        for path in files:
            try:
                catalogue = read_catalogue(path, root, lang)
            except ContentError:
                continue  # reported with its position when the catalogues are loaded
            ids |= {_message_key(m.id) for m in catalogue if m.id and is_translated(m)}
        found = _cache[key] = frozenset(ids)
    return found


def untranslated(root: Path, lang: str) -> tuple[int, list[str]]:
    """(number of UI strings, the ones ``lang`` lacks, sorted)."""
    reference = reference_ids(root)
    if lang == SOURCE_LANGUAGE:
        return len(reference), []
    return len(reference), sorted(reference - translated_ids(root, lang))


def ui_warnings(root: Path, languages: Iterable[str]) -> list[Problem]:
    """One warning per language that lacks UI strings, at its site catalogue."""
    problems = []
    for lang in languages:
        total, missing = untranslated(root, lang)
        if not missing:
            continue
        where = f"locales/{lang}/LC_MESSAGES/messages.po"
        count = (
            f"{len(missing)} of {total} UI strings have"
            if len(missing) > 1
            else (f"1 of {total} UI strings has")
        )
        message = (
            f"{count} no {lang} translation, e.g. {missing[0]!r}; pages show them in "
            "another language. Translate them in this file (`cityprofiles i18n status` "
            "lists them)"
        )
        if not (root / where).is_file():
            message += f"; create it with `cityprofiles i18n add {lang}`"
        problems.append(
            Problem(where, message=message, code="missing-translation", severity="warning")
        )
    return problems
