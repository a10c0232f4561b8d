"""Languages at render time: UI catalogues, translated fields and visible fallbacks.

UI strings live in gettext ``.po`` catalogues maintained with Babel. They are
compiled in memory during every build (no stale ``.mo`` files), the package's
catalogue first and the site's own ``locales/`` on top, so a site can override
any UI string. Content fields are :class:`~cityprofiles.model.Text` values; a
missing language falls back to the default language and is marked with its real
``lang`` and a visible, translated note (WCAG 3.1.2).

UI strings fall back like content: a string without a translation in the page
language is taken from the default language's catalogue, then the site's other
languages, and finally English, the language the strings are written in
(:class:`UiText`); the page marks it with the language it is really in
(:mod:`cityprofiles.fallback_marks`).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from gettext import NullTranslations
from importlib import resources
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations

from cityprofiles.catalogue_check import check_po
from cityprofiles.errors import ContentError, Problem
from cityprofiles.load import Mark, display_path, read_text


@dataclass(frozen=True)
class Localized:
    """A field's value in one language, and the language it is really in."""

    text: str
    lang: str
    fallback: bool


def pick(value: Mapping[str, str], lang: str, order: Iterable[str]) -> Localized | None:
    """The value in ``lang``, else the first available in ``order`` (default language first)."""
    if lang in value:
        return Localized(value[lang], lang, False)
    for other in order:
        if other in value:
            return Localized(value[other], other, True)
    return None


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
    """Parse one ``.po`` file, turning a syntax error into a positioned problem."""
    source = read_text(path, root)  # size limit, encoding and permissions as for content
    issues = check_po(source.text)
    if issues:
        raise ContentError(
            [
                source.problem(Mark(i.line, i.column), f"broken catalogue: {i.message}", code="po")
                for i in issues
            ]
        )
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=lang, abort_invalid=True)
    except PoFileError as exc:
        line = getattr(exc, "lineno", None)
        raise ContentError(
            [Problem(display_path(path, root), line, message=f"broken catalogue: {exc}", code="po")]
        ) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ContentError(
            [Problem(display_path(path, root), message=f"cannot read catalogue: {exc}", code="po")]
        ) from None


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


class UiText(NullTranslations):
    """The UI strings of one page language, with the language each one is really in.

    ``lookup`` answers from the page language's catalogue, else from the next language of
    ``chain`` (the default language, then the site's others), else in English, the source.
    ``gettext`` and ``ngettext`` give the same text, so Python code (page titles, open
    data) and templates agree; templates also mark what comes from another language.
    """

    def __init__(self, lang: str, chain: Sequence[tuple[str, Translations]]) -> None:
        super().__init__()
        self.lang = lang
        self.chain = tuple(chain)

    def lookup(self, message: str) -> tuple[str, str]:
        """``(text, language)`` of a UI string."""
        for code, translations in self.chain:
            found = translations._catalog.get(message)
            if found is not None:
                return str(found), code
            if code == SOURCE_LANGUAGE:
                break
        return message, SOURCE_LANGUAGE

    def nlookup(self, singular: str, plural: str, n: int) -> tuple[str, str]:
        """``(text, language)`` of a UI string with a singular and a plural."""
        for code, translations in self.chain:
            key = (singular, translations.plural(n))
            found = translations._catalog.get(key)
            if found is not None:
                return str(found), code
            if code == SOURCE_LANGUAGE:
                break
        return (singular if n == 1 else plural), SOURCE_LANGUAGE

    def gettext(self, message: str) -> str:
        return self.lookup(message)[0]

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.nlookup(msgid1, msgid2, n)[0]

    def pgettext(self, context: str, message: str) -> str:
        return str(self.chain[0][1].pgettext(context, message)) if self.chain else message

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        if self.chain:
            return str(self.chain[0][1].npgettext(context, msgid1, msgid2, n))
        return msgid1 if n == 1 else msgid2


def ui_texts(
    translations: Mapping[str, Translations], fallback_order: Mapping[str, Sequence[str]]
) -> dict[str, UiText]:
    """A :class:`UiText` per language: its own catalogue, then those of ``fallback_order``."""
    result = {}
    for lang, own in translations.items():
        chain = [(lang, own)]
        chain += [(c, translations[c]) for c in fallback_order[lang] if c in translations]
        result[lang] = UiText(lang, chain)
    return result
