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


def test_a_build_keeps_the_names_collation_keys_as_data_for_the_next_process(
    make_site: MakeSite,
) -> None:
    """A one-narrative build loads no collator when no name changed (its table takes
    0.17 s to read); the keys are a JSON file of integers, and one that is not exactly
    that is ignored."""
    import json
    import os
    import subprocess
    import sys

    from cityprofiles.cache import collation_keys_path, load_collation_keys
    from cityprofiles.i18n import COLLATION_TABLE
    from conftest import SRC

    root = make_site()
    build(root, root / "build", search=False)
    path = collation_keys_path(root)
    keys = load_collation_keys(path, COLLATION_TABLE)
    assert keys and all(isinstance(n, int) for key in keys.values() for n in key)
    assert load_collation_keys(path, "another table") == {}

    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from cityprofiles.pipeline import build\n"
        "build(Path('.'), Path('build'), search=False)\n"
        "print('pyuca' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}

    def edit_and_build() -> str:
        narrative = next((root / "content/cities").glob("*/narrative.en.md"))
        narrative.write_text(narrative.read_text("utf-8") + "\nOne more line.\n", "utf-8")
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    assert edit_and_build() == "False"  # every name's key came from the file
    data = json.loads(path.read_text("utf-8"))
    data["keys"][next(iter(data["keys"]))] = ["__import__('os').system('false')"]
    path.write_text(json.dumps(data), "utf-8")
    assert load_collation_keys(path, COLLATION_TABLE) == {}
    assert edit_and_build() == "True"  # the planted file is ignored: the collator is back
    remade = load_collation_keys(path, COLLATION_TABLE)  # and the file is made again
    assert remade and all(keys[text] == key for text, key in remade.items())
