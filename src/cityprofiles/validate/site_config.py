"""``content/site.yaml``: the site's languages, read first, since every other file is
checked against them."""

from __future__ import annotations

import re
from typing import Any

from cityprofiles.content import DataPath, YamlDocument
from cityprofiles.model import LANG_PATTERN, Language, SiteConfig, resolve_languages
from cityprofiles.validate.model_errors import validated
from cityprofiles.validate.problems import Collector
from cityprofiles.validate.translations import check_translations

SiteSettings = tuple[SiteConfig | None, tuple[Language, ...], str]
"""The configuration (``None`` when it is broken), the languages and the default one."""


def check_site_config(collector: Collector, doc: YamlDocument | None) -> SiteSettings:
    """Validate ``site.yaml``; set ``collector.languages`` as soon as they are known."""
    if doc is None:
        return None, (), "en"
    collector.languages = _language_codes(doc.data) or collector.languages
    config: SiteConfig | None = validated(collector, SiteConfig, doc, doc.data)
    if config is None:
        return None, (), "en"
    collector.review_after = config.review_after
    languages = resolve_languages(config)
    codes = [lang.code for lang in languages]
    for index, code in enumerate(codes):
        if code in codes[:index]:
            where: DataPath = ("languages", index)
            message = f"language '{code}' is listed twice"
            collector.error(doc.source, doc.mark(where), where, message, "duplicate")
    default: str = config.default_language or codes[0]
    if default not in codes:
        where = ("default_language",)
        message = (
            f"default language '{default}' is not one of the site's languages ({', '.join(codes)})"
        )
        collector.error(doc.source, doc.mark(where), where, message, "unknown-language")
    for index, lang in enumerate(languages):
        _check_language(collector, doc, index, lang)
    check_translations(collector, doc.source, doc, config, ())
    return config, languages, default


def _language_codes(raw: Any) -> tuple[str, ...]:
    """The language codes, when the list is fully valid (otherwise site.yaml's own error is
    enough: no "unknown language" in every other file)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("languages"), list):
        return ()
    codes = [
        v if isinstance(v, str) else v.get("code") if isinstance(v, dict) else None
        for v in raw["languages"]
    ]
    if all(isinstance(c, str) and re.match(LANG_PATTERN, c) for c in codes):
        return tuple(dict.fromkeys(c for c in codes if isinstance(c, str)))
    return ()


def _check_language(collector: Collector, doc: YamlDocument, index: int, lang: Language) -> None:
    where: DataPath = ("languages", index)
    try:
        lang.native_name  # noqa: B018 - fails for a locale Babel does not know
    except (ValueError, LookupError):
        message = f"unknown locale '{lang.locale}'; use a code like en, nl or nl_BE"
        collector.error(doc.source, doc.mark(where), where, message, "unknown-language")
    else:
        if lang.locale.replace("-", "_").split("_")[0].lower() != lang.code:
            at: DataPath = ("languages", index, "locale")
            message = (
                f"locale '{lang.locale}' is for another language than '{lang.code}'; "
                f"use '{lang.code}' or a regional form of it, e.g. "
                f"'{_regional_locale(lang.code)}'"
            )
            collector.error(doc.source, doc.mark(at), at, message, "unknown-language")
    segments = list(lang.segments.values())
    dupes = sorted({s for s in segments if segments.count(s) > 1})
    if dupes:
        message = f"two URL segments are both '{dupes[0]}'"
        collector.error(doc.source, doc.mark(where), where, message, "duplicate")


def _regional_locale(code: str) -> str:
    """The most likely regional locale of a language, for messages (``nl`` -> ``nl_NL``).

    >>> _regional_locale("nl"), _regional_locale("sv")
    ('nl_NL', 'sv_SE')
    """
    from babel import Locale
    from babel.core import get_global

    try:
        territory = Locale.parse(get_global("likely_subtags").get(code, code)).territory
    except (ValueError, LookupError):
        territory = None
    return f"{code}_{territory}" if territory else code
