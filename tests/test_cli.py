"""The command line through the real entry point: exit codes, messages, no tracebacks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SRC, MakeSite, run_cli


def test_build_writes_both_languages_and_exits_zero(make_site: MakeSite) -> None:
    root = make_site()
    result = run_cli("build", root)
    assert result.returncode == 0, result.stderr
    assert "Built" in result.stdout
    assert (root / "build/en/cities/alphen/index.html").is_file()
    assert (root / "build/nl/steden/alphen/index.html").is_file()
    assert (root / "build/index.html").is_file()


def test_content_error_exits_one_with_position_and_no_traceback(make_site: MakeSite) -> None:
    root = make_site({"content/cities/alphen/city.yaml": "name: Alphen\ncountry: [NL\n"})
    result = run_cli("check", root)
    assert result.returncode == 1
    assert "content/cities/alphen/city.yaml:2:" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_error_exits_two(tmp_path: Path) -> None:
    result = run_cli("build", tmp_path / "nowhere")
    assert result.returncode == 2
    assert "no content/ folder" in result.stderr
    assert run_cli("frobnicate").returncode == 2


def test_check_json_lists_every_problem(make_site: MakeSite) -> None:
    import json

    root = make_site(
        {
            "content/cities/alphen/city.yaml": "name: Alphen\ncountry: NL\npopulaton: 5\n",
        }
    )
    result = run_cli("check", root, "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    messages = [p["message"] for p in report["problems"]]
    assert any("did you mean 'population'" in m for m in messages)
    assert any("required field 'coordinates' is missing" in m for m in messages)
    assert report["errors"] >= 2


def test_check_github_format_annotates_lines(make_site: MakeSite) -> None:
    root = make_site({"content/cities/alphen/city.yaml": "name: Alphen\nname: Other\n"})
    result = run_cli("check", root, "--format", "github")
    assert result.returncode == 1
    assert "::error file=content/cities/alphen/city.yaml,line=2,col=1" in result.stdout


def test_strict_turns_missing_translation_into_error(make_site: MakeSite) -> None:
    root = make_site({"content/cities/alphen/narrative.nl.md": None})
    assert run_cli("check", root).returncode == 0
    strict = run_cli("check", root, "--strict")
    assert strict.returncode == 1
    assert "narrative" in strict.stderr


def test_help_and_version() -> None:
    assert run_cli("--help").returncode == 0
    version = run_cli("--version")
    assert version.returncode == 0
    assert version.stdout.startswith("cityprofiles ")


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--port", "99999", "expected a port number from 1 to 65535, got '99999'"),
        ("--port", "0", "expected a port number from 1 to 65535, got '0'"),
        ("--port", "eighty", "expected a port number from 1 to 65535, got 'eighty'"),
        ("--host", "bad host!", "expected an IP address such as 127.0.0.1 or a host name"),
        (
            "--host",
            "under_score.example",
            "expected an IP address such as 127.0.0.1 or a host name",
        ),
    ],
)
def test_serve_refuses_a_bad_port_or_host_before_building(
    make_site: MakeSite, option: str, value: str, message: str
) -> None:
    root = make_site()
    result = run_cli("serve", root, option, value)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (root / "build").exists()


def test_serve_on_every_interface_warns_that_drafts_are_visible(make_site: MakeSite) -> None:
    root = make_site()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = str(sock.getsockname()[1])
    env = dict(os.environ, PYTHONPATH=str(SRC), NO_COLOR="1", PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "cityprofiles", "serve", root, "--host", "0.0.0.0", "--port", port],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stderr is not None
        first = process.stderr.readline()
    finally:
        process.terminate()
        process.communicate(timeout=30)  # also closes the pipe
    assert "--host 0.0.0.0 lets everyone on the network see the preview" in first, first


def test_a_build_with_nothing_to_do_imports_neither_the_model_nor_the_templates(
    make_site: MakeSite,
) -> None:
    """A no-change build answers from the cache in a tenth of a second; importing pydantic,
    the model and Jinja2 would double that (the stage layout once did, through the search
    index's part plan)."""
    root = make_site()
    assert run_cli("build", "--no-search", cwd=root).returncode == 0
    script = (
        "import runpy, sys\n"
        "sys.argv = ['cityprofiles', 'build', '-q', '--no-search']\n"
        "try:\n"
        "    runpy.run_module('cityprofiles', run_name='__main__')\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, None), exc.code\n"
        "print(sorted(m for m in ('pydantic', 'jinja2', 'markdown') if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
