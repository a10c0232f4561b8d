"""UI strings that fall back like content: the page language's catalogue, then the default
language's, then the site's other languages', and finally English, the language the
strings are written in. The page marks a string shown in another language with that
language (:mod:`cityprofiles.render.fallback_marks`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from gettext import NullTranslations

from babel.support import Translations

from cityprofiles.i18n.catalogues import SOURCE_LANGUAGE


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
