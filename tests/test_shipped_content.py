"""The site shipped in content/ is complete: strict check passes in every language, and
every fact of every city is on its page in both languages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest

from cityprofiles.model import Site
from cityprofiles.pipeline import build, load_site
from cityprofiles.render import Router
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


# -- every seed fact on its city page --------------------------------------------------

SHOWN_ELSEWHERE = {"coordinates", "slug"}
"""Fields a city page does not print as text: the map position and the URL name."""


def _facts(value: object, lang: str, key: str = "") -> Iterator[tuple[str, str]]:
    """Every fact of a city's data as (field, text a reader sees), in the page language."""
    if isinstance(value, dict):
        if value and set(value) <= {"en", "nl"}:  # a translated text
            yield key, str(value.get(lang) or value["en"])
            return
        for name, item in value.items():
            if name not in SHOWN_ELSEWHERE:
                yield from _facts(item, lang, name)
    elif isinstance(value, list):
        for item in value:
            yield from _facts(item, lang, key)
    elif isinstance(value, str) and key in ("email", "name", "phone_local", "format", "size"):
        yield key, value
    elif isinstance(value, int) and key in ("year", "since", "start", "end", "as_of", "goal"):
        yield key, str(value)


@pytest.fixture(scope="module")
def shipped_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("shipped") / "build"
    build(REPO, out, search=False)
    return out


def _text(html: str) -> str:
    """The page's text as a reader gets it: tags gone, entities decoded, spaces collapsed."""
    body = html[html.index("<main") : html.index("</main>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_seed_fact_is_on_its_city_page(shipped_pages: Path, lang: str) -> None:
    site, _ = load_site(REPO)
    router = Router(site)
    missing = []
    for city in site.cities:
        html = (shipped_pages / router.get("city", city.id, lang).output).read_text("utf-8")
        text = _text(html)
        data = city.model_dump(mode="json", exclude={"narrative"})
        for key, fact in _facts(data, lang):
            if " ".join(fact.split()) not in text:
                missing.append(f"{city.id} ({lang}) {key}: {fact[:60]}")
        for url in re.findall(r"https?://[^'\"\s]+", json.dumps(data)):
            if f'href="{url}"' not in html:
                missing.append(f"{city.id} ({lang}) link: {url}")
        for part in re.split(r"<h[1-6][^>]*>|</h[1-6]>|<p>|</p>|<li>|</li>", city.narrative[lang]):
            words = " ".join(unescape(re.sub(r"<[^>]+>", " ", part)).split())
            if words and words not in text:
                missing.append(f"{city.id} ({lang}) narrative: {words[:60]}")
        if city.population and _number(site, lang, city.population.value) not in text:
            missing.append(f"{city.id} ({lang}) population")
    assert not missing, "\n".join(missing)


def _number(site: Site, lang: str, value: int) -> str:
    """A figure as the page writes it (350,000 or 350.000)."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=site.language(lang).locale))
