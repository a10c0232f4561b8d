"""The site shipped in content/ is complete: strict check passes in every language."""

from __future__ import annotations

from conftest import REPO, run_cli


def test_shipped_site_passes_strict_check() -> None:
    result = run_cli("check", "--strict", REPO)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr


def test_shipped_site_has_the_three_cities_in_both_languages() -> None:
    for city in ("utrecht", "groningen", "ghent"):
        folder = REPO / "content" / "cities" / city
        assert (folder / "city.yaml").is_file()
        for lang in ("en", "nl"):
            text = (folder / f"narrative.{lang}.md").read_text(encoding="utf-8")
            assert len(text.split()) > 200, f"{city} narrative.{lang}.md is too short"
