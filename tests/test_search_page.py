"""The search page in Chromium on a site with more results than one screen: the first
results come as soon as their fragments are in, the rest of the first page follows,
"show more" lists the next ones and moves the focus to them, the count is announced once,
nothing is fetched from another host, and axe finds nothing to fix.

The corpus is the benchmark's small vocabulary, where every word is on every page, so a
one-letter query matches every page of the language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from benchmarks.corpus import generate
from benchmarks.search_latency import serve

from cityprofiles.output import pagefind_available
from cityprofiles.pipeline import build
from conftest import REPO
from webtools import CHROMIUM, CHROMIUM_ARGS, require

CITIES = 30
PAGE = 20  # results the page lists at first, and each "show more" adds


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require(pagefind_available(), "pagefind[bin] is not installed")
    root = generate(tmp_path_factory.mktemp("many"), CITIES, seed=5)
    build(root, root / "build", jobs=2)
    with serve(root / "build") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require(CHROMIUM.is_file(), f"headless Chromium not found at {CHROMIUM} (apt install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright is not installed (pip install -e '.[test]')")
        raise
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Every text the status line (role=status, read out politely) takes, in order.
WATCH_STATUS = """() => {
  window.__said = [];
  const status = document.querySelector("[data-cp-search-status]");
  new MutationObserver(() => window.__said.push(status.textContent))
    .observe(status, { childList: true, characterData: true, subtree: true });
}"""


def listed(page: Any) -> int:
    return int(page.locator(".cp-search__result").count())


def settled(page: Any) -> None:
    """Wait until the list is complete (no longer aria-busy)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-cp-search-results]').hasAttribute('aria-busy')"
    )


def watched_page(browser: Any) -> tuple[Any, list[str], list[str]]:
    """A new page, every URL it requests, and every error or warning it logs."""
    page = browser.new_page()
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    return page, requests, problems


def assert_only_own_requests(requests: list[str], site_url: str) -> None:
    """Nothing was fetched from another host (no third-party requests)."""
    origin = site_url.rstrip("/")
    assert all(r.startswith(origin) for r in requests), [
        r for r in requests if not r.startswith(origin)
    ]


def axe_context(browser: Any) -> Any:
    """A browser context with axe-core in every page."""
    try:
        from axe_playwright_python.base import AXE_FILE_PATH
    except ImportError:
        require(False, "axe-core comes with axe-playwright-python (pip install -e '.[test]')")
        raise
    context = browser.new_context()
    context.add_init_script(path=str(AXE_FILE_PATH))
    return context


def assert_no_axe_violations(page: Any) -> None:
    """axe (WCAG 2.1 A and AA, best practices) finds nothing, in light and dark mode."""
    options = {
        "runOnly": {
            "type": "tag",
            "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
        },
        "resultTypes": ["violations"],
    }
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        result = page.evaluate("options => axe.run(document, options)", options)
        assert result["violations"] == [], (scheme, result["violations"])


@pytest.mark.browser
def test_results_follow_the_first_letter_and_show_more_lists_the_rest(
    site_url: str, browser: Any
) -> None:
    page, requests, problems = watched_page(browser)
    page.goto(site_url + "en/search/")
    more = page.get_by_role("button", name="Show more results")
    assert not more.is_visible()
    page.evaluate(WATCH_STATUS)
    page.get_by_label("Search the city profiles").press("c")
    page.wait_for_selector(".cp-search__result a")
    status = page.inner_text("[data-cp-search-status]")
    found = int(re.search(r"(\d+) pages found for “c”", status).group(1))  # type: ignore[union-attr]
    assert found > CITIES + PAGE  # every city page, and the site's own
    settled(page)
    assert listed(page) == PAGE
    assert more.is_visible()
    while more.is_visible():
        before = listed(page)
        more.click()
        page.wait_for_function(
            f"() => document.querySelectorAll('.cp-search__result').length > {before}"
        )
        settled(page)
        assert listed(page) == min(before + PAGE, found)
        # the keyboard goes on where the new results start
        focused = page.evaluate("() => document.activeElement.closest('li') !== null")
        first_new = page.locator(".cp-search__result").nth(before).locator("a")
        assert focused and first_new.evaluate("a => a === document.activeElement")
    assert listed(page) == found
    hrefs = [a.get_attribute("href") for a in page.query_selector_all(".cp-search__result a")]
    assert len(set(hrefs)) == found and all(h and h.startswith("/en/") for h in hrefs)
    # announced once: "Searching…", then the count, not again as more results are listed
    assert page.evaluate("() => window.__said") == ["Searching…", status]
    assert "q=c" in page.url
    assert problems == []
    assert_only_own_requests(requests, site_url)
    page.close()


