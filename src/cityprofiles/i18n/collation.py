"""Names in the order readers of a language look for them: the Unicode Collation Algorithm.

Lists of cities and networks are ordered by their names as shown on the page, not by
folder name. A name is compared as the Unicode Collation Algorithm does with its default
table (DUCET, through ``pyuca``, pure Python): accents sort with their base letters
(Évora with the E's, Ghent and Gent side by side), capitals right after lower case, and a
space before any letter, so "Den Haag" comes before "Denekamp" as in ICU's default.

Two rules on top, as readers expect them: punctuation in front of a name is skipped
(quotes, brackets), and in Dutch the contracted article of a place name is too, so
"'s-Hertogenbosch" sorts under H and "'t Zandt" under Z, as Dutch lists and registers
have them (in English the name sorts under S).

Why not PyICU, which knows every language's own tailoring (Swedish å after z, Spanish ñ)?
It has no wheels on PyPI and needs a compiler and ICU's headers to install, which the
project's locked, compile-free installation on a fresh Debian machine does not allow.
The default table covers the languages of the sites this is made for (English, Dutch,
French, German); a tailored language sorts its few special letters with their base
letters instead.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from pyuca.collator import BaseCollator

T = TypeVar("T")
SortKey = tuple[tuple[int, ...], str]

# The contracted articles of Dutch place names: 's (des) and 't (het), after an apostrophe
# of any shape, then a hyphen or a space.
_DUTCH_ARTICLE = re.compile(r"^['’‘`]\s*[st]\b[-\s]*", re.IGNORECASE)
ARTICLE_LANGUAGES = frozenset({"nl", "li", "fy"})
"""Languages whose lists skip the contracted article: Dutch, Limburgish, Frisian."""


@functools.cache
def _collator() -> BaseCollator:
    """The collator with the newest table pyuca ships (loaded once: 0.1 s)."""
    from pyuca.collator import Collator_10_0_0

    return Collator_10_0_0()


def for_sorting(name: str, lang: str) -> str:
    """The part of ``name`` that decides its place in a list of language ``lang``.

    >>> for_sorting("'s-Hertogenbosch", "nl"), for_sorting("'s-Hertogenbosch", "en")
    ('Hertogenbosch', 's-Hertogenbosch')
    >>> for_sorting("’t Zandt", "nl"), for_sorting('"Gent"', "en")
    ('Zandt', 'Gent"')
    """
    if lang.split("_")[0].split("-")[0].lower() in ARTICLE_LANGUAGES:
        stripped = _DUTCH_ARTICLE.sub("", name)
        if stripped:
            name = stripped
    start = 0
    while start < len(name) and unicodedata.category(name[start])[0] not in "LN":
        start += 1
    return name[start:] or name


COLLATION_TABLE = "pyuca Collator_10_0_0"
"""The table the keys come from: remembered keys of another table are not used."""

_keys: dict[str, tuple[int, ...]] = {}
"""The collation key of each text sorted so far, or remembered from the last build."""


def _collation_key(text: str) -> tuple[int, ...]:
    found = _keys.get(text)
    if found is None:
        found = _keys[text] = tuple(_collator().sort_key(text))
    return found


def known_keys() -> dict[str, tuple[int, ...]]:
    """Every text's collation key made or learnt in this process (for the build cache:
    the next build then needs no collator, whose table takes 0.17 s to load, unless a
    name changed)."""
    return dict(_keys)


def learn_keys(keys: dict[str, tuple[int, ...]]) -> None:
    """Take keys a build made before (:data:`COLLATION_TABLE`'s, checked by the caller)."""
    for text, key in keys.items():
        _keys.setdefault(text, key)


@functools.lru_cache(maxsize=1 << 16)
def sort_key(name: str, lang: str) -> SortKey:
    """A key that orders names as readers of ``lang`` expect (ties: the name as written).

    >>> names = ["Zwolle", "Évora", "Eindhoven", "'s-Hertogenbosch", "Gent", "Den Haag"]
    >>> sorted(names, key=lambda n: sort_key(n, "nl"))
    ['Den Haag', 'Eindhoven', 'Évora', 'Gent', "'s-Hertogenbosch", 'Zwolle']
    """
    # Remembered: every list page sorts the same names again (pure Python, 40 µs a name;
    # a city saved in the editor re-renders a dozen lists of 1 000 cities).
    return (_collation_key(for_sorting(name, lang)), name)


def by_name(items: Iterable[T], name: Callable[[T], str], lang: str) -> list[T]:
    """``items`` ordered by ``name(item)`` for readers of ``lang`` (stable for equal names)."""
    keyed = [(sort_key(name(item), lang), index, item) for index, item in enumerate(items)]
    keyed.sort(key=lambda entry: (entry[0], entry[1]))
    return [item for _, _, item in keyed]
