"""The build as a whole: deterministic, atomic, and careful with the output folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cityprofiles.errors import ContentError, UsageError
from cityprofiles.pipeline import build
from conftest import MakeSite


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_builds_of_the_same_input_are_byte_identical(
    make_site: MakeSite, tmp_path: Path
) -> None:
    root = make_site()
    build(root, tmp_path / "a")
    build(root, tmp_path / "b")
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_failed_build_leaves_previous_output_untouched(make_site: MakeSite) -> None:
    root = make_site()
    out = root / "build"
    build(root, out)
    before = snapshot(out)
    (root / "content/cities/alphen/city.yaml").write_text("name: [broken\n")
    with pytest.raises(ContentError):
        build(root, out)
    assert snapshot(out) == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".build")] == []


def test_template_error_names_the_template_and_keeps_output(make_site: MakeSite) -> None:
    root = make_site(
        {
            "templates/about.html": "{% extends 'base.html' %}\n{% block content %}{{ nope( }}{% endblock %}\n"
        }
    )
    with pytest.raises(ContentError) as info:
        build(root, root / "build")
    problem = info.value.problems[0]
    assert problem.file == "templates/about.html"
    assert problem.line == 2
    assert not (root / "build").exists()


def test_unchanged_files_keep_their_modification_time(make_site: MakeSite) -> None:
    root = make_site()
    out = root / "build"
    build(root, out)
    page = out / "en/cities/alphen/index.html"
    os.utime(page, (1_000_000, 1_000_000))
    report = build(root, out)
    assert page.stat().st_mtime == 1_000_000
    assert report.written == 0


def test_changed_content_rewrites_only_affected_files(make_site: MakeSite) -> None:
    root = make_site()
    out = root / "build"
    build(root, out)
    other = out / "nl/steden/alphen/index.html"
    os.utime(other, (1_000_000, 1_000_000))
    narrative = root / "content/cities/alphen/narrative.en.md"
    narrative.write_text("Alphen changed.\n")
    report = build(root, out)
    assert 0 < report.written < report.files // 10
    assert other.stat().st_mtime == 1_000_000
    assert "Alphen changed." in (out / "en/cities/alphen/index.html").read_text()


@pytest.mark.parametrize("target", ["", "content", "content/cities"])
def test_output_folder_that_would_destroy_sources_is_refused(
    make_site: MakeSite, target: str
) -> None:
    root = make_site()
    with pytest.raises(UsageError):
        build(root, root / target if target else root)


def test_foreign_non_empty_output_folder_is_refused(make_site: MakeSite) -> None:
    root = make_site()
    out = root / "mine"
    out.mkdir()
    (out / "precious.txt").write_text("do not delete")
    with pytest.raises(UsageError):
        build(root, out)
    assert (out / "precious.txt").read_text() == "do not delete"


def test_base_url_override_changes_canonical_urls(make_site: MakeSite) -> None:
    root = make_site()
    build(root, root / "build", base_url="https://preview.example.net/pr-7")
    html = (root / "build/en/cities/alphen/index.html").read_text()
    assert (
        '<link rel="canonical" href="https://preview.example.net/pr-7/en/cities/alphen/">' in html
    )
