"""Rendering: languages, fallbacks, locale formatting, links and alternates."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cityprofiles.pipeline import build
from conftest import MakeSite

SAMPLE = Path(__file__).parent / "sites" / "sample"


@pytest.fixture(scope="module")
def site_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("render") / "out"
    build(SAMPLE, out)
    return out


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def test_every_page_exists_in_both_languages_with_translated_segments(site_out: Path) -> None:
    en = {p.relative_to(site_out / "en").as_posix() for p in (site_out / "en").rglob("*.html")}
    nl = {p.relative_to(site_out / "nl").as_posix() for p in (site_out / "nl").rglob("*.html")}
    assert len(en) == len(nl)
    assert "cities/bruges/index.html" in en
    assert "steden/brugge/index.html" in nl
    assert "netwerken/eurocities/index.html" in nl
    assert "doelen/17/index.html" in nl
    assert "toegankelijkheid/index.html" in nl


def test_missing_translation_falls_back_with_lang_and_visible_note(site_out: Path) -> None:
    html = read(site_out, "nl/netwerken/iclei/index.html")
    assert '<span lang="en">Local governments working on sustainability.</span>' in html
    assert "(in het Engels, nog niet vertaald)" in html
    narrative = read(site_out, "nl/steden/brugge/index.html")
    assert '<div lang="en" class="cp-fallback">' in narrative


def test_translated_values_are_not_marked(site_out: Path) -> None:
    html = read(site_out, "nl/steden/alphen/index.html")
    assert "Schoon water in elke wijk." in html
    assert "nog niet vertaald" in html  # SDG 11 description has no nl value
    assert html.count("nog niet vertaald") == 1


def test_numbers_and_dates_are_formatted_per_locale(site_out: Path) -> None:
    assert "112,500" in read(site_out, "en/cities/alphen/index.html")
    nl = read(site_out, "nl/steden/alphen/index.html")
    assert "112.500" in nl
    assert "1 oktober 2026" in nl
    assert "October 1, 2026" in read(site_out, "en/cities/alphen/index.html")


def test_language_switcher_links_to_the_counterpart_page(site_out: Path) -> None:
    html = read(site_out, "en/cities/bruges/index.html")
    assert 'href="../../../nl/steden/brugge/" hreflang="nl" lang="nl">Nederlands</a>' in html


def test_hreflang_alternates_are_reciprocal_with_x_default(site_out: Path) -> None:
    def alternates(rel: str) -> dict[str, str]:
        found = re.findall(
            r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', read(site_out, rel)
        )
        return dict(found)

    en = alternates("en/cities/bruges/index.html")
    nl = alternates("nl/steden/brugge/index.html")
    assert en == nl
    assert en["nl"] == "https://sample.example.org/sub/nl/steden/brugge/"
    assert en["x-default"] == en["en"]


def test_each_page_has_a_unique_title(site_out: Path) -> None:
    titles: dict[str, str] = {}
    for page in site_out.rglob("*.html"):
        rel = page.relative_to(site_out).as_posix()
        if rel.endswith("404.html"):
            continue
        title = re.search(r"<title>(.*?)</title>", page.read_text()).group(1)  # type: ignore[union-attr]
        assert title not in titles, f"{rel} and {titles.get(title)} share the title {title!r}"
        titles[title] = rel


def test_404_pages_link_from_the_site_root(site_out: Path) -> None:
    html = read(site_out, "nl/404.html")
    assert 'href="/sub/nl/"' in html
    assert 'href="/sub/assets/css/site.css"' in html


def test_user_text_is_escaped_in_every_context(site_out: Path) -> None:
    html = read(site_out, "en/cities/alphen/index.html")
    assert "&lt;name&gt;" in html
    assert "<name>" not in html
    assert "<script>alert" not in html
    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert data is not None
    graph = json.loads(data.group(1))
    assert graph["@graph"][1]["@type"] == "GovernmentOrganization"
    assert graph["@graph"][1]["contactPoint"][0]["telephone"] == "+31172000000"


def test_sitemap_lists_every_page_with_alternates(site_out: Path) -> None:
    sitemap = read(site_out, "sitemap.xml")
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    pages = list(site_out.rglob("index.html"))
    assert len(locs) == len(pages)
    assert "https://sample.example.org/sub/nl/steden/brugge/" in locs
    assert sitemap.count('hreflang="x-default"') == len(locs)


def test_sdg_badges_get_readable_text_colours(site_out: Path) -> None:
    css = read(site_out, "assets/css/sdgs.css")
    assert ".cp-sdg-7{--cp-sdg-bg:#FCC30B;--cp-sdg-fg:#000000}" in css
    assert ".cp-sdg-17{--cp-sdg-bg:#19486A;--cp-sdg-fg:#FFFFFF}" in css


def test_a_long_profile_folds_on_phones_behind_its_headings(make_site: MakeSite) -> None:
    parts = "".join(f"## Part {n}\n\n" + "Words about the city. " * 40 + "\n\n" for n in (1, 2, 3))
    root = make_site(
        {
            "content/cities/alphen/narrative.en.md": parts,
            "content/cities/alphen/narrative.nl.md": None,  # Dutch pages fall back to English
        }
    )
    build(root, root / "build", search=False)
    english = (root / "build/en/cities/alphen/index.html").read_text("utf-8")
    teaser = '<span class="cp-fold__teaser">Part 1 · Part 2 · Part 3</span>'
    assert '<details class="cp-fold">' in english and teaser in english
    assert english.index("cp-glance") < english.index("cp-fold")  # the summary comes first
    dutch = (root / "build/nl/steden/alphen/index.html").read_text("utf-8")
    assert (
        '<span lang="en">Part 1</span> · <span lang="en">Part 2</span> · <span lang="en">Part 3'
        '</span> <span class="cp-fallback-note" lang="nl">(in het Engels, nog niet vertaald)</span>'
    ) in dutch
    assert "Words about the city." in dutch  # the folded text stays in the page


def test_a_short_profile_stays_open(make_site: MakeSite) -> None:
    root = make_site()
    build(root, root / "build", search=False)
    html = (root / "build/en/cities/alphen/index.html").read_text("utf-8")
    assert (
        "cp-fold__teaser" not in html
        and '<div class="cp-prose"><p>Alphen is a <em>test</em>' in html
    )
