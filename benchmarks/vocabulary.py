"""A realistic vocabulary for the benchmark corpus: many words, drawn with Zipf's law.

The corpus's original word lists (:data:`benchmarks.corpus._EN`, ``_NL``) hold ~60 words,
so every page holds every word and every search matches every page, which no real site
does. Here each language has :data:`SIZE` words in rank order: function words first, the
benchmark's query words at fixed ranks (so a query matches a known share of the pages,
from most of them to a few), and made-up words in between. A word of rank ``r`` is drawn
with a weight of ``1 / r`` (Zipf's law with exponent 1, as in natural text).

With ~850 drawn words on a city page, a word of rank ``r`` is on about
``1 - exp(-850 / (H * r))`` of the city pages (``H`` ≈ 10.9, the harmonic number of
:data:`SIZE`): rank 40 ~85 %, 150 ~40 %, 400 ~18 %, 1 000 ~7 %, 3 000 ~2.6 %,
10 000 ~0.8 %. ``python -m benchmarks.search_latency`` prints the share it measured.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence
from functools import cache

SIZE = 30_000
"""Words a language's vocabulary holds."""

_FUNCTION = {
    "en": [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "for",
        "with",
        "on",
        "is",
        "its",
        "that",
        "by",
        "from",
        "as",
        "are",
        "at",
        "this",
        "be",
        "city",
        "has",
        "an",
        "or",
        "was",
        "which",
        "their",
        "it",
        "also",
        "more",
        "other",
        "new",
    ],
    "nl": [
        "de",
        "van",
        "en",
        "het",
        "in",
        "een",
        "voor",
        "met",
        "op",
        "is",
        "dat",
        "door",
        "aan",
        "als",
        "zijn",
        "bij",
        "dit",
        "stad",
        "heeft",
        "of",
        "was",
        "die",
        "hun",
        "ook",
        "meer",
        "andere",
        "nieuwe",
        "te",
    ],
}
#: The words :mod:`benchmarks.search_latency` searches for, at the rank each gets.
QUERY_RANKS = {
    "en": {"climate": 40, "energy": 150, "housing": 400, "council": 1000, "universities": 3000},
    "nl": {"klimaat": 40, "energiewijken": 150, "wonen": 400, "raad": 1000, "universiteiten": 3000},
}
#: Real words that make the text read like the subject (spread over the first ranks).
_TOPIC = {
    "en": [
        "partners",
        "Europe",
        "health",
        "mobility",
        "culture",
        "international",
        "office",
        "supports",
        "local",
        "firms",
        "residents",
        "learn",
        "places",
        "projects",
        "clean",
        "districts",
        "inclusive",
        "public",
        "services",
        "reviews",
        "progress",
        "year",
        "citizens",
        "share",
        "knowledge",
        "data",
        "practical",
        "tools",
        "better",
        "policy",
        "water",
        "transport",
        "schools",
        "youth",
        "heritage",
        "trade",
        "tourism",
        "innovation",
        "jobs",
        "safety",
        "food",
        "waste",
        "circular",
        "digital",
        "science",
        "students",
        "refugees",
        "twinning",
        "exchange",
    ],
    "nl": [
        "partners",
        "Europa",
        "gezondheid",
        "mobiliteit",
        "cultuur",
        "internationale",
        "bureau",
        "ondersteunt",
        "lokale",
        "bedrijven",
        "inwoners",
        "leren",
        "plaatsen",
        "projecten",
        "schone",
        "wijken",
        "inclusieve",
        "publieke",
        "diensten",
        "bespreekt",
        "voortgang",
        "jaar",
        "burgers",
        "delen",
        "kennis",
        "gegevens",
        "praktische",
        "hulpmiddelen",
        "beter",
        "beleid",
        "water",
        "vervoer",
        "scholen",
        "jongeren",
        "erfgoed",
        "handel",
        "toerisme",
        "innovatie",
        "banen",
        "veiligheid",
        "voedsel",
        "afval",
        "circulaire",
        "digitale",
        "wetenschap",
        "studenten",
        "vluchtelingen",
        "uitwisseling",
    ],
}
# Syllables of the made-up words: none of the city names' syllables, so a made-up word
# never spells a city.
_SYLLABLES = [
    "pra",
    "tol",
    "mi",
    "sun",
    "cor",
    "vex",
    "la",
    "qui",
    "nor",
    "bri",
    "fa",
    "stu",
    "ti",
    "mo",
    "ga",
    "ple",
    "ru",
    "dwe",
    "ka",
    "si",
    "ob",
    "ny",
    "cha",
    "fro",
    "pi",
    "tur",
    "vo",
    "sa",
    "gri",
    "lu",
    "em",
    "ost",
    "bo",
    "nia",
]


@cache
def vocabulary(lang: str) -> tuple[str, ...]:
    """The :data:`SIZE` words of ``lang`` in rank order (the same on every run)."""
    rng = random.Random(f"vocabulary-{lang}")
    fixed = {rank: word for word, rank in QUERY_RANKS[lang].items()}
    known = set(_FUNCTION[lang]) | set(_TOPIC[lang]) | set(fixed.values())
    made_up = (w for w in _made_up(rng) if w not in known)
    topic = iter(_TOPIC[lang])
    words: list[str] = list(_FUNCTION[lang])
    while len(words) < SIZE:
        rank = len(words) + 1
        if rank in fixed:
            words.append(fixed[rank])
        elif rank % 7 == 0:  # a real word among the made-up ones, in the first ~500 ranks
            words.append(next(topic, None) or next(made_up))
        else:
            words.append(next(made_up))
    return tuple(words)


def _made_up(rng: random.Random) -> Iterator[str]:
    """Distinct pronounceable made-up words of 2-4 syllables, in a seeded order."""
    seen: set[str] = set()
    while True:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            yield word


@cache
def weights(size: int = SIZE) -> tuple[float, ...]:
    """Cumulative Zipf weights (``1 / rank``) of ranks 1 … ``size``."""
    return tuple(itertools.accumulate(1.0 / rank for rank in range(1, size + 1)))


def draw(rng: random.Random, words: Sequence[str], count: int) -> list[str]:
    """``count`` words of ``words`` (in rank order), drawn with Zipf's law."""
    return rng.choices(words, cum_weights=weights(len(words)), k=count)
