"""What cityprofiles writes can be read by a web server running as another user.

Temporary folders are private by design (``mkdtemp`` makes 0700); once they become the
output folder or a city folder they must have the modes the umask gives, as ``cp`` does.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import MakeSite, run_cli


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def modes(folder: Path) -> dict[str, set[str]]:
    """The distinct modes of the folders and files under ``folder`` (itself included)."""
    found: dict[str, set[str]] = {"folders": {oct(stat.S_IMODE(folder.stat().st_mode))}}
    found["files"] = set()
    for path in folder.rglob("*"):
        kind = "folders" if path.is_dir() else "files"
        found[kind].add(oct(stat.S_IMODE(path.lstat().st_mode)))
    return found


READABLE = {"folders": {"0o755"}, "files": {"0o644"}}


@pytest.mark.usefixtures("umask_022")
def test_build_and_rebuild_write_folders_0755_and_files_0644(make_site: MakeSite) -> None:
    root = make_site()
    assert run_cli("build", root).returncode == 0
    assert modes(root / "build") == READABLE
    narrative = root / "content/cities/alphen/narrative.en.md"
    narrative.write_text(narrative.read_text("utf-8") + "\nMore.\n", encoding="utf-8")
    assert run_cli("build", root).returncode == 0
    assert modes(root / "build") == READABLE
    assert run_cli("build", root, "--no-cache").returncode == 0
    assert modes(root / "build") == READABLE


@pytest.mark.usefixtures("umask_022")
def test_a_new_city_folder_is_0755_with_0644_files(make_site: MakeSite) -> None:
    root = make_site()
    result = run_cli("new", "city", "den-haag", "--name", "Den Haag", "--site", root)
    assert result.returncode == 0, result.stderr
    assert modes(root / "content/cities/den-haag") == READABLE


def test_a_stricter_umask_is_respected(make_site: MakeSite) -> None:
    root = make_site()
    previous = os.umask(0o027)
    try:
        assert run_cli("build", root).returncode == 0
    finally:
        os.umask(previous)
    assert modes(root / "build") == {"folders": {"0o750"}, "files": {"0o640"}}
