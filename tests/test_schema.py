"""``cityprofiles schema``: JSON Schemas that match the models, are committed, and accept real content."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import BASE_FILES, REPO, run_cli

CONTENT_FILES = {
    "city": "content/cities/alphen/city.yaml",
    "site": "content/site.yaml",
    "networks": "content/networks.yaml",
    "accessibility": "content/accessibility.yaml",
    "sdgs": "content/sdgs.yaml",
}
EXAMPLES = {  # content files that the base test site does not have
    "content/sdgs.yaml": "goals:\n  1:\n    name:\n      de: Keine Armut\n",
}


def _plain(value: Any) -> Any:
    """YAML dates as the strings an editor's YAML extension sees."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _validator(name: str) -> Any:
    jsonschema = pytest.importorskip("jsonschema", reason="needs jsonschema (test extra)")
    schema = json.loads((REPO / "schema" / f"{name}.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_command_writes_the_committed_schemas(tmp_path: Path) -> None:
    result = run_cli("schema", "--site", tmp_path, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == [f"{n}.schema.json" for n in sorted(CONTENT_FILES)]
    for name in written:
        fresh = (tmp_path / "out" / name).read_text("utf-8")
        committed = (REPO / "schema" / name).read_text("utf-8")
        assert fresh == committed, f"schema/{name} is stale: run `cityprofiles schema`"


@pytest.mark.parametrize("name", sorted(CONTENT_FILES))
def test_valid_content_passes_its_schema(name: str) -> None:
    path = CONTENT_FILES[name]
    data = _plain(yaml.safe_load(BASE_FILES.get(path) or EXAMPLES[path]))
    errors = [e.message for e in _validator(name).iter_errors(data)]
    assert errors == []


def test_the_shipped_content_passes_the_schemas() -> None:
    for path in sorted((REPO / "content").rglob("*.yaml")):
        name = "city" if path.name == "city.yaml" else path.stem
        data = _plain(yaml.safe_load(path.read_text("utf-8")))
        errors = [e.message for e in _validator(name).iter_errors(data)]
        assert errors == [], path


def test_the_schema_catches_what_an_editor_gets_wrong() -> None:
    city = _plain(yaml.safe_load(BASE_FILES[CONTENT_FILES["city"]]))
    validator = _validator("city")
    assert not validator.is_valid({**city, "country": "Netherlands"})
    assert not validator.is_valid({**city, "populaton": 5})
    assert not validator.is_valid({**city, "summary": "one language only, not a mapping"})
    site = _plain(yaml.safe_load(BASE_FILES[CONTENT_FILES["site"]]))
    assert _validator("site").is_valid({**site, "languages": ["en", {"code": "nl"}]})
    assert not _validator("site").is_valid({**site, "languages": ["English"]})
    goals = _validator("sdgs")
    assert goals.is_valid({"goals": {"17": {"description": {"de": "Partnerschaften"}}}})
    assert not goals.is_valid({"goals": {"18": {"name": {"de": "Achtzehn"}}}})
    assert not goals.is_valid({"goals": {"1": {"titel": {"de": "x"}}}})


def test_every_shipped_content_file_points_at_an_existing_schema() -> None:
    for path in sorted((REPO / "content").rglob("*.yaml")):
        first = path.read_text("utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{path} lacks the yaml-language-server comment"
        assert (path.parent / match.group(1)).resolve().is_file(), path


def test_schema_refuses_a_file_as_output_folder(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = run_cli("schema", "--site", tmp_path, "--out", tmp_path / "file")
    assert result.returncode == 2
    assert "is not a folder" in result.stderr
