"""Stage 1, load: untrusted files become data with positions, or a positioned problem.

The cases that need the file system itself (permissions, symbolic links, sizes made
on the fly) live here; everything that fits in a file is in ``tests/bad_input/``.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

import pytest

from cityprofiles.content import DEFAULT_MAX_BYTES, SourceText, load_sources, parse_yaml, read_text
from cityprofiles.content.yaml_reader import MAX_NODES
from cityprofiles.errors import ContentError, Problem
from conftest import MakeSite, run_cli


def parse(text: str) -> Any:
    return parse_yaml(SourceText("f.yaml", text)).data


def problem_of(text: str) -> Problem:
    with pytest.raises(ContentError) as caught:
        parse(text)
    (problem,) = caught.value.problems
    return problem


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("country: NO", "NO"),  # the Norway problem of YAML 1.1
        ("a: yes", "yes"),
        ("a: off", "off"),
        ("a: 1:20", "1:20"),  # YAML 1.1 sexagesimal would give 80
        ("a: 0123", 123),  # not octal
        ("a: 0x1F", 31),
        ("a: true", True),
        ("a: 2.5", 2.5),
        ("a: ~", None),
        ('a: "12"', "12"),
        ("a: 2024-05-31", dt.date(2024, 5, 31)),
        ("a: 2024-02-30", "2024-02-30"),  # not a date: kept as text for a field-level message
    ],
)
def test_plain_scalars_follow_yaml_1_2(text: str, value: object) -> None:
    key = text.split(":")[0]
    assert parse(text)[key] == value


def test_positions_survive_bom_and_windows_line_endings() -> None:
    raw = "\ufeffname: Alphen\r\nname: Again\r\n".encode()
    source = SourceText("f.yaml", raw.decode("utf-8-sig").replace("\r\n", "\n"))
    with pytest.raises(ContentError) as caught:
        parse_yaml(source)
    assert caught.value.problems[0].location == "f.yaml:2:1"


def test_old_mac_line_endings_count_as_lines(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"a: 1\rb: 2\rb: 3\r")
    with pytest.raises(ContentError) as caught:
        parse_yaml(read_text(path, tmp_path))
    assert caught.value.problems[0].location == "f.yaml:3:1"


def test_alias_bomb_is_refused_fast_whatever_its_shape() -> None:
    # Width instead of depth: one anchor repeated in a flat list.
    text = "a: &a [" + ", ".join(["x"] * 100) + "]\nb: [" + ", ".join(["*a"] * 1000) + "]\n"
    started = time.perf_counter()
    problem = problem_of(text)
    assert time.perf_counter() - started < 1
    assert f"more than {MAX_NODES:,} values" in problem.message


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 100_000,
        "a: " + "{b: " * 100_000,
        "".join("  " * i + "- \n" for i in range(60)),
    ],
    ids=["flow-lists", "flow-mappings", "block-lists"],
)
def test_absurd_nesting_is_refused_without_recursion(text: str) -> None:
    started = time.perf_counter()
    problem = problem_of(text)
    assert time.perf_counter() - started < 1
    assert problem.code == "too-deep"
    assert "nested more than" in problem.message


def test_nesting_limit_is_ours_and_points_at_the_bracket_one_level_too_deep() -> None:
    # The root mapping is level 1, so the 40th bracket is the 41st level.
    problem = problem_of("name: " + "[" * 5000)
    assert (problem.code, problem.line, problem.column) == ("too-deep", 1, 46)
    nested_block = "a:\n  b:\n    c: " + "{d: " * 100
    problem = problem_of(nested_block)
    assert (problem.code, problem.line) == ("too-deep", 3)


@pytest.mark.parametrize(
    "text",
    [
        "name: Foo " + "[" * 60,  # a bracket inside plain text opens nothing
        "name: '" + "[" * 60 + "'",
        'name: "' + "{" * 60 + '"',
        "name: x # " + "[" * 60,
        "a: [" + "[1], " * 60 + "2]",  # many brackets, never deep
    ],
    ids=["plain", "single-quoted", "double-quoted", "comment", "wide"],
)
def test_many_brackets_that_do_not_nest_are_fine(text: str) -> None:
    assert parse(text)["name" if "name" in text else "a"]


def test_file_over_the_default_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * DEFAULT_MAX_BYTES)
    started = time.perf_counter()
    with pytest.raises(ContentError) as caught:
        read_text(path, tmp_path)
    assert time.perf_counter() - started < 1
    assert "file is too large" in caught.value.problems[0].message


def test_unreadable_file_is_reported_with_the_others(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site({"content/networks.yaml": "networks: [\n"})
    locked = root / "content/cities/alphen/narrative.nl.md"
    real_open = Path.open

    def deny(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    _, problems = load_sources(root)
    shown = {p.file: p.message for p in problems}
    assert shown["content/cities/alphen/narrative.nl.md"] == (
        "cannot read this file: permission denied"
    )
    assert "a value is missing here" in shown["content/networks.yaml"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_file_without_read_permission_gives_a_clean_cli_error(make_site: MakeSite) -> None:
    root = make_site()
    locked = root / "content/cities/alphen/city.yaml"
    locked.chmod(0)
    try:
        result = run_cli("check", root)
    finally:
        locked.chmod(0o644)
    assert result.returncode == 1
    assert "content/cities/alphen/city.yaml: cannot read this file: permission denied" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


def test_symlinks_that_leave_the_project_are_refused(make_site: MakeSite, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("secret\n")
    (outside / "city").mkdir()
    (outside / "city/city.yaml").write_text("name: Elsewhere\n")
    root = make_site({"content/cities/alphen/narrative.nl.md": None})
    (root / "content/cities/alphen/narrative.nl.md").symlink_to(outside / "secret.md")
    (root / "content/cities/elsewhere").symlink_to(outside / "city")
    result = run_cli("check", root)
    assert result.returncode == 1
    assert "content/cities/alphen/narrative.nl.md: this link points outside the project" in (
        result.stderr
    )
    assert "content/cities/elsewhere: this link points outside the project" in result.stderr
    assert "secret" not in result.stderr.replace("secret.md", "")


def test_symlink_inside_the_project_is_followed(make_site: MakeSite) -> None:
    root = make_site({"content/cities/alphen/narrative.nl.md": None})
    (root / "shared").mkdir()
    (root / "shared/nl.md").write_text("Gedeelde tekst.\n")
    (root / "content/cities/alphen/narrative.nl.md").symlink_to(root / "shared/nl.md")
    sources, problems = load_sources(root)
    assert not problems
    assert sources.cities[0].prose[("narrative", "nl")].text == "Gedeelde tekst.\n"


def test_a_broken_site_yaml_does_not_flood_other_files(make_site: MakeSite) -> None:
    root = make_site({"content/site.yaml": "title: [\n"})
    result = run_cli("check", root)
    assert result.returncode == 1
    assert result.stderr.count("error") <= 2, result.stderr
    assert "content/site.yaml:2:1: YAML syntax error: a value is missing here" in result.stderr


def test_links_out_of_templates_static_and_locales_are_refused(
    make_site: MakeSite, tmp_path: Path
) -> None:
    """A pull request adding ``static/key -> ~/.ssh/id_rsa`` must not publish the key."""
    outside = tmp_path / "outside"
    (outside / "dir").mkdir(parents=True)
    (outside / "secret.txt").write_text("SECRET")
    root = make_site({"templates/partials/.keep": "", "other/.keep": ""})
    (root / "static").mkdir()
    (root / "static/key.txt").symlink_to(outside / "secret.txt")
    (root / "static/inside").symlink_to(root / "other")  # inside: followed and checked
    (root / "other/leak.txt").symlink_to(outside / "secret.txt")
    (root / "templates/city.html").symlink_to(outside / "secret.txt")
    (root / "locales").symlink_to(outside / "dir")
    result = run_cli("build", root)
    assert result.returncode == 1
    for shown in (
        "static/key.txt",
        "static/inside/leak.txt",
        "templates/city.html",
        "locales",
    ):
        assert f"{shown}: this link points outside the project" in result.stderr, result.stderr
    assert not (root / "build").exists()


def test_a_named_pipe_is_refused_instead_of_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "city.yaml"
    os.mkfifo(fifo)
    with pytest.raises(ContentError) as caught:
        read_text(fifo, tmp_path)
    assert caught.value.problems[0].message == "this is not a regular file"