@pytest.mark.browser
def test_a_new_query_replaces_the_results_of_the_one_before(site_url: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(site_url + "en/search/")
    box = page.get_by_label("Search the city profiles")
    box.press("c")
    box.press("l")  # typed while the first search may still run
    page.wait_for_function(
        "() => document.querySelector('[data-cp-search-status]').textContent.includes('“cl”')"
    )
    settled(page)
    assert 0 < listed(page) <= PAGE
    box.fill("")
    page.wait_for_function("() => document.querySelectorAll('.cp-search__result').length === 0")
    assert page.inner_text("[data-cp-search-status]") == ""
    assert not page.get_by_role("button", name="Show more results").is_visible()
    page.close()


@pytest.mark.browser
def test_the_search_page_with_results_and_show_more_passes_axe(site_url: str, browser: Any) -> None:
    context = axe_context(browser)
    page = context.new_page()
    page.goto(site_url + "nl/zoeken/?q=de")
    page.wait_for_selector(".cp-search__result a")
    settled(page)
    assert page.get_by_role("button", name="Meer resultaten tonen").is_visible()
    assert_no_axe_violations(page)
    context.close()


@pytest.mark.browser
def test_without_javascript_the_search_page_shows_no_button_and_its_explanation(
    site_url: str, browser: Any
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "en/search/")
    assert page.is_visible("text=Search needs JavaScript")
    assert not page.get_by_role("button", name="Show more results").is_visible()
    assert not page.is_visible("form[role=search]")
    context.close()


def test_the_search_page_has_a_hidden_show_more_button(tmp_path: Path) -> None:
    """Without a browser: the button is in the page, hidden until the script shows it."""
    build(REPO, tmp_path / "out", search=False)
    html = (tmp_path / "out/nl/zoeken/index.html").read_text("utf-8")
    assert re.search(
        r'<button[^>]*type="button" hidden data-cp-search-more>Meer resultaten tonen<', html
    )


# --- a large site: its index in parts, and a names part asked first -------------------

# The first results listed for the text in the box (the list's data-query), and what
# the status line said then.
WATCH_FIRST = """() => {
  window.__first = null;
  const list = document.querySelector("[data-cp-search-results]");
  const status = document.querySelector("[data-cp-search-status]");
  const input = document.querySelector("[data-cp-search] input");
  new MutationObserver(() => {
    if (window.__first === null && list.children.length && list.dataset.query === input.value) {
      window.__first = {
        status: status.textContent,
        items: [...list.children].map((li) => [
          li.querySelector("a").textContent,
          li.querySelector("p")?.textContent ?? "",
        ]),
      };
    }
  }).observe(list, { childList: true, attributes: true });
}"""


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The same kind of site, indexed in parts as a site of thousands of cities is (a part
    of at most 8 city pages instead of 100)."""
    require(pagefind_available(), "pagefind[bin] is not installed")
    from cityprofiles.render import search_parts

    root = generate(tmp_path_factory.mktemp("large"), CITIES, seed=7)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(search_parts, "PART_PAGES", 8)
        build(root, root / "build", jobs=2)
    assert (root / "build/pagefind/names-en/pagefind.js").is_file()
    with serve(root / "build") as url:
        yield url, root


@pytest.mark.browser
def test_on_a_large_site_the_names_that_match_come_first_and_every_page_once(
    large_site: tuple[str, Path], browser: Any
) -> None:
    site_url, root = large_site
    names = sorted(
        line.removeprefix("name: ").strip()
        for line in (p.read_text("utf-8") for p in root.glob("content/cities/*/city.yaml"))
        for line in line.splitlines()
        if line.startswith("name: ")
    )
    letter = names[0][0].lower()
    named = [n for n in names if any(w.lower().startswith(letter) for w in n.split())]
    page, requests, problems = watched_page(browser)
    page.goto(site_url + "en/search/")
    page.wait_for_selector("[data-cp-search][data-ready]", state="attached")
    page.evaluate(WATCH_STATUS)
    page.evaluate(WATCH_FIRST)
    page.get_by_label("Search the city profiles").press(letter)
    settled_for = f"“{letter}”"
    page.wait_for_function(
        "q => document.querySelector('[data-cp-search-status]').textContent.includes(q)",
        arg=settled_for,
    )
    settled(page)
    first = page.evaluate("() => window.__first")
    # First the pages whose names match, while the full text is still being searched:
    # each title has a word starting with the letter; the cities say they are cities.
    assert first["status"] == "Searching…"
    assert 0 < len(first["items"]) <= 5
    for title, kind in first["items"]:
        assert any(w.lower().startswith(letter) for w in title.split()), title
        assert kind in ("City", "Network", "Goal", ""), kind
    assert {t for t, k in first["items"] if k == "City"} <= set(named)
    assert any(k == "City" for _, k in first["items"])
    # Then the full text's answer: the count, announced once, and the first page, which
    # keeps the names on top.
    status = page.inner_text("[data-cp-search-status]")
    found = int(re.search(r"(\d+) pages? found", status).group(1))  # type: ignore[union-attr]
    assert page.evaluate("() => window.__said") == ["Searching…", status]
    titles = page.eval_on_selector_all(".cp-search__result a", "as => as.map(a => a.textContent)")
    assert titles[: len(first["items"])] == [t for t, _ in first["items"]]
    assert listed(page) == min(PAGE, found)
    # "Show more" to the end: every page the full text found, each once.
    more = page.get_by_role("button", name="Show more results")
    while more.is_visible():
        more.click()
        settled(page)
    hrefs = [a.get_attribute("href") for a in page.query_selector_all(".cp-search__result a")]
    assert len(hrefs) == len(set(hrefs)) == found
    assert any("/pagefind/names-en/" in r for r in requests)
    # In Dutch too; names that visibly start with the letter come before those Pagefind's
    # Dutch stemmer matches otherwise ("n" finds "Genros": it takes off "ge-").
    page.goto(site_url + f"nl/zoeken/?q={letter}")
    page.wait_for_selector(".cp-search__kind")
    first_nl = page.eval_on_selector_all(
        ".cp-search__result", "lis => lis.map(li => li.querySelector('a').textContent)"
    )[0]
    assert any(w.lower().startswith(letter) for w in first_nl.split()), first_nl
    assert problems == []
    assert_only_own_requests(requests, site_url)
    page.close()


@pytest.mark.browser
def test_a_large_sites_search_page_with_names_first_passes_axe(
    large_site: tuple[str, Path], browser: Any
) -> None:
    site_url, root = large_site
    city = yaml.safe_load(next(root.glob("content/cities/*/city.yaml")).read_text("utf-8"))
    context = axe_context(browser)
    page = context.new_page()
    page.goto(site_url + f"nl/zoeken/?q={city['name'].split()[0]}")
    page.wait_for_selector(".cp-search__kind")
    settled(page)
    assert_no_axe_violations(page)
    context.close()
