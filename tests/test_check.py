"""``cityprofiles check`` output formats: text (coloured only on a terminal), json, github."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys

import pytest

from conftest import SRC, MakeSite, run_cli

MISSING_NL = {"content/cities/alphen/narrative.nl.md": None}


def _terminal_environment() -> dict[str, str]:
    """This process's environment as a colour terminal's: a person's terminal says what it
    is in TERM; CI runners and ``env -i`` often say ``dumb`` or nothing, and rich rightly
    draws no colours and no live display for those."""
    skip = ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "TERM")
    environment = {k: v for k, v in os.environ.items() if k not in skip}
    environment["TERM"] = "xterm-256color"
    return environment


def _check_on_terminal(root: object, **env: str) -> str:
    """Run ``check`` with stderr on a pseudo-terminal, as in an editor's shell."""
    return _on_terminal("check", root, **env)[1]


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_text_is_coloured_on_a_terminal_unless_no_color(make_site: MakeSite) -> None:
    root = make_site(MISSING_NL)
    coloured = _check_on_terminal(root)
    assert "\x1b[33mwarning:\x1b[0m" in coloured
    plain = _check_on_terminal(root, NO_COLOR="1")
    assert "warning:" in plain
    assert not re.search(r"\x1b\[[0-9;]*m", plain), "no colour or bold"  # the progress
    # line still moves the cursor: NO_COLOR is about colour (https://no-color.org)
    piped = run_cli("check", root)
    assert "\x1b[" not in piped.stderr


def test_github_format_annotates_warnings_and_strict_makes_them_errors(
    make_site: MakeSite,
) -> None:
    root = make_site(MISSING_NL)
    result = run_cli("check", root, "--format", "github")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines
    assert all(line.startswith("::warning file=content/") for line in lines)
    assert any("title=missing-translation::narrative: no narrative.nl.md" in x for x in lines)
    strict = run_cli("check", root, "--strict", "--format", "github")
    assert strict.returncode == 1
    assert strict.stdout.replace("::error", "::warning") == result.stdout


def test_json_format_reports_warnings_of_valid_content_with_exit_zero(
    make_site: MakeSite,
) -> None:
    root = make_site(MISSING_NL)
    result = run_cli("check", root, "--format", "json")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["errors"] == 0
    assert report["warnings"] == len(report["problems"]) >= 1
    assert {p["severity"] for p in report["problems"]} == {"warning"}
    assert set(report["problems"][0]) == {
        "file",
        "line",
        "column",
        "path",
        "message",
        "severity",
        "code",
    }


def _on_terminal(*args: object, **env: str) -> tuple[str, str]:
    """Run the command with stderr on a pseudo-terminal; (stdout, what the terminal showed)."""
    environment = _terminal_environment()
    environment.update(env, PYTHONPATH=str(SRC), COLUMNS="100")
    main, secondary = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "cityprofiles", *map(str, args)],
            stderr=secondary,
            stdout=subprocess.PIPE,
            env=environment,
            timeout=300,
            check=False,
            text=True,
        )
    finally:
        os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    return done.stdout, b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_long_stage_shows_its_progress_on_a_terminal_and_nowhere_else(
    make_site: MakeSite,
) -> None:
    root = make_site()
    _, shown = _on_terminal("build", root, "--no-search", "--no-cache")
    assert "Rendering and writing" in shown
    assert re.search(r"\d+/\d+", shown), shown  # pages done of the total
    piped = run_cli("build", root, "--no-search", "--no-cache")
    assert piped.returncode == 0
    assert "Rendering" not in piped.stderr + piped.stdout
    _, quiet = _on_terminal("build", root, "--no-search", "--no-cache", "-q")
    assert "Rendering" not in quiet
    _, checking = _on_terminal("check", root)
    assert "Rendering every page" in checking
    stdout, as_json = _on_terminal("check", root, "--format", "json")
    assert "Rendering" not in as_json
    assert json.loads(stdout)["errors"] == 0


def test_counts_in_messages_are_singular_or_plural(make_site: MakeSite) -> None:
    root = make_site(MISSING_NL)
    checked = run_cli("check", root)
    assert "Content is valid. 1 warning." in checked.stdout
    built = run_cli("build", root, "--no-search")
    assert ", 1 warning." in built.stdout
    assert "1 warnings" not in built.stdout + built.stderr + checked.stderr
