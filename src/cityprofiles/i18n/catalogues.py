"""The UI catalogues: gettext ``.po`` files read strictly and compiled in memory for a build.

UI strings live in gettext ``.po`` catalogues maintained with Babel. They are
compiled in memory during every build (no stale ``.mo`` files), the package's
catalogue first and the site's own ``locales/`` on top, so a site can override
any UI string. A UI string without a translation in the page language falls back like
content (:mod:`cityprofiles.i18n.ui_text`).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.support import Translations

from cityprofiles.content import Mark, read_text
from cityprofiles.errors import ContentError, Problem
from cityprofiles.i18n.po_check import read_checked


def package_locales() -> Path:
    """The folder of the catalogues shipped with cityprofiles."""
    return Path(str(resources.files("cityprofiles").joinpath("locales")))


def catalogue_files(lang: str, site_locales: Path | None) -> list[Path]:
    """The ``messages.po`` files for ``lang``: the package's, then the site's override."""
    files = [package_locales() / lang / "LC_MESSAGES" / "messages.po"]
    if site_locales is not None:
        files.append(site_locales / lang / "LC_MESSAGES" / "messages.po")
    return [f for f in files if f.is_file()]


def read_catalogue(path: Path, root: Path, lang: str) -> Catalog:
    """Parse one ``.po`` file strictly (:mod:`~cityprofiles.i18n.po_check`); every problem
    becomes a positioned :class:`Problem`."""
    source = read_text(path, root)  # size limit, encoding and permissions as for content
    try:
        catalogue, issues = read_checked(source.text, lang)
    except ValueError as exc:  # Babel's own complaint about a header it cannot read
        raise ContentError(
            [Problem(source.file, message=f"cannot read catalogue: {exc}", code="po")]
        ) from None
    if issues:
        raise ContentError(
            [
                source.problem(Mark(i.line, i.column), f"broken catalogue: {i.message}", code="po")
                for i in issues
            ]
        )
    return catalogue


def load_translations(
    languages: Iterable[str], site_locales: Path | None, root: Path
) -> dict[str, Translations]:
    """Compile every language's catalogues in memory; collect all catalogue errors."""
    result: dict[str, Translations] = {}
    problems: list[Problem] = []
    for lang in languages:
        merged = Translations()
        for path in catalogue_files(lang, site_locales):
            try:
                catalogue = read_catalogue(path, root, lang)
            except ContentError as exc:
                problems.extend(exc.problems)
                continue
            for message in [m for m in catalogue if m.id and not is_translated(m)]:
                # Babel would compile an empty plural form as the English text, which
                # would then pass for a translation; an untranslated entry is left out.
                catalogue.delete(message.id, context=message.context)
            buffer = io.BytesIO()
            write_mo(buffer, catalogue)
            buffer.seek(0)
            compiled = Translations(fp=buffer)
            merged.merge(compiled)
            # merge() copies the messages, not the plural rule: without this every language
            # chose its plural forms by the English rule (Polish has three, Arabic six)
            merged.plural = compiled.plural
        result[lang] = merged
    if problems:
        raise ContentError(problems)
    return result


SOURCE_LANGUAGE = "en"
"""The language the UI strings (msgids) are written in: complete by definition."""


def is_translated(message: Message) -> bool:
    """Whether a catalogue entry has a usable translation (every plural form; not fuzzy)."""
    if message.fuzzy:
        return False
    if isinstance(message.string, tuple | list):
        return all(bool(s) for s in message.string)
    return bool(message.string)
