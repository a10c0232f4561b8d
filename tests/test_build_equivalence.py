"""Speed never costs correctness: parallel, cached and incremental builds equal a cold one.

Every comparison is against a cold, single-process build without cache of the same
content, byte for byte, file by file. The corpus is the benchmark's generator (small N).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from benchmarks.corpus import generate

from cityprofiles import cache
from cityprofiles.cache import inputs as cache_inputs
from cityprofiles.output import opendata
from cityprofiles.pipeline import Pipeline, build, check, parallel
from cityprofiles.pipeline import pages as pipeline_pages

CITIES = 20


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file's bytes, and every folder (as ``b"/"``), so empty folders count too."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes() if p.is_file() else b"/"
        for p in sorted(out.rglob("*"))
        if not p.name.startswith(".")
    }


def cold(root: Path, tmp: Path) -> dict[str, bytes]:
    out = tmp / "cold"
    shutil.rmtree(out, ignore_errors=True)
    build(root, out, jobs=1, cache=False)
    return snapshot(out)


def assert_same(actual: dict[str, bytes], expected: dict[str, bytes]) -> None:
    assert sorted(actual) == sorted(expected)
    different = [rel for rel in expected if actual[rel] != expected[rel]]
    assert not different, f"{len(different)} files differ, e.g. {different[:3]}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("corpus"), CITIES, seed=3)


def test_corpus_generator_is_deterministic_and_valid(site: Path, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", CITIES, seed=3)
    assert snapshot(again / "content") == snapshot(site / "content")
    other = generate(tmp_path / "other", CITIES, seed=4)
    assert snapshot(other / "content") != snapshot(site / "content")
    assert check(site) == []


def test_parallel_and_cached_builds_equal_a_cold_build(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_JOB", 2)  # fork even for this small site
    root = tmp_path / "site"
    shutil.copytree(site, root)
    first_city = sorted((root / "content/cities").iterdir())[0]
    (first_city / "narrative.nl.md").unlink()  # a warning, which every path must report
    expected = cold(root, tmp_path)
    warnings = build(root, tmp_path / "cold", jobs=1, cache=False).warnings
    assert warnings

    out = tmp_path / "parallel"
    first = build(root, out, jobs=2, cache=False)
    assert_same(snapshot(out), expected)
    assert first.rendered == first.pages["en"] + first.pages["nl"] + 2  # and the root pages
    assert first.warnings == warnings

    monkeypatch.setattr(pipeline_pages, "BATCH", 7)  # pages rendered a few at a time
    for jobs in (1, 2):
        large = tmp_path / f"large-{jobs}"
        report = build(root, large, jobs=jobs, cache=False)
        assert report.warnings == warnings
        assert (report.written, report.unchanged) == (report.files, 0)  # every file counted
        assert_same(snapshot(large), expected)
        again = build(root, large, jobs=jobs, cache=False)
        assert (again.written, again.unchanged) == (0, again.files)

    cached = tmp_path / "cached"
    build(root, cached, jobs=2)
    mtimes = {p: p.stat().st_mtime_ns for p in cached.rglob("*.html")}
    again = build(root, cached, jobs=2)
    assert (again.rendered, again.written, again.warnings) == (0, 0, warnings)
    assert_same(snapshot(cached), expected)
    assert {p: p.stat().st_mtime_ns for p in cached.rglob("*.html")} == mtimes


def _edit(root: Path, rel: str, old: str, new: str) -> Path:
    path = root / rel
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def test_incremental_rebuilds_equal_a_cold_build_after_each_edit(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "site"
    shutil.copytree(site, root)
    cities = sorted(p.name for p in (root / "content/cities").iterdir())
    serve = Pipeline(root, tmp_path / "serve", jobs=1, cache=False)
    serve.run()
    out = tmp_path / "out"
    build(root, out, jobs=2)

    # One narrative: only that city's page in that language is rendered again, and no
    # open-data file is made again (they hold no narrative).
    made: list[str] = []
    for name in ("city_json", "vcard", "shared_files"):
        real = getattr(opendata, name)
        monkeypatch.setattr(
            opendata, name, lambda *a, real=real, name=name: made.append(name) or real(*a)
        )
    changed = _edit(root, f"content/cities/{cities[0]}/narrative.en.md", "## ", "## Now: ")
    report = serve.run([changed])
    assert report.rendered == 2  # the page itself, and its Dutch counterpart's key (all files)
    assert made == []
    assert build(root, out, jobs=2).rendered == 2
    assert made == []
    monkeypatch.undo()
    assert_same(snapshot(tmp_path / "serve"), cold(root, tmp_path))
    assert_same(snapshot(out), cold(root, tmp_path))

    # One city.yaml: its name and a membership note change the lists it appears on.
    changed = _edit(root, f"content/cities/{cities[1]}/city.yaml", "name: ", "name: New ")
    _edit(
        root,
        f"content/cities/{cities[1]}/city.yaml",
        "  - network: ",
        "  - note: {en: Edited, nl: Bewerkt}\n    network: ",
    )
    serve.run([changed])
    assert_same(snapshot(tmp_path / "serve"), cold(root, tmp_path))
    report = build(root, out, jobs=2)
    assert 0 < report.rendered < report.pages["en"]
    assert_same(snapshot(out), cold(root, tmp_path))

    # A partner city moves: the maps on the pages of the cities that list it change.
    listed = sorted(
        {
            line.split(":", 1)[1].strip()
            for city in cities
            for line in (root / f"content/cities/{city}/city.yaml").read_text("utf-8").splitlines()
            if line.startswith("    city: ")
        }
    )
    assert listed, "the corpus links partners to profiled cities"
    moved = _edit(
        root, f"content/cities/{listed[0]}/city.yaml", "coordinates: {lat: ", "coordinates: {lat: -"
    )
    serve.run([moved])
    assert_same(snapshot(tmp_path / "serve"), cold(root, tmp_path))
    build(root, out, jobs=2)
    assert_same(snapshot(out), cold(root, tmp_path))

    # A new city and a removed one: the route table changes.
    shutil.copytree(root / f"content/cities/{cities[2]}", root / "content/cities/zz-new-city")
    _edit(root, "content/cities/zz-new-city/city.yaml", "name: ", "name: Zz ")
    shutil.rmtree(root / f"content/cities/{cities[3]}")
    for city in cities:  # a partner link to the removed city would be an error
        path = root / f"content/cities/{city}/city.yaml"
        if path.exists():
            path.write_text(
                path.read_text("utf-8").replace(f"    city: {cities[3]}\n", ""), "utf-8"
            )
    serve.run([root / "content/cities"])
    assert_same(snapshot(tmp_path / "serve"), cold(root, tmp_path))
    build(root, out, jobs=2)
    assert_same(snapshot(out), cold(root, tmp_path))


def test_a_changed_template_or_version_invalidates_the_cache(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "site"
    shutil.copytree(site, root)
    out = tmp_path / "out"
    first = build(root, out, jobs=1)
    footer = Path(__file__).parent.parent / "src/cityprofiles/theme/templates/partials/footer.html"
    override = root / "templates/partials/footer.html"
    override.parent.mkdir(parents=True)
    override.write_text(footer.read_text("utf-8").replace("</footer>", "<!-- x --></footer>"))
    report = build(root, out, jobs=1)
    assert report.rendered == first.rendered
    assert_same(snapshot(out), cold(root, tmp_path))
    assert b"<!-- x -->" in (out / "en/index.html").read_bytes()

    monkeypatch.setattr("cityprofiles.__version__", "999.0")
    cache.package_fingerprint.cache_clear()
    try:
        assert build(root, out, jobs=1).rendered == first.rendered
    finally:
        cache.package_fingerprint.cache_clear()


def test_unchanged_inputs_are_not_read_again_and_an_edit_is_still_seen(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "site"
    shutil.copytree(site, root)
    hour_ago = time.time() - 3600
    for path in root.rglob("*"):
        os.utime(path, (hour_ago, hour_ago))
    # os.utime sets each ctime to now: without a racy window every file counts as settled
    monkeypatch.setattr(cache_inputs, "RACY_NS", 0)
    out = tmp_path / "out"
    build(root, out, jobs=1, search=False)
    read: list[Path] = []
    real = cache_inputs.hash_file
    monkeypatch.setattr(cache_inputs, "hash_file", lambda path: read.append(path) or real(path))
    assert build(root, out, jobs=1, search=False).rendered == 0
    assert read == []

    # The same size and the old mtime put back: the change of ctime still gives it away.
    city = sorted((root / "content/cities").iterdir())[0].name
    narrative = root / f"content/cities/{city}/narrative.en.md"
    text = narrative.read_text("utf-8")
    edited = text.replace(" the ", " tha ", 1)
    assert edited != text and len(edited) == len(text)
    narrative.write_text(edited, "utf-8")
    os.utime(narrative, (hour_ago, hour_ago))
    assert build(root, out, jobs=1, search=False).rendered == 2
    assert read == [narrative]
    assert_same(snapshot(out), _cold_without_search(root, tmp_path))


def test_turning_the_search_index_off_and_on_changes_the_output(site: Path, tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(site, root)
    out = tmp_path / "out"
    build(root, out, jobs=1)
    assert (out / "pagefind/en/pagefind-entry.json").is_file()
    report = build(root, out, jobs=1, search=False)  # same content, other option
    assert report.rendered == 0
    assert not (out / "pagefind").exists()
    assert_same(snapshot(out), _cold_without_search(root, tmp_path))
    build(root, out, jobs=1)
    assert (out / "pagefind/en/pagefind-entry.json").is_file()
    assert_same(snapshot(out), cold(root, tmp_path))


def _cold_without_search(root: Path, tmp: Path) -> dict[str, bytes]:
    out = tmp / "cold-nosearch"
    shutil.rmtree(out, ignore_errors=True)
    build(root, out, jobs=1, cache=False, search=False)
    return snapshot(out)


def test_the_benchmark_floor_renders_as_many_pages_as_a_build(site: Path, tmp_path: Path) -> None:
    from benchmarks import floor

    report = build(site, tmp_path / "out", jobs=1, cache=False, search=False)
    pages = floor.main(site, tmp_path / "floor")
    assert pages == sum(report.pages.values()) + 2  # and the two root pages
    built = {p.relative_to(tmp_path / "out").parts[:2] for p in (tmp_path / "out").rglob("*.html")}
    made = {
        p.relative_to(tmp_path / "floor").parts[:2] for p in (tmp_path / "floor").rglob("*.html")
    }
    assert made == built  # the same kinds of page in every language (city slugs may differ)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "other format"])
def test_a_damaged_build_cache_is_ignored(site: Path, tmp_path: Path, damage: str) -> None:
    root = tmp_path / "site"
    shutil.copytree(site, root)
    out = tmp_path / "out"
    build(root, out, jobs=1, search=False)
    state = cache.state_path(root, out)
    data = state.read_bytes()
    if damage == "truncated":
        state.write_bytes(data[: len(data) * 2 // 3])  # cut inside the cities
    elif damage == "garbage":
        state.write_bytes(b"\x80\x05not a pickle at all")
    elif damage == "empty":
        state.write_bytes(b"")
    else:  # the header of another format, the rest as it was
        header, rest = data.split(b"\n", 1)
        older = header.replace(b'"format":%d' % cache.FORMAT, b'"format":%d' % (cache.FORMAT - 1))
        assert older != header
        state.write_bytes(older + b"\n" + rest)
    assert cache.load_state(state) is None
    _edit(
        root,
        f"content/cities/{sorted(os.listdir(root / 'content/cities'))[0]}/city.yaml",
        "name: ",
        "name: Re ",
    )
    report = build(root, out, jobs=1, search=False)
    assert report.rendered == sum(report.pages.values()) + 2  # everything, from scratch
    assert_same(snapshot(out), _cold_without_search(root, tmp_path))
    assert cache.load_state(state) is not None  # and a good cache again


def test_a_search_index_in_parts_follows_the_number_of_pages(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from cityprofiles.render import search_parts as parts

    def entry(out: Path, part: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(
            (out / "pagefind" / part / "pagefind-entry.json").read_bytes()
        )
        return data["languages"][part.split("-")[0]]

    root = tmp_path / "site"
    shutil.copytree(site, root)
    build(root, tmp_path / "whole", jobs=2, cache=False)
    indexed = entry(tmp_path / "whole", "en")["page_count"]
    assert sorted(p.name for p in (tmp_path / "whole/pagefind").iterdir()) == ["en", "nl"]
    monkeypatch.setattr(parts, "PART_PAGES", 4)  # 20 cities: 8 parts of cities a language
    out = tmp_path / "out"
    build(root, out, jobs=2)
    folders = sorted(p.name for p in (out / "pagefind").iterdir())
    english = [p for p in folders if p.split("-")[0] == "en"]
    assert len(english) > 4 and len(folders) == 2 * len(english) + 2  # and names-en, -nl
    assert sum(entry(out, p)["page_count"] for p in english) == indexed
    # The names part: every indexed page of the language once, by its title.
    names = json.loads((out / "pagefind/names-en/pagefind-entry.json").read_bytes())
    assert names["languages"]["en"]["page_count"] == indexed
    search_page = (out / "en/search/index.html").read_text()
    more = " ".join(f"../../pagefind/{p}/" for p in english[1:])
    assert f'data-more="{more}"' in search_page
    assert 'data-names="../../pagefind/names-en/"' in search_page
    # The first part and the names part carry Pagefind's script and WebAssembly (the
    # names are searched by a Pagefind of their own); the other parts only their index.
    assert (out / "pagefind/en/pagefind.js").is_file()
    assert (out / "pagefind/names-en/pagefind.js").is_file()
    assert not list((out / "pagefind" / english[1]).glob("*.js"))
    assert_same(snapshot(out), cold(root, tmp_path))

    # Twelve cities fewer, fewer parts: the search pages follow and the other parts go.
    for city in sorted((root / "content/cities").iterdir())[:12]:
        shutil.rmtree(city)
    left = {p.name for p in (root / "content/cities").iterdir()}
    for path in (root / "content/cities").glob("*/city.yaml"):  # no partner links to them
        lines = path.read_text("utf-8").splitlines(keepends=True)
        kept = [
            line
            for line in lines
            if not (line.startswith("    city: ") and line.split(": ", 1)[1].strip() not in left)
        ]
        path.write_text("".join(kept), "utf-8")
    build(root, out, jobs=2)
    fewer = sorted(p.name for p in (out / "pagefind").iterdir())
    assert len(fewer) < len(folders)
    assert_same(snapshot(out), cold(root, tmp_path))


@pytest.mark.parametrize("edit", [False, True], ids=["no-change", "one-edit"])
def test_files_dropped_into_the_output_are_gone_after_an_incremental_build(
    site: Path, tmp_path: Path, edit: bool
) -> None:
    root = tmp_path / "site"
    shutil.copytree(site, root)
    out = root / "build"
    build(root, out, jobs=1)
    (out / "stray.html").write_text("dropped in by hand", encoding="utf-8")
    (out / ".htaccess").write_text("Deny from all", encoding="utf-8")
    (out / "en" / "old-layout").mkdir()
    (out / "en" / "old-layout" / "index.html").write_text("an older layout", encoding="utf-8")
    city = sorted((out / "en" / "cities").iterdir())[0]
    (city / "notes.txt").write_text("left behind", encoding="utf-8")
    if edit:
        narrative = sorted((root / "content/cities").iterdir())[0] / "narrative.en.md"
        narrative.write_text(narrative.read_text("utf-8") + "\nEdited.\n", encoding="utf-8")
    report = build(root, out, jobs=1)
    assert report.rendered == (0 if not edit else report.rendered)
    assert not (out / ".htaccess").exists()
    assert_same(snapshot(out), cold(root, tmp_path))
    again = build(root, out, jobs=1)
    assert again.written == 0, "the next build finds nothing to do"
