"""Nothing lost: a failed build leaves the previous output exactly as it was, and no
temporary folder behind; the writer never touches anything that is not its own output.

Faults are injected where they happen in real life: a full disk while a file is written,
Ctrl-C (KeyboardInterrupt) while writing, while swapping folders and while deleting the
old output.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from cityprofiles.errors import BuildError, ContentError, UsageError
from cityprofiles.output import MARKER, check_output_folder, write, write_site
from cityprofiles.pipeline import build
from conftest import BASE_FILES, MakeSite, run_cli

Snapshot = dict[str, tuple[bytes, int, int]]


def snapshot(folder: Path) -> Snapshot:
    """Every file's bytes, modification time and inode: 'exactly as it was' means all three."""
    result: Snapshot = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            info = path.stat()
            result[path.relative_to(folder).as_posix()] = (
                path.read_bytes(),
                info.st_mtime_ns,
                info.st_ino,
            )
    return result


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One site with a good build, made once; each test works on a copy of it."""
    root = tmp_path_factory.mktemp("built") / "site"
    for rel, text in BASE_FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    build(root, root / "build")
    return root


@pytest.fixture
def built(built_once: Path, tmp_path: Path) -> tuple[Path, Path, Snapshot]:
    """A site with a previous good build in ``build/`` (a private copy)."""
    root = tmp_path / "site"
    shutil.copytree(built_once, root)
    out = root / "build"
    return root, out, snapshot(out)


def retitle(root: Path) -> None:
    """Change the site title, which is on every page, so every page is rewritten."""
    site = root / "content/site.yaml"
    text = site.read_text("utf-8").replace("Test Cities", "Retitled")
    site.write_text(text.replace("Teststeden", "Retitled"), encoding="utf-8")


def fail_after(count: int, error: BaseException) -> Any:
    """A replacement for ``write._write_file`` that fails on the ``count``-th file."""
    calls = {"n": 0}
    real = write._write_file

    def fake(target: Path, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] >= count:
            raise error
        real(target, data)

    return fake


def test_content_error_leaves_previous_build_untouched(built: tuple[Path, Path, Snapshot]) -> None:
    root, out, before = built
    (root / "content/cities/alphen/city.yaml").write_text("name: [Alphen\n", encoding="utf-8")
    with pytest.raises(ContentError):
        build(root, out)
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_template_error_leaves_previous_build_untouched(
    built: tuple[Path, Path, Snapshot],
) -> None:
    root, out, before = built
    (root / "templates").mkdir()
    (root / "templates/city.html").write_text("{% extends 'base.html' %}{% block content %}{{ x }")
    with pytest.raises(ContentError) as caught:
        build(root, out)
    assert caught.value.problems[0].file == "templates/city.html"
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_full_disk_leaves_previous_build_untouched(
    built: tuple[Path, Path, Snapshot], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out, before = built
    retitle(root)
    full = OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(write, "_write_file", fail_after(3, full))
    with pytest.raises(BuildError, match="No space left on device"):
        build(root, out)
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_ctrl_c_while_writing_leaves_previous_build_untouched(
    built: tuple[Path, Path, Snapshot], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out, before = built
    retitle(root)
    monkeypatch.setattr(write, "_write_file", fail_after(5, KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        build(root, out)
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_ctrl_c_during_the_swap_puts_the_previous_build_back(
    built: tuple[Path, Path, Snapshot], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out, before = built
    (root / "content/pages/about.en.md").write_text("Changed.\n")
    real_replace = os.replace
    calls = {"n": 0}

    def replace(src: Any, dst: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # out -> old succeeded; interrupt new -> out
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(write.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        build(root, out)
    monkeypatch.undo()
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_ctrl_c_while_deleting_the_old_output_still_cleans_up(
    built: tuple[Path, Path, Snapshot], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out, _ = built
    (root / "content/pages/about.en.md").write_text("Changed and kept.\n")
    real_rmtree = write.shutil.rmtree
    calls = {"n": 0}

    def rmtree(path: Any, *args: Any, **kwargs: Any) -> None:
        if ".old-" in str(path):
            calls["n"] += 1
            if calls["n"] == 1:
                raise KeyboardInterrupt
        real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(write.shutil, "rmtree", rmtree)
    with pytest.raises(KeyboardInterrupt):
        build(root, out)
    assert "Changed and kept." in (out / "en/about/index.html").read_text("utf-8")
    assert leftovers(out) == []


def test_folders_left_by_a_killed_build_are_removed_but_foreign_ones_kept(
    built: tuple[Path, Path, Snapshot],
) -> None:
    root, out, _ = built
    killed = root / ".build.tmp-killed"
    killed.mkdir()
    (killed / MARKER).write_text("")
    (killed / "half.html").write_text("<p>half")
    foreign = root / ".build.tmp-not-ours"
    foreign.mkdir()
    (foreign / "precious.txt").write_text("keep me")
    build(root, out)
    assert not killed.exists()
    assert (foreign / "precious.txt").read_text() == "keep me"


def test_unchanged_files_keep_their_inode_and_time(built: tuple[Path, Path, Snapshot]) -> None:
    root, out, before = built
    report = build(root, out)
    assert report.written == 0
    assert snapshot(out) == before


@pytest.mark.parametrize("rel", ["../escape.html", "/etc/passwd", "a/../../escape.html"])
def test_writer_refuses_paths_outside_the_output_folder(tmp_path: Path, rel: str) -> None:
    out = tmp_path / "out"
    with pytest.raises(BuildError, match="outside the output folder"):
        write_site({rel: b"x"}, out)
    assert not (tmp_path / "escape.html").exists()
    assert leftovers(out) == []


@pytest.mark.parametrize(
    "choose",
    [
        pytest.param(lambda root: root, id="project-root"),
        pytest.param(lambda root: root / "content", id="content"),
        pytest.param(lambda root: root / "content/cities", id="inside-content"),
        pytest.param(lambda root: root.parent, id="parent-of-project"),
        pytest.param(lambda root: Path("/"), id="filesystem-root"),
        pytest.param(lambda root: Path.home(), id="home"),
    ],
)
def test_output_folder_that_would_destroy_sources_is_refused(
    make_site: MakeSite, choose: Any
) -> None:
    root = make_site()
    with pytest.raises(UsageError, match="refusing"):
        check_output_folder(choose(root), root)


def test_foreign_non_empty_output_folder_is_refused_and_kept(make_site: MakeSite) -> None:
    root = make_site()
    out = root / "public"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    result = run_cli("build", root, "--out", out)
    assert result.returncode == 2
    assert "not made by cityprofiles" in result.stderr
    assert (out / "notes.txt").read_text() == "mine"
    assert "Traceback" not in result.stderr


def test_output_that_is_a_file_is_refused(make_site: MakeSite) -> None:
    root = make_site()
    (root / "build").write_text("a file")
    with pytest.raises(UsageError, match="not a folder"):
        check_output_folder(root / "build", root)


@pytest.mark.parametrize("delay", [0.4, 1.0, 1.8])
def test_real_ctrl_c_leaves_one_whole_build(make_site: MakeSite, delay: float) -> None:
    """SIGINT to the real command at some moment: the output is the old build or the new
    one, never a mix, and no temporary folder is left."""
    import signal
    import subprocess
    import sys
    import time

    from conftest import CITY_YAML, SRC

    extra = {
        f"content/cities/city-{n}/city.yaml": CITY_YAML.replace("Alphen", f"City {n}")
        for n in range(25)
    }
    root = make_site(extra)
    out = root / "build"
    build(root, out)
    retitle(root)
    env = {**os.environ, "PYTHONPATH": str(SRC), "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "cityprofiles", "build", str(root)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode in (0, 130), stderr
    assert "Traceback" not in stderr
    assert leftovers(out) == []
    titles = {
        "Retitled" in page.read_text("utf-8")
        for page in out.rglob("*.html")
        if "404" not in page.name
    }
    assert len(titles) == 1, "the output mixes pages of the old and the new build"
    if process.returncode == 0:
        assert titles == {True}
    # After an interrupt the old build stays, unless the signal came after the swap
    # (while the report was printed): then the new build is already whole.
