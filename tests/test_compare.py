"""The compare page at every size of site: a few cities in full (cards and tables), a dozen
with a goal matrix that grows down, hundreds summarised by country and goal.

Sites come from ``benchmarks.corpus`` (seeded, so the same every run); only the compare
page is rendered, in memory. The browser checks (nothing sticks out at 375 px, cards on
phones and tables on wide screens) are in ``test_web_quality.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from benchmarks.corpus import generate

from cityprofiles.i18n import sort_key
from cityprofiles.model import Site
from cityprofiles.pipeline import load_site, renderer_for
from cityprofiles.render import compare as layout
from cityprofiles.render.compare import country_summaries, goal_counts
from conftest import MakeSite

Compare = Callable[[str], str]


def _corpus(tmp_path_factory: pytest.TempPathFactory, cities: int) -> tuple[Site, Compare]:
    root = tmp_path_factory.mktemp(f"compare{cities}")
    generate(root, cities, seed=11)
    site, translations = load_site(root)
    renderer, _ = renderer_for(site, translations)

    def compare(lang: str) -> str:
        return renderer.render(renderer.router.get("compare", "", lang)).decode("utf-8")

    return site, compare


@pytest.fixture(scope="module")
def dozen(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Compare]:
    return _corpus(tmp_path_factory, 12)


@pytest.fixture(scope="module")
def sixty(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Compare]:
    return _corpus(tmp_path_factory, 60)


def _without_map(html: str) -> str:
    """The page without the map section (the map and its partner table are another
    part's concern and budget)."""
    start = html.index('<section aria-labelledby="map-heading"')
    return html[:start] + html[html.index("</section>", html.index("partners-table-heading")) :]


def test_a_few_cities_are_cards_on_phones_and_tables_on_wide_screens(
    make_site: MakeSite,
) -> None:
    from cityprofiles.pipeline import build

    root = make_site()
    build(root, root / "build", search=False)
    html = (root / "build/en/compare/index.html").read_text("utf-8")
    cards = html[html.index('<ul class="cp-compare-cards cp-narrow-only">') :]
    cards = cards[: cards.index("</ul>\n    <div")]
    assert cards.count("<article") == 1 and 'href="../cities/alphen/">Alphen</a></h3>' in cards
    assert "112,000 <span" in cards and "(2024)" in cards and "Eurocities" in cards
    assert '<div class="cp-table-wrap cp-wide-only"' in html
    assert html.count("cp-compare-table") == 1
    # the goal matrix: goals as rows on wide screens, a list of goals on phones
    assert '<table class="cp-table cp-matrix">' in html and "cp-matrix--by-city" not in html
    assert 'class="cp-goal-cities__none">Goals no city links to yet</h3>' in html


def test_from_seven_cities_the_goal_matrix_has_a_row_per_city(
    dozen: tuple[Site, Compare],
) -> None:
    site, compare = dozen
    html = compare("en")
    matrix = html[html.index('<table class="cp-table cp-matrix cp-matrix--by-city">') :]
    matrix = matrix[: matrix.index("</table>")]
    assert matrix.count('<th scope="row">') == len(site.cities) == 12
    assert matrix.count('<th scope="col">') == 18  # "City" and the 17 goals
    linked = sum(len(c.sdgs.goals) for c in site.cities if c.sdgs)
    assert matrix.count('class="cp-matrix__yes') == linked
    assert matrix.count('class="cp-matrix__no"') == 17 * 12 - linked
    # the phone's per-goal list names each linked city once per goal
    start = html.index('<ul class="cp-goal-cities">')
    listed = html[start : html.index("</ul>\n", start)]
    assert listed.count("../cities/") == linked


def test_every_goal_badge_names_its_goal_for_screen_readers(dozen: tuple[Site, Compare]) -> None:
    _, compare = dozen
    html = compare("nl")
    badges = re.findall(
        r'<a class="cp-sdg cp-sdg-(\d+)" href="[^"]+" aria-label="([^"]+)">(\d+)</a>', html
    )
    assert badges
    for number, label, text in badges:
        assert number == text and label.startswith(f"SDG {number}: "), label


def test_above_the_limit_the_page_summarises_by_country_and_goal(
    sixty: tuple[Site, Compare],
) -> None:
    site, compare = sixty
    assert len(site.cities) > layout.COMPARE_DETAIL_LIMIT
    html = compare("en")
    assert "cp-compare-cards" not in html and "cp-matrix" not in html
    countries = html[html.index('<table class="cp-table cp-table--stack cp-country-table">') :]
    countries = countries[: countries.index("</table>")]
    counts = re.findall(r'data-label="Cities">(\d+)</td>', countries)
    assert sum(map(int, counts)) == 60 and len(counts) == len({c.country for c in site.cities})
    # each city in one short row, under its country; a fold per country
    rows = html[html.index('<section aria-labelledby="overview-heading">') :]
    rows = rows[: rows.index("</section>")]
    assert rows.count('<tr><th scope="row">') == 60
    assert rows.count('<details class="cp-fold">') == len(counts)
    for city in site.cities:
        assert rows.count(f'href="../cities/{city.id}/"') == 1
    # the goal summary agrees with the goal pages
    for number, cities in site.cities_by_goal.items():
        assert f"{len(cities)} cities" in html or f"{len(cities)} city" in html, number
    assert 'href="../../data/cities.csv" download' in html and 'href="../data/"' in html


def test_a_large_site_costs_a_few_hundred_bytes_per_city(sixty: tuple[Site, Compare]) -> None:
    """Measured with the 1 000-city benchmark corpus: 342 KB without the map section."""
    site, compare = sixty
    for lang in ("en", "nl"):
        size = len(_without_map(compare(lang)).encode("utf-8"))
        assert size <= 30_000 + 400 * len(site.cities), (lang, size)


def test_above_the_row_limit_only_the_summaries_stay(
    sixty: tuple[Site, Compare], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, compare = sixty
    monkeypatch.setattr(layout, "COMPARE_ROWS_LIMIT", 59)
    html = compare("nl")
    rows = html[html.index('<section aria-labelledby="overview-heading">') :]
    rows = rows[: rows.index("</section>")]
    assert "<table" not in rows and "Het zijn te veel steden" in rows
    assert 'href="../../data/cities.csv" download' in rows and 'href="../steden/"' in rows


def test_countries_are_summed_and_named_in_the_page_language(
    sixty: tuple[Site, Compare],
) -> None:
    site, _ = sixty
    english = country_summaries(site, "en")
    dutch = country_summaries(site, "nl")
    assert [s.name for s in english] == sorted(
        (s.name for s in english), key=lambda name: sort_key(name, "en")
    )
    assert {s.country for s in english} == {s.country for s in dutch}
    germany = next(s for s in dutch if s.country == "DE")
    assert germany.name == "Duitsland"
    members = [c for c in site.cities if c.country == "DE"]
    assert germany.cities == tuple(sorted(members, key=lambda c: sort_key(c.name["nl"], "nl")))
    assert germany.population == sum(c.population.value for c in members if c.population)
    tally: dict[int, int] = {}
    for city in members:
        for link in city.sdgs.goals if city.sdgs else ():
            tally[link.goal] = tally.get(link.goal, 0) + 1
    assert list(germany.top_goals) == sorted(tally, key=lambda g: (-tally[g], g))[:3]


def test_goal_counts_give_the_share_in_the_page_locale(sixty: tuple[Site, Compare]) -> None:
    site, _ = sixty
    for lang, sign in (("en", "%"), ("nl", "%")):
        counts = goal_counts(site, lang)
        assert [c.goal.number for c in counts] == list(range(1, 18))
        for count in counts:
            assert count.cities == len(site.cities_by_goal[count.goal.number])
            assert count.share.endswith(sign) and 0 <= count.percent <= 100


def test_the_shipped_compare_page_links_the_open_data() -> None:
    from conftest import REPO

    site, translations = load_site(REPO)
    renderer, _ = renderer_for(site, translations)
    html = renderer.render(renderer.router.get("compare", "", "nl")).decode("utf-8")
    assert "Alle cijfers van alle steden zijn ook open data:" in html


def test_a_large_site_counts_partner_cities_per_country_and_links_every_row(
    sixty: tuple[Site, Compare],
) -> None:
    site, compare = sixty
    html = compare("en")
    section = html[html.index('<section aria-labelledby="map-heading"') :]
    section = section[: section.index("</section>")]
    assert "Partner cities per country" in section and "Partner cities as a table" not in section
    assert 'href="../../data/partners.csv" download' in section
    table = section[section.index("<tbody>") : section.index("</tbody>")]
    counted = [int(n) for n in re.findall(r'data-label="Partner cities">(\d+)</td>', table)]
    assert sum(counted) == sum(len(city.partners) for city in site.cities) > 0
    with_partners = re.findall(r'data-label="Cities with partner cities">(\d+)</td>', table)
    assert sum(map(int, with_partners)) == sum(1 for city in site.cities if city.partners)
    # no row per partnership: the page does not name the partners of each city
    assert table.count("<tr>") == len({city.country for city in site.cities})


def test_the_benchmark_compare_page_at_1000_cities_stays_under_one_megabyte(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Issue 16: HTML and inline SVG of the page ≤ 1 MB with 1 000 cities (the corpus of
    ``benchmarks/``, seed 7); measured 364 KB in English."""
    root = tmp_path_factory.mktemp("compare1000")
    generate(root, 1000, seed=7)
    site, translations = load_site(root)
    renderer, _ = renderer_for(site, translations)
    for lang in ("en", "nl"):
        page = renderer.render(renderer.router.get("compare", "", lang))
        assert len(page) <= 1_000_000, (lang, len(page))
        assert b"<svg" in page and page.count(b"<tr>") > 20
    # the map says what the table under it holds now, with the count in the page's format
    english = renderer.render(renderer.router.get("compare", "", "en")).decode("utf-8")
    assert "1,000 cities with a profile" in english
    assert "The table below the map counts the partner cities per country." in english
    assert "lists every city and its partners" not in english
    dutch = renderer.render(renderer.router.get("compare", "", "nl")).decode("utf-8")
    assert "1.000 steden met een profiel" in dutch and "telt de partnersteden per land" in dutch
