"""Filters bound to one page language: translated fields with visible fallbacks, numbers,
dates, country and language names, phone numbers (Babel, never the process locale)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from cityprofiles.i18n import Localized, UiText, pick
from cityprofiles.model import Language, Site
from cityprofiles.render.fallback_marks import lang_attributes, mark_text


def N_(message: str) -> str:  # the name gettext tools look for
    """Mark ``message`` for extraction into the catalogues; it is translated where used."""
    return message


FALLBACK_NOTE = N_("in %(language)s, not yet translated")
"""The note after a passage shown in a fallback language (see ``fallback_note``)."""


class LanguageTools:
    """Filters bound to one page language: translated fields, numbers, dates, names."""

    def __init__(self, site: Site, language: Language, translations: UiText) -> None:
        self.site = site
        self.language = language
        self.lang = language.code
        self.direction = language.direction
        self.locale = Locale.parse(language.locale)
        self.order = site.fallback_order(language.code)
        self.ui = translations
        self.gettext = translations.gettext
        self._numbers: dict[tuple[type, float], str] = {}
        self._countries: dict[str, str] = {}

    def _pick(self, value: Mapping[str, str] | None) -> Localized | None:
        if value is None:
            return None
        return pick(value, self.lang, self.order)

    def text(self, value: Mapping[str, str] | None) -> str:
        """Plain text in the page language (or the fallback), for attributes and titles."""
        if isinstance(value, dict) and self.lang in value:
            return str(value[self.lang])  # the common case, without a Localized (~100 a page)
        found = self._pick(value)
        if found is None:
            return ""
        # marked: in running text it gets its lang, in an attribute it stays plain text
        return mark_text(found.text, found.lang) if found.fallback else found.text

    def fallback_note(self, lang: str) -> Markup:
        """The visible note that a passage (in ``lang``) is not yet translated.

        The note is wholly in one language: the page's when its catalogue translates the
        note, otherwise the language the note falls back to (marked as such), with the
        passage's language named in that same language: never "in Englisch, not yet
        translated"."""
        message, note_lang = self.ui.lookup(FALLBACK_NOTE)
        configured = {language.code: language for language in self.site.languages}
        locale = configured[note_lang].locale if note_lang in configured else note_lang
        note = message % {"language": self.site.language(lang).name_in(locale)}
        return Markup('<span class="cp-fallback-note"{}>({})</span>').format(
            lang_attributes(note_lang, self.direction), note
        )

    def tr(self, value: Mapping[str, str] | None) -> Markup:
        """Inline text; a fallback is wrapped with its real ``lang`` and a visible note."""
        if isinstance(value, dict) and self.lang in value:
            return escape(value[self.lang])
        found = self._pick(value)
        if found is None:
            return Markup("")
        if not found.fallback:
            return escape(found.text)
        return Markup("<span{}>{}</span> {}").format(
            lang_attributes(found.lang, self.direction),
            found.text,
            self.fallback_note(found.lang),
        )

    def block(self, value: Localized | Mapping[str, str] | None, shift: int = 0) -> Markup:
        """Sanitised HTML prose (already cleaned by the markup stage), with fallback marking.

        ``shift`` moves the prose's headings down, so prose placed inside a section with its
        own ``h2`` nests under it (``##`` becomes ``h3``) instead of reading as a sibling.
        """
        found = value if isinstance(value, Localized) or value is None else self._pick(value)
        if found is None:
            return Markup("")
        text = shift_headings(found.text, shift) if shift else found.text
        html = Markup(text)  # noqa: S704 - produced by markup.MarkdownRenderer (nh3-cleaned)
        if not found.fallback:
            return html
        return Markup('<div{} class="cp-fallback"><p>{}</p>{}</div>').format(
            lang_attributes(found.lang, self.direction), self.fallback_note(found.lang), html
        )

    def headings(self, value: Mapping[str, str] | None) -> list[Markup]:
        """The headings of sanitised prose in the page language, as a foldaway part's teaser;
        from a fallback language, each marked with its ``lang`` and the last with the note."""
        found = self._pick(value)
        if found is None:
            return []
        # nh3-cleaned HTML (markup stage) with its tags removed: escaped text only
        texts = (_TAG.sub("", m[1]).strip() for m in _HEADING_TEXT.finditer(found.text))
        titles = [Markup(t) for t in texts]  # noqa: S704
        if found.fallback and titles:
            marked = [Markup('<span lang="{}">{}</span>').format(found.lang, t) for t in titles]
            marked[-1] = Markup("{} {}").format(marked[-1], self.fallback_note(found.lang))
            return marked
        return titles

    def number(self, value: float) -> str:
        """``350000`` -> ``350,000`` (en) or ``350.000`` (nl): remembered, as each city's
        figures appear on several pages and Babel takes ~15 µs a number."""
        key = (type(value), value)
        found = self._numbers.get(key)
        if found is None:
            found = self._numbers[key] = str(format_decimal(value, locale=self.locale))
        return found

    def date(self, value: dt.date, form: str = "long") -> str:
        """A date in the page locale: ``23 November 2026`` (en_GB), ``23 november 2026`` (nl)."""
        return str(format_date(value, format=form, locale=self.locale))

    def time(self, value: dt.date, form: str = "long") -> Markup:
        """The date as a ``<time>`` element, readable by people and by machines."""
        return Markup('<time datetime="{}">{}</time>').format(
            value.isoformat(), self.date(value, form)
        )

    def country(self, code: str) -> str:
        """An ISO country code as a name in the page language."""
        found = self._countries.get(code)
        if found is None:
            found = self._countries[code] = str(self.locale.territories.get(code, code))
        return found

    def language_name(self, code: str) -> str:
        return str(self.locale.languages.get(code, code))

    def phone(self, e164: str) -> str:
        return international_phone(e164)


@functools.lru_cache(maxsize=4096)
def international_phone(e164: str) -> str:
    """``+31302860000`` -> ``+31 30 286 0000``: the same in every language, so each number
    is formatted once per process (phonenumbers takes ~50 µs a number)."""
    import phonenumbers

    parsed = phonenumbers.parse(e164, None)
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b")
_HEADING_TEXT = re.compile(r"<h[1-6]\b[^>]*>(.*?)</h[1-6]>", re.S)
_TAG = re.compile(r"<[^>]+>")


def shift_headings(html: str, by: int) -> str:
    """Move every heading ``by`` levels down, no deeper than ``h6``.

    >>> shift_headings("<h2 id='a'>A</h2><h3>B</h3>", 1)
    "<h3 id='a'>A</h3><h4>B</h4>"
    """
    return _HEADING_TAG.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + by, 6)}", html)


@functools.lru_cache(maxsize=64)
def og_locale(locale: str) -> str:
    """A locale as Open Graph wants it, language and territory: ``nl`` -> ``nl_NL``.

    A locale without a territory gets its most likely one from CLDR (``en`` -> ``en_US``);
    set ``locale: en_GB`` in site.yaml to choose another. Cached: every page asks, and
    Babel reads its locale data from disk on each parse (10 % of a cold build's time).
    """
    from babel.core import get_global

    likely: Mapping[str, str] = get_global("likely_subtags")
    parsed = Locale.parse(likely.get(locale, locale) if "_" not in locale else locale)
    return f"{parsed.language}_{parsed.territory}" if parsed.territory else parsed.language
