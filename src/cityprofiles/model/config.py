"""Site configuration (``content/site.yaml``): languages, URLs, titles.

Validated like content: unknown keys get a did-you-mean, every error a position.
Each option is documented where it is declared; ``docs/configuration.md`` mirrors it.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from cityprofiles.content import package_data
from cityprofiles.model.cms_settings import CmsSettings
from cityprofiles.model.fields import LANG_PATTERN, SLUG_PATTERN, Model, Name, Text, check_url

SEGMENT_KEYS = (
    "cities",
    "networks",
    "goals",
    "accessibility",
    "about",
    "compare",
    "data",
    "search",
)

REVIEW_AFTER_MONTHS = 12
"""How long a profile's review lasts when site.yaml does not say (``review_after``)."""


class LanguageConfig(Model):
    """One language of the site."""

    code: str = Field(pattern=LANG_PATTERN, description="ISO 639 code, e.g. en, nl, de")
    locale: str | None = Field(
        None,
        description="Babel locale for dates and numbers on pages, feeds and fact sheets, "
        "e.g. en_GB (23 November 2026), en_US (November 23, 2026), nl_NL or nl_BE "
        "(default: the code)",
    )
    segments: dict[str, Annotated[str, Field(pattern=SLUG_PATTERN)]] = Field(
        default_factory=dict,
        description="Translated URL segments, e.g. {cities: staedte}; keys: "
        + ", ".join(SEGMENT_KEYS),
    )

    @field_validator("segments")
    @classmethod
    def _known_segments(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(SEGMENT_KEYS))
        if unknown:
            close = difflib.get_close_matches(unknown[0], SEGMENT_KEYS, n=1, cutoff=0.6)
            hint = (
                f"did you mean {close[0]!r}?"
                if close
                else "the segments are " + ", ".join(SEGMENT_KEYS)
            )
            raise PydanticCustomError(
                "unknown_segment",
                "unknown URL segment '{key}'; {hint}",
                {"key": unknown[0], "hint": hint},
            )
        return value


def _code_or_entry(schema: dict[str, Any]) -> None:
    """In the JSON Schema, a language is a bare code or an entry (as ``_codes`` accepts)."""
    schema["items"] = {"anyOf": [{"type": "string", "pattern": LANG_PATTERN}, schema["items"]]}


class SiteConfig(Model):
    """``content/site.yaml``."""

    title: Text = Field(description="Site title per language")
    tagline: Text = Field(description="One line under the title, per language")
    publisher: Name = Field(description="Who publishes the site, e.g. Gemeente Utrecht")
    base_url: str = Field(description="Public address of the site, e.g. https://example.org/")
    languages: list[LanguageConfig] = Field(
        min_length=1,
        description="Languages in menu order: codes, or {code, locale, segments}",
        json_schema_extra=_code_or_entry,
    )
    default_language: str | None = Field(
        None, pattern=LANG_PATTERN, description="Fallback language (default: the first one)"
    )
    directory_urls: bool = Field(
        True, description="Link to folders (/en/cities/) rather than files (…/index.html)"
    )
    data_licence: str = Field("CC-BY-4.0", description="SPDX id of the licence of the open data")
    max_file_kb: int = Field(1024, gt=0, le=65536, description="Largest content file accepted")
    review_after: int | None = Field(
        REVIEW_AFTER_MONTHS,
        ge=1,
        le=120,
        description="Months after a city's last_reviewed that its profile is due for review "
        "again (check warns, check --strict fails); null: never",
    )
    cms: CmsSettings | None = Field(
        None, description="Editing in the browser: the Git host and the editor's language"
    )

    @field_validator("languages", mode="before")
    @classmethod
    def _codes(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"code": v} if isinstance(v, str) else v for v in value]
        return value

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        check_url(value)
        return value if value.endswith("/") else value + "/"


@dataclass(frozen=True)
class Language:
    """A configured language, with what rendering needs to know about it."""

    code: str
    locale: str
    segments: dict[str, str] = field(default_factory=dict)

    @cached_property
    def native_name(self) -> str:
        """The language's name in itself, e.g. ``Nederlands``: the language alone, so
        ``nl_BE`` is ``Nederlands`` in the switcher, not ``Nederlands (België)``."""
        from babel import Locale

        name = Locale.parse(self.locale).get_language_name(self.locale) or self.code
        return name[:1].upper() + name[1:]

    @cached_property
    def direction(self) -> str:
        """``ltr`` or ``rtl``: how the language is written, for ``dir`` on its pages."""
        return text_direction(self.locale)

    def name_in(self, other: str) -> str:
        """The language's name in another locale, e.g. ``Engels`` for en in nl."""
        from babel import Locale

        name = Locale.parse(self.locale).get_language_name(other) or self.code
        return str(name)


@functools.lru_cache(maxsize=256)
def text_direction(lang: str) -> str:
    """``rtl`` or ``ltr``: how a language is written (CLDR, through Babel).

    >>> text_direction("ar"), text_direction("de")
    ('rtl', 'ltr')
    """
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(lang).text_direction)
    except (ValueError, UnknownLocaleError):
        return "ltr"


def default_segments() -> dict[str, dict[str, str]]:
    """The URL segments shipped for known languages (``data/languages.yaml``)."""
    data: dict[str, dict[str, str]] = package_data("data/languages.yaml")
    return data


def resolve_languages(config: SiteConfig) -> tuple[Language, ...]:
    """Turn the configured language entries into :class:`Language` objects."""
    known = default_segments()
    result = []
    for item in config.languages:
        segments = dict(known["en"])
        segments.update(known.get(item.code, {}))
        segments.update(item.segments)
        result.append(Language(item.code, item.locale or item.code, segments))
    return tuple(result)
