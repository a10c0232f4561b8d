"""Countries by their ISO 3166-1 codes, with their names in any language (CLDR, through
Babel, which the site already uses to show the names on its pages).

A code is valid when CLDR knows it as a territory where people live: the ISO 3166-1
alpha-2 codes, plus ``XK`` (Kosovo, as the EU and CLDR use it) and the few codes ISO
reserves for places such as the Canary Islands (``IC``). Groupings (``EU``, ``UN``) and
``ZZ`` (unknown) are not countries. A wrong value gets a message with the fix: the code
of a country written by name, the current code of an old one (``UK`` -> ``GB``), capitals
for a code in lower case.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

_CODE = re.compile(r"^[A-Z]{2}$")
UNKNOWN = "ZZ"


@functools.cache
def country_codes() -> frozenset[str]:
    """Every code a city's ``country`` may have."""
    from babel.core import get_global

    spoken = get_global("territory_languages")
    return frozenset(code for code in spoken if _CODE.match(code) and code != UNKNOWN)


@functools.lru_cache(maxsize=1024)
def country_name(code: str, locale: str = "en") -> str:
    """The name of a country in ``locale``; the code itself when CLDR has none.

    >>> country_name("NL"), country_name("NL", "nl"), country_name("BE", "fr")
    ('Netherlands', 'Nederland', 'Belgique')
    """
    from babel import Locale

    return str(Locale.parse(locale).territories.get(code, code))


def country_problem(value: str, languages: Iterable[str] = ()) -> str | None:
    """What is wrong with ``value`` as a country code, with the fix; ``None`` when it is one.

    >>> country_problem("NL") is None
    True
    >>> country_problem("nl")
    "write the country code in capitals: 'NL' (Netherlands)"
    >>> country_problem("UK")
    "'UK' is not an ISO 3166 country code; use 'GB' (United Kingdom)"
    >>> country_problem("Belgium")
    "'Belgium' is a country's name; write its two-letter code: 'BE'"
    """
    codes = country_codes()
    if value in codes:
        return None
    if value.upper() in codes:
        upper = value.upper()
        return f"write the country code in capitals: '{upper}' ({country_name(upper)})"
    renamed = _renamed(value.upper())
    if renamed:
        choices = " or ".join(f"'{code}' ({country_name(code)})" for code in renamed)
        return f"'{value}' is not an ISO 3166 country code; use {choices}"
    named = _code_named(value, ("en", *languages))
    if named is not None:
        return f"'{value}' is a country's name; write its two-letter code: '{named}'"
    return (
        f"'{value}' is not an ISO 3166 country code; write the country's two-letter code, "
        "e.g. NL for the Netherlands or BE for Belgium"
    )


def _renamed(code: str) -> list[str]:
    """The current codes of an old or unofficial one (``UK`` -> ``GB``, ``YU`` -> RS, ME)."""
    from babel.core import get_global

    aliases: Mapping[str, list[str]] = get_global("territory_aliases")
    return [c for c in aliases.get(code, []) if c in country_codes()] if _CODE.match(code) else []


def _code_named(name: str, locales: Iterable[str]) -> str | None:
    """The code of the country called ``name`` in one of ``locales`` (in any case, with or
    without "the")."""
    wanted = name.casefold().strip().removeprefix("the ")
    for locale in dict.fromkeys(locales):
        found = _codes_by_name(locale).get(wanted)
        if found is not None:
            return found
    return None


@functools.lru_cache(maxsize=16)
def _codes_by_name(locale: str) -> dict[str, str]:
    """Country names in ``locale``, folded for comparison, with their codes."""
    from babel import Locale, UnknownLocaleError

    try:
        territories = Locale.parse(locale).territories
    except (ValueError, UnknownLocaleError):
        return {}
    return {str(territories[c]).casefold(): c for c in country_codes() if c in territories}
