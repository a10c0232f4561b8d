"""Lists of cities and networks in the order readers of the page's language expect, by the
names they show, not by folder name (``i18n/collation.py``, ``render/ordering.py``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cityprofiles.i18n import by_name, sort_key
from cityprofiles.pipeline import build
from conftest import CITY_YAML, NETWORKS_YAML, MakeSite


def ordered(names: list[str], lang: str) -> list[str]:
    return by_name(names, lambda name: name, lang)


def test_accents_sort_with_their_base_letters() -> None:
    names = ["Zagreb", "Évora", "Eindhoven", "Aarhus", "Ærø", "Łódź", "Lyon", "Esch", "Óbidos"]
    assert ordered(names, "en") == [
        "Aarhus",
        "Ærø",
        "Eindhoven",
        "Esch",
        "Évora",
        "Łódź",
        "Lyon",
        "Óbidos",
        "Zagreb",
    ]


def test_dutch_lists_skip_the_contracted_article() -> None:
    names = ["Zwolle", "'s-Hertogenbosch", "Gouda", "’s-Gravenhage", "'t Zandt", "Haarlem"]
    assert ordered(names, "nl") == [
        "Gouda",
        "’s-Gravenhage",
        "Haarlem",
        "'s-Hertogenbosch",
        "'t Zandt",
        "Zwolle",
    ]
    # in English the name sorts under S, as written; the apostrophe itself is skipped
    assert ordered(names, "en") == [
        "Gouda",
        "Haarlem",
        "’s-Gravenhage",
        "'s-Hertogenbosch",
        "'t Zandt",
        "Zwolle",
    ]


def test_case_and_spaces_decide_only_between_otherwise_equal_names() -> None:
    assert ordered(["Denekamp", "den Haag", "Den Haag", "Delft"], "nl") == [
        "Delft",
        "den Haag",
        "Den Haag",
        "Denekamp",
    ]


@pytest.mark.parametrize("lang", ["en", "nl", "de", "nl_BE"])
def test_letters_first_then_accents_then_case(lang: str) -> None:
    assert ordered(["B", "b", "á", "A", "a"], lang) == ["a", "A", "á", "b", "B"]
    assert sort_key("a", lang) < sort_key("á", lang) < sort_key("b", lang)


def _titles(page: Path) -> list[str]:
    html = page.read_text("utf-8")
    return re.findall(r'class="cp-card__title"><a [^>]*>([^<]*)<', html)


def test_pages_list_cities_by_their_name_in_the_page_language(make_site: MakeSite) -> None:
    cities = {
        "a-zwolle": "Zwolle",
        "den-bosch": '"\'s-Hertogenbosch"',
        "ghent": "{en: Ghent, nl: Gent}",
        "evora": "Évora",
        "aachen": "{en: Aachen, nl: Aken}",
        "den-haag": "{en: The Hague, nl: Den Haag}",
    }
    files: dict[str, str | None] = {
        "content/cities/alphen/city.yaml": None,
        "content/cities/alphen/narrative.en.md": None,
        "content/cities/alphen/narrative.nl.md": None,
    }
    for slug, name in cities.items():
        files[f"content/cities/{slug}/city.yaml"] = CITY_YAML.replace(
            "name: Alphen", f"name: {name}"
        )
        files[f"content/cities/{slug}/narrative.en.md"] = "Text.\n"
        files[f"content/cities/{slug}/narrative.nl.md"] = "Tekst.\n"
    root = make_site(files)
    out = root / "out"
    build(root, out, search=False)
    assert _titles(out / "en/cities/index.html") == [
        "Aachen",
        "Évora",
        "Ghent",
        "&#39;s-Hertogenbosch",
        "The Hague",
        "Zwolle",
    ]
    assert _titles(out / "nl/steden/index.html") == [
        "Aken",
        "Den Haag",
        "Évora",
        "Gent",
        "&#39;s-Hertogenbosch",
        "Zwolle",
    ]
    members = (out / "nl/netwerken/eurocities/index.html").read_text("utf-8")
    shown = [members.index(name) for name in ("Aken", "Den Haag", "Évora", "Gent", "Zwolle")]
    assert shown == sorted(shown)
    compare = (out / "en/compare/index.html").read_text("utf-8")
    rows = re.findall(r'<th scope="row"><a href="[^"]*">([^<]*)</a>', compare)
    assert rows == ["Aachen", "Évora", "Ghent", "&#39;s-Hertogenbosch", "The Hague", "Zwolle"]
    # addresses stay by folder name: the sitemap lists the cities in id order
    sitemap = (out / "sitemap.xml").read_text("utf-8")
    locs = re.findall(r"<loc>[^<]*/en/cities/([a-z-]+)/</loc>", sitemap)
    assert locs == sorted(cities)


def test_networks_are_listed_by_their_name(make_site: MakeSite) -> None:
    registry = NETWORKS_YAML.replace("name: Eurocities", "name: {en: Eurocities, nl: Zeurocities}")
    root = make_site({"content/networks.yaml": registry})
    out = root / "out"
    build(root, out, search=False)

    def names(page: str) -> list[str]:
        html = (out / page).read_text("utf-8")
        return re.findall(r'class="cp-entry__title"><a [^>]*>([^<]*)<', html)

    assert names("en/networks/index.html") == ["Eurocities", "POLIS"]
    assert names("nl/netwerken/index.html") == ["POLIS", "Zeurocities"]
