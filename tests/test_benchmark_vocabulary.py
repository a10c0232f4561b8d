"""The benchmark corpus's realistic vocabulary: deterministic, valid, and a query word is
on the share of pages its rank gives it, not on every page as with the small vocabulary."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.corpus import generate
from benchmarks.vocabulary import QUERY_RANKS, SIZE, vocabulary

from cityprofiles.pipeline import check

CITIES = 40


def texts(site: Path, lang: str) -> list[str]:
    """Each city's words in ``lang``: its narrative and its facts file."""
    return [
        (city / f"narrative.{lang}.md").read_text("utf-8") + (city / "city.yaml").read_text("utf-8")
        for city in sorted((site / "content/cities").iterdir())
    ]


def share(site: Path, lang: str, word: str) -> float:
    found = [t for t in texts(site, lang) if f" {word} " in f" {t.lower()} ".replace(".", " ")]
    return len(found) / CITIES


@pytest.fixture(scope="module")
def zipf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("zipf"), CITIES, seed=3, vocabulary="zipf")


def test_the_vocabularies_hold_their_query_words_at_their_ranks() -> None:
    for lang, ranks in QUERY_RANKS.items():
        words = vocabulary(lang)
        assert len(words) == len(set(words)) == SIZE
        assert all(words[rank - 1] == word for word, rank in ranks.items())


def test_a_zipf_corpus_is_deterministic_and_valid(zipf: Path, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", CITIES, seed=3, vocabulary="zipf")
    files = sorted(p.relative_to(zipf) for p in (zipf / "content").rglob("*") if p.is_file())
    assert files == sorted(
        p.relative_to(again) for p in (again / "content").rglob("*") if p.is_file()
    )
    assert all((zipf / f).read_bytes() == (again / f).read_bytes() for f in files)
    assert check(zipf) == []


def test_a_query_word_is_on_a_share_of_the_pages_that_falls_with_its_rank(
    zipf: Path, tmp_path: Path
) -> None:
    small = generate(tmp_path / "small", CITIES, seed=3)
    for lang, ranks in QUERY_RANKS.items():
        shares = [share(zipf, lang, word) for word, _ in sorted(ranks.items(), key=lambda x: x[1])]
        assert shares[0] > 0.6 and shares[-1] < 0.2, shares  # ranks 40 and 3 000
        assert shares == sorted(shares, reverse=True), shares
        # the small vocabulary puts each of its words on (nearly) every page
        assert share(small, lang, next(iter(ranks))) > 0.9


def test_an_unknown_vocabulary_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="vocabulary must be one of"):
        generate(tmp_path, 1, vocabulary="tiny")
