"""The pipelines in docs/publishing.md: valid YAML, real commands, a working Code Quality step."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from typing import Any

import yaml

from cityprofiles.cli import make_parser
from conftest import REPO, MakeSite, run_cli

DOC = (REPO / "docs/publishing.md").read_text("utf-8")


def _yaml_blocks() -> list[Any]:
    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", DOC, flags=re.DOTALL)]


def _commands(node: Any) -> list[str]:
    """Every ``cityprofiles …`` shell line in a pipeline."""
    found: list[str] = []
    if isinstance(node, dict):
        for value in node.values():
            found += _commands(value)
    elif isinstance(node, list):
        for item in node:
            found += _commands(item)
    elif isinstance(node, str):
        plain = re.sub(r"\$\{\{.*?\}\}", "https://x.org", node)  # GitHub expressions
        found += [
            line.strip().split(" >")[0].split(" ||")[0]
            for line in plain.splitlines()
            if line.strip().startswith("cityprofiles ")
        ]
    return found


def test_both_pipelines_are_valid_yaml_with_check_build_and_publish() -> None:
    github, gitlab = _yaml_blocks()
    steps = github["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert "cityprofiles check --strict --format github" in runs
    assert any(r.startswith("cityprofiles build") and "--base-url" in r for r in runs)
    assert any(
        s.get("uses", "").startswith("actions/deploy-pages")
        for s in github["jobs"]["deploy"]["steps"]
    )
    assert gitlab["pages"]["artifacts"]["paths"] == ["public"]
    assert gitlab["check"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"


def test_every_command_in_the_pipelines_is_accepted_by_the_cli() -> None:
    commands = [c for block in _yaml_blocks() for c in _commands(block)]
    assert len(commands) >= 4
    parser = make_parser()
    for command in commands:
        args = shlex.split(command)
        parser.parse_args(args[1:])  # exits (fails the test) on an unknown option


def test_the_gitlab_code_quality_step_converts_real_check_output(make_site: MakeSite) -> None:
    root = make_site(
        {"content/cities/alphen/city.yaml": "name: Alphen\ncountry: NL\npopulaton: 5\n"}
    )
    problems = run_cli("check", root, "--strict", "--format", "json")
    assert problems.returncode == 1
    script = _yaml_blocks()[1]["check"]["variables"]["CODE_QUALITY"]
    result = subprocess.run(
        [sys.executable, "-c", script],
        input=problems.stdout,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout)
    assert len(report) == len(json.loads(problems.stdout)["problems"])
    first = report[0]
    assert first["location"]["path"] == "content/cities/alphen/city.yaml"
    assert first["location"]["lines"]["begin"] >= 1
    assert first["severity"] == "major"
    assert len({r["fingerprint"] for r in report}) == len(report)
