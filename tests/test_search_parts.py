"""The search index in stable parts: an edit makes again only the parts it touched, and
the result is the index a clean build makes, file for file and search for search.

The corpus is the benchmark's generator (20 cities) with parts of 4 city pages, so each
language has the site's own part and eight city parts, as a site of 1 000 cities has.
"""

from __future__ import annotations

import doctest
import importlib
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from benchmarks.corpus import generate
from benchmarks.search_latency import serve

from cityprofiles.errors import ContentError
from cityprofiles.output.search import pagefind_available, search_cache_path
from cityprofiles.output.search.indexed import indexed_digest, page_name
from cityprofiles.output.search.store import SearchCache
from cityprofiles.pipeline import BuildReport, build
from cityprofiles.render import search_parts as parts
from conftest import REPO, SRC

pytestmark = pytest.mark.skipif(not pagefind_available(), reason="Pagefind is not installed")

CITIES = 20
THEME = REPO / "src/cityprofiles/theme/templates"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("corpus"), CITIES, seed=5)


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parts, "PART_PAGES", 4)


def index_files(out: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file of the index: bytes, inode and mtime (a part carried over keeps both)."""
    result = {}
    for path in sorted((out / "pagefind").rglob("*")):
        if path.is_file():
            st = path.stat()
            result[path.relative_to(out).as_posix()] = (
                path.read_bytes(),
                st.st_ino,
                st.st_mtime_ns,
            )
    return result


def folders_changed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """The part folders with a file added, removed, rewritten or replaced."""
    keys = set(before) | set(after)
    return {k.split("/")[1] for k in keys if before.get(k) != after.get(k)}


def snapshot(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def clean(root: Path, tmp: Path) -> dict[str, bytes]:
    out = tmp / "clean"
    shutil.rmtree(out, ignore_errors=True)
    build(root, out, jobs=1, cache=False)
    return snapshot(out)


def run_cli(
    *args: str | os.PathLike[str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m cityprofiles`` with this checkout's code and ``env`` added."""
    variables = {**os.environ, "PYTHONPATH": str(SRC), "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "cityprofiles", *map(str, args)],
        env=variables,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def city_part(root: Path, city: str, lang: str) -> str:
    cities = len(list((root / "content/cities").iterdir()))
    return f"{lang}-{parts.bucket(city, parts.buckets_for(cities, parts.PART_PAGES)) + 2}"


def test_an_edited_narrative_makes_again_only_the_part_that_holds_its_page(
    corpus: Path, tmp_path: Path, small_parts: None
) -> None:
    root = tmp_path / "site"
    shutil.copytree(corpus, root)
    out = tmp_path / "out"
    first = build(root, out, jobs=2)
    assert first.search_parts is not None
    made, total = first.search_parts
    assert made == total >= 2 * 6  # the site's own part and city parts, two languages
    before = index_files(out)

    city = sorted(p.name for p in (root / "content/cities").iterdir())[7]
    with (root / f"content/cities/{city}/narrative.en.md").open("a", encoding="utf-8") as f:
        f.write("\nA word nobody else uses: quetzalcoatlus.\n")
    report = build(root, out, jobs=2)
    assert report.search_parts == (1, total)
    assert folders_changed(before, index_files(out)) == {city_part(root, city, "en")}
    assert snapshot(out) == clean(root, tmp_path)


def test_edited_facts_make_again_the_sites_own_part_and_the_citys(
    corpus: Path, tmp_path: Path, small_parts: None
) -> None:
    root = tmp_path / "site"
    shutil.copytree(corpus, root)
    out = tmp_path / "out"
    build(root, out, jobs=2)
    before = index_files(out)
    city = sorted(p.name for p in (root / "content/cities").iterdir())[3]
    facts = root / f"content/cities/{city}/city.yaml"
    text = facts.read_text("utf-8")
    name = next(line for line in text.splitlines() if line.startswith("name: "))
    facts.write_text(text.replace(name, name + "x", 1), "utf-8")
    report = build(root, out, jobs=2)
    # The lists, networks and goals name the city: the site's own part of each language;
    # its title changed: the names part of each language.
    expected = {"en", "nl", city_part(root, city, "en"), city_part(root, city, "nl")}
    expected |= {"names-en", "names-nl"}
    assert report.search_parts is not None and report.search_parts[0] == 6
    assert folders_changed(before, index_files(out)) == expected
    assert snapshot(out) == clean(root, tmp_path)


def test_a_template_change_outside_main_runs_no_pagefind(
    corpus: Path, tmp_path: Path, small_parts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "site"
    shutil.copytree(corpus, root)
    out = tmp_path / "out"
    build(root, out, jobs=2)
    before = index_files(out)
    footer = root / "templates/partials/footer.html"
    footer.parent.mkdir(parents=True)
    footer.write_text((THEME / "partials/footer.html").read_text() + "<!-- new -->\n")

    from cityprofiles.output.search import pagefind

    def no_pagefind(*args: object, **kwargs: object) -> None:
        raise AssertionError("Pagefind ran")

    with monkeypatch.context() as patched:
        patched.setattr(pagefind, "run_pagefind", no_pagefind)
        report = build(root, out, jobs=2)
    assert report.rendered == sum(report.pages.values()) + 2  # every page is new
    assert report.search_parts is not None and report.search_parts[0] == 0
    assert index_files(out) == before  # not even rewritten
    assert snapshot(out) == clean(root, tmp_path)


def test_a_template_change_inside_main_makes_every_part_again(
    corpus: Path, tmp_path: Path, small_parts: None
) -> None:
    root = tmp_path / "site"
    shutil.copytree(corpus, root)
    out = tmp_path / "out"
    total = build(root, out, jobs=2).search_parts
    page = root / "templates/city.html"
    page.parent.mkdir(parents=True)
    text = (THEME / "city.html").read_text()
    page.write_text(text.replace("{% block content %}", "{% block content %}<p>Hello</p>", 1))
    assert page.read_text() != text
    report = build(root, out, jobs=2)
    assert total is not None and report.search_parts is not None
    # Every city part; the site's own parts hold no city page, and no title changed.
    assert report.search_parts[0] == total[1] - 4
    assert {p.name for p in (out / "pagefind").iterdir()} >= {"names-en", "names-nl"}
    assert snapshot(out) == clean(root, tmp_path)


@pytest.mark.parametrize(
    "damage",
    [
        b"not json at all",
        b'{"format": 1, "pages": {"en/index.html": [1, 2, "three", "h"]}, "parts": {}}',
        b'{"format": 999, "pages": {}, "parts": {}}',
        b"\x80\x81 binary",
    ],
    ids=["garbage", "wrong-types", "other-format", "not-utf8"],
)
def test_an_unreadable_search_cache_is_ignored_and_the_index_made_whole(
    corpus: Path, tmp_path: Path, small_parts: None, damage: bytes
) -> None:
    root = tmp_path / "site"
    shutil.copytree(corpus, root)
    out = tmp_path / "out"
    total = build(root, out, jobs=2).search_parts
    search_cache_path(root, out).write_bytes(damage)
    with next((root / "content/cities").iterdir()).joinpath("narrative.nl.md").open("a") as f:
        f.write("\nMeer tekst.\n")
    report = build(root, out, jobs=2)
    assert total is not None and report.search_parts == (total[1], total[1])
    assert snapshot(out) == clean(root, tmp_path)
    assert SearchCache.load(search_cache_path(root, out)).parts  # a good cache again


def test_the_search_cache_is_json_data(corpus: Path, tmp_path: Path, small_parts: None) -> None:
    root = tmp_path / "site"
    shutil.copytree(corpus, root)
    out = tmp_path / "out"
    build(root, out, jobs=2)
    data = json.loads(search_cache_path(root, out).read_bytes())
    assert data["format"] == 2
    assert set(data["parts"]) == {f"pagefind/{p.name}/" for p in (out / "pagefind").iterdir()}
    page = "en/index.html"
    assert data["pages"][page][3] == indexed_digest((out / page).read_bytes())
    assert data["pages"][page][4] == page_name((out / page).read_bytes())
    assert data["pages"][page][4].startswith('<html lang="en"')


def test_a_part_changed_behind_the_builds_back_is_made_again(
    corpus: Path, tmp_path: Path, small_parts: None
) -> None:
    root = tmp_path / "site"
    shutil.copytree(corpus, root)
    out = tmp_path / "out"
    build(root, out, jobs=2)
    entry = out / "pagefind/nl-3/pagefind-entry.json"
    if not entry.exists():
        entry = next((out / "pagefind").glob("nl-*/pagefind-entry.json"))
    entry.write_text("{}")
    report = build(root, out, jobs=2)
    assert report.search_parts is not None and report.search_parts[0] == 1
    assert snapshot(out) == clean(root, tmp_path)


def test_a_search_index_without_a_build_cache_reuses_no_part(
    corpus: Path, tmp_path: Path, small_parts: None
) -> None:
    root = tmp_path / "site"
    shutil.copytree(corpus, root)
    out = tmp_path / "out"
    total = build(root, out, jobs=2).search_parts
    assert total is not None
    assert build(root, out, jobs=2, cache=False).search_parts == (total[1], total[1])


def test_a_removed_city_changes_only_its_own_part_and_the_sites(
    corpus: Path, tmp_path: Path, small_parts: None
) -> None:
    """Parts follow a hash of the city id, not a position in the list: the cities after a
    removed one stay where they were."""
    root = tmp_path / "site"
    shutil.copytree(corpus, root)
    out = tmp_path / "out"
    build(root, out, jobs=2)
    before = index_files(out)
    yamls = {p.parent.name: p.read_text("utf-8") for p in root.glob("content/cities/*/city.yaml")}
    gone = next(c for c in sorted(yamls) if not any(f"city: {c}\n" in t for t in yamls.values()))
    expected = {"en", "nl", city_part(root, gone, "en"), city_part(root, gone, "nl")}
    expected |= {"names-en", "names-nl"}  # its title is gone
    shutil.rmtree(root / "content/cities" / gone)
    assert parts.buckets_for(CITIES - 1, 4) == parts.buckets_for(CITIES, 4)
    report = build(root, out, jobs=2)
    assert report.search_parts is not None and report.search_parts[0] == 6
    assert folders_changed(before, index_files(out)) == expected
    assert snapshot(out) == clean(root, tmp_path)


@pytest.mark.parametrize(
    "module",
    [
        "output.search.indexed",
        "output.search.pagefind",
        "render.search_parts",
        "output.search.store",
    ],
)
def test_docstring_examples_of_the_search_modules_hold(module: str) -> None:
    result = doctest.testmod(importlib.import_module(f"cityprofiles.{module}"))
    assert result.attempted > 0 and result.failed == 0


# -- --strict and a missing or warning Pagefind ----------------------------------------


def test_strict_build_fails_without_pagefind_and_keeps_the_previous_site(
    corpus: Path, tmp_path: Path
) -> None:
    root = tmp_path / "site"
    shutil.copytree(corpus, root)
    out = tmp_path / "out"
    assert run_cli("build", root, "--out", out, "--no-search").returncode == 0
    before = snapshot(out)
    env = {"PAGEFIND_BINARY_PATH": str(tmp_path / "no-such-program")}
    strict = run_cli("build", root, "--out", out, "--strict", env=env)
    assert strict.returncode == 1, strict.stderr
    assert "Pagefind's program is missing" in strict.stderr
    assert "pip install --force-reinstall 'pagefind[bin]'" in strict.stderr
    assert snapshot(out) == before
    lenient = run_cli("build", root, "--out", out, env=env)
    assert lenient.returncode == 0, lenient.stderr
    assert "pagefind: warning: the search index was not made" in lenient.stderr
    assert not (out / "pagefind").exists()
    # Nothing changed since, and still no index: --strict fails again, --no-search passes.
    assert run_cli("build", root, "--out", out, "--strict", env=env).returncode == 1
    assert run_cli("build", root, "--out", out, "--strict", "--no-search").returncode == 0
    # Pagefind back: the index is made, though no content changed.
    assert run_cli("build", root, "--out", out, "--strict").returncode == 0
    assert (out / "pagefind/en/pagefind-entry.json").is_file()


@pytest.fixture
def warning_pagefind(tmp_path: Path) -> Path:
    """Pagefind itself, saying one thing more than usual (as it does for a language it
    cannot stem)."""
    from cityprofiles.output.search.pagefind import executable

    real = executable()
    assert real is not None
    wrapper = tmp_path / "pagefind-warns"
    wrapper.write_text(
        f'#!/bin/sh\necho "Warning: the page was too exciting." >&2\nexec "{real}" "$@"\n'
    )
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    return wrapper


def test_strict_build_fails_when_pagefind_warned(
    corpus: Path, tmp_path: Path, warning_pagefind: Path
) -> None:
    root = tmp_path / "site"
    shutil.copytree(corpus, root)
    out = tmp_path / "out"
    assert run_cli("build", root, "--out", out).returncode == 0
    before = snapshot(out)
    with next((root / "content/cities").iterdir()).joinpath("narrative.en.md").open("a") as f:
        f.write("\nOne more line.\n")
    env = {"PAGEFIND_BINARY_PATH": str(warning_pagefind)}  # a new program: every part again
    strict = run_cli("build", root, "--out", out, "--strict", env=env)
    assert strict.returncode == 1, strict.stderr
    assert "pagefind/en/: Pagefind warned: Warning: the page was too exciting." in strict.stderr
    assert snapshot(out) == before  # nothing of the failed build is published
    lenient = run_cli("build", root, "--out", out, env=env)
    assert lenient.returncode == 0
    assert (
        "pagefind/en/: warning: Pagefind warned: Warning: the page was too exciting."
        in lenient.stderr
    )
    # The warnings belong to the parts: a build that keeps them repeats them, and fails
    # under --strict, though nothing changed.
    again = run_cli("build", root, "--out", out, "--strict", env=env)
    assert again.returncode == 1 and "too exciting" in again.stderr


def test_strict_build_with_a_quiet_pagefind_passes_in_process(corpus: Path, tmp_path: Path) -> None:
    report: BuildReport = build(corpus, tmp_path / "out", strict=True, cache=False)
    assert report.warnings == []
    assert (tmp_path / "out/pagefind/en/pagefind-entry.json").is_file()


def test_the_no_search_preview_build_has_no_index_and_no_pagefind_run(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cityprofiles.output.search import pagefind

    monkeypatch.setattr(pagefind, "executable", lambda: None)  # would warn if it were asked
    report = build(corpus, tmp_path / "out", search=False, strict=True, cache=False)
    assert report.search_parts is None and report.warnings == []
    assert not (tmp_path / "out/pagefind").exists()
    with pytest.raises(ContentError) as failed:
        build(corpus, tmp_path / "out", strict=True, cache=False)
    assert "Pagefind's program is missing" in failed.value.problems[0].message


# -- in a real browser: the same answers as a clean index ------------------------------

QUERIES = ["quetzalcoatlus", "climate", "housing", "universities clean", "Europe", "zzzz"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from webtools import CHROMIUM, CHROMIUM_ARGS, require

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require(sync_playwright is not None and CHROMIUM.exists(), "needs playwright and chromium")
    assert sync_playwright is not None
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


Answers = dict[str, tuple[str, list[tuple[str, str]]]]


def answers(browser: Any, out: Path, queries: list[str]) -> Answers:
    """Per query: the status line and the results (link and excerpt) the English search
    page shows, in order."""
    found: Answers = {}
    with serve(out) as base:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + "en/search/")
        page.wait_for_selector("[data-cp-search][data-ready]", state="attached")
        for query in queries:
            page.fill("[data-cp-search] input", query)
            page.wait_for_function(  # the count, and every result of the first page
                "q => document.querySelector('[data-cp-search-status]').textContent.includes(q)"
                " && !document.querySelector('[data-cp-search-results]').hasAttribute('aria-busy')",
                arg=query,
            )
            results = page.eval_on_selector_all(
                ".cp-search__result",
                "items => items.map(i => [i.querySelector('a').getAttribute('href'),"
                " i.querySelector('p')?.textContent ?? ''])",
            )
            status = page.inner_text("[data-cp-search-status]")
            found[query] = (status, [(href, text) for href, text in results])
        page.close()
        assert errors == []
    return found


@pytest.mark.browser
def test_cached_parts_answer_every_query_as_a_clean_index(
    corpus: Path, tmp_path: Path, small_parts: None, browser: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "site"
    shutil.copytree(corpus, root)
    out = tmp_path / "out"
    build(root, out, jobs=2)
    cities = sorted((root / "content/cities").iterdir())
    # Edits of every kind, each built incrementally: a narrative, facts, a template.
    with (cities[2] / "narrative.en.md").open("a", encoding="utf-8") as f:
        f.write("\nThe quetzalcoatlus flew over the climate office.\n")
    build(root, out, jobs=2)
    facts = cities[5] / "city.yaml"
    facts.write_text(facts.read_text("utf-8").replace("name: ", "name: Quetzalcoatlus ", 1))
    build(root, out, jobs=2)
    footer = root / "templates/partials/footer.html"
    footer.parent.mkdir(parents=True)
    footer.write_text((THEME / "partials/footer.html").read_text() + "<!-- new -->\n")
    remade = build(root, out, jobs=2).search_parts
    assert remade is not None and remade[0] == 0 and remade[1] > 2 * 4

    fresh = tmp_path / "fresh"
    build(root, fresh, jobs=1, cache=False)
    assert snapshot(out) == snapshot(fresh)  # file for file
    cached, clean_answers = answers(browser, out, QUERIES), answers(browser, fresh, QUERIES)
    assert cached == clean_answers  # search for search
    # The edited narrative's page, and the renamed city's pages and those that list it.
    hrefs = [href for href, _ in cached["quetzalcoatlus"][1]]
    assert len(hrefs) > 2 and any(f"/{cities[2].name}/" in h for h in hrefs), hrefs
    assert cached["climate"][1] and cached["zzzz"][1] == []

    # The names part lists the renamed city first, by its name.
    assert cached["quetzalcoatlus"][1][0] == (f"/en/cities/{cities[5].name}/", "City")

    # One index of the whole language (no names part) finds as many pages, and the same
    # ones where they all fit on the page (Pagefind ranks each part on its own, so the
    # order may differ; a page found by its name shows what it is, not an excerpt).
    whole = tmp_path / "whole"
    monkeypatch.setattr(parts, "PART_PAGES", 10_000)
    build(root, whole, jobs=1, cache=False)
    assert sorted(p.name for p in (whole / "pagefind").iterdir()) == ["en", "nl"]
    single = answers(browser, whole, QUERIES)
    for query in QUERIES:
        assert single[query][0] == cached[query][0], query  # "N pages found for …"
        if len(cached[query][1]) < 20:
            assert sorted(h for h, _ in single[query][1]) == sorted(
                h for h, _ in cached[query][1]
            ), query
