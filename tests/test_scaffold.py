"""``cityprofiles new city``: a complete scaffold that passes ``check`` and that ``--strict`` lists."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from cityprofiles.errors import UsageError
from cityprofiles.model import City
from cityprofiles.scaffold import check_slug
from conftest import REPO, MakeSite, run_cli

OPTIONAL_WITHOUT_TODO = {"slug", "population", "nationalities"}


def _new(root: Path, slug: str, *options: str) -> Any:
    return run_cli("new", "city", *options, "--site", root, "--", slug)


def _texts(value: Any) -> list[dict[str, str]]:
    """Every mapping that looks like a translatable text (keys are language codes)."""
    found: list[dict[str, str]] = []
    if isinstance(value, dict):
        if value and all(len(k) == 2 and isinstance(v, str) for k, v in value.items()):
            found.append(value)
        else:
            for item in value.values():
                found += _texts(item)
    elif isinstance(value, list):
        for item in value:
            found += _texts(item)
    return found


def test_new_city_passes_check_and_strict_lists_every_todo(make_site: MakeSite) -> None:
    root = make_site()
    result = _new(root, "den-haag", "--name", "Den Haag")
    assert result.returncode == 0, result.stderr
    folder = root / "content/cities/den-haag"
    assert sorted(p.name for p in folder.iterdir()) == [
        "city.yaml",
        "narrative.en.md",
        "narrative.nl.md",
    ]
    check = run_cli("check", root, "--format", "json")
    assert check.returncode == 0, check.stdout
    problems = json.loads(check.stdout)["problems"]
    assert problems and {p["code"] for p in problems} == {"todo"}
    strict = run_cli("check", root, "--strict", "--format", "json")
    assert strict.returncode == 1
    report = json.loads(strict.stdout)
    assert report["errors"] == len(problems)
    files = {p["file"] for p in report["problems"]}
    assert files == {
        "content/cities/den-haag/city.yaml",
        "content/cities/den-haag/narrative.en.md",
        "content/cities/den-haag/narrative.nl.md",
    }
    paths = {p["path"] for p in report["problems"]}
    for expected in ("coordinates", "website", "mayor.name", "contacts[0].email", "summary.nl"):
        assert expected in paths
    assert all(p["line"] for p in report["problems"])
    assert run_cli("build", root).returncode == 0


def test_new_city_has_every_section_in_every_language(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/site.yaml": """\
                title: {en: T, nl: T, de: T}
                tagline: {en: T, nl: T, de: T}
                publisher: P
                base_url: https://test.example.org/
                languages: [nl, en, de]
            """
        }
    )
    assert _new(root, "gent", "--name", "Gent", "--country", "be").returncode == 0
    text = (root / "content/cities/gent/city.yaml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schema/city.schema.json\n")
    assert (root / "schema/city.schema.json").is_file()
    data = yaml.safe_load(text)
    sections = set(City.model_fields) - {"id", "narrative"} - OPTIONAL_WITHOUT_TODO
    assert sections <= set(data)
    assert data["country"] == "BE"
    texts = _texts(data)
    assert texts and all(list(t) == ["nl", "en", "de"] for t in texts)
    assert all(v.startswith("TODO") for t in texts for v in t.values())
    for lang in ("nl", "en", "de"):
        assert (root / f"content/cities/gent/narrative.{lang}.md").is_file()


def test_new_city_passes_the_json_schema(make_site: MakeSite) -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="needs jsonschema (test extra)")
    root = make_site()
    assert _new(root, "breda", "--name", "Breda").returncode == 0
    data = yaml.safe_load((root / "content/cities/breda/city.yaml").read_text("utf-8"))
    data["last_reviewed"] = (
        data["last_reviewed"].isoformat()
        if isinstance(data["last_reviewed"], dt.date)
        else data["last_reviewed"]
    )
    schema = json.loads((REPO / "schema/city.schema.json").read_text("utf-8"))
    assert [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)] == []


def test_a_name_with_quotes_and_colons_stays_valid_yaml(make_site: MakeSite) -> None:
    root = make_site()
    name = 'Sint-"Joost": ten Noode # not a comment'
    assert _new(root, "sint-joost", "--name", name, "--country", "BE").returncode == 0
    data = yaml.safe_load((root / "content/cities/sint-joost/city.yaml").read_text("utf-8"))
    assert data["name"] == name
    assert run_cli("check", root).returncode == 0


def test_new_city_refuses_an_existing_city_and_changes_nothing(make_site: MakeSite) -> None:
    root = make_site()
    before = (root / "content/cities/alphen/city.yaml").read_bytes()
    result = _new(root, "alphen", "--name", "Alphen")
    assert result.returncode == 2
    assert "already exists" in result.stderr
    assert (root / "content/cities/alphen/city.yaml").read_bytes() == before


@pytest.mark.parametrize(
    "slug", ["../escape", "Den-Haag", "den haag", "a/b", "-x", "x-", ".hidden", "a" * 65, "é"]
)
def test_unsafe_slugs_are_refused(slug: str) -> None:
    with pytest.raises(UsageError, match="cannot be a city folder name"):
        check_slug(slug)


def test_new_city_refuses_an_unsafe_slug_and_writes_nothing(make_site: MakeSite) -> None:
    root = make_site()
    result = _new(root, "../escape", "--name", "X", "--country", "NL")
    assert result.returncode == 2
    assert "cannot be a city folder name" in result.stderr
    assert sorted(p.name for p in (root / "content/cities").iterdir()) == ["alphen"]
    assert not (root / "content/escape").exists()


def test_country_is_asked_for_when_the_cities_disagree(make_site: MakeSite) -> None:
    root = make_site({"content/cities/gent/city.yaml": "country: BE\n"})
    result = _new(root, "leuven", "--name", "Leuven")
    assert result.returncode == 2
    assert "--country" in result.stderr
    assert _new(root, "leuven", "--name", "Leuven", "--country", "Belgium").returncode == 2
