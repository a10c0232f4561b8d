"""The editor's configuration: generated from the model and site.yaml, committed, published.

What the form offers must follow the model (a field, its bounds, its required-ness, its
help) and the site's languages, and what is committed or built must be what the
generator makes now.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

import cityprofiles.cms
from cityprofiles.cms import fields as cms_fields
from cityprofiles.cms.admin import configurations, csp
from cityprofiles.cms.decap import decap_config, read_site, strip_markers
from cityprofiles.model import AccessibilityStatement, City, NetworkRegistry, SiteConfig
from conftest import REPO, SITE_YAML, MakeSite, run_cli

GITHUB = """\
cms:
  locale: nl
  backend:
    name: github
    repo: gemeente-test/cityprofiles
    base_url: https://auth.test.example.org
"""


def config_of(root: Path, ui: str = "en") -> dict[str, Any]:
    site = read_site(root)
    return decap_config(site, ui, backend={"name": "proxy", "proxy_url": "/api/v1"}, site_url="/")


def collection(config: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in config["collections"] if c["name"] == name)
    return found


def fields_of(item: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = item.get("fields") or item["files"][0]["fields"]
    return found


def field(fields: list[dict[str, Any]], path: str) -> dict[str, Any]:
    """``strategy.title`` -> that field (through objects and list items)."""
    name, _, rest = path.partition(".")
    found = next(f for f in fields if f["name"] == name)
    return field(found["fields"], rest) if rest else found


def walk(fields: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in fields:
        yield item
        yield from walk(item.get("fields", []))
        if "field" in item:
            yield from walk([item["field"]])


def test_the_committed_configuration_is_what_the_generator_makes_now() -> None:
    fresh = configurations(read_site(REPO))
    for name, data in fresh.items():
        committed = (REPO / "schema" / "cms" / name).read_bytes()
        assert committed == data, f"schema/cms/{name} is stale: run `cityprofiles schema`"
    assert sorted(p.name for p in (REPO / "schema" / "cms").iterdir()) == sorted(fresh)


def test_every_translated_field_has_one_input_per_language_named_in_that_language(
    make_site: MakeSite,
) -> None:
    config = config_of(make_site())
    cities = fields_of(collection(config, "cities"))
    summary = field(cities, "summary")
    assert summary["widget"] == "object"
    assert [(f["name"], f["label"], f["widget"]) for f in summary["fields"]] == [
        ("en", "English", "text"),
        ("nl", "Nederlands", "text"),
    ]
    # The model requires a summary: the default language is required, a translation not.
    assert [f["required"] for f in summary["fields"]] == [True, False]
    name = field(cities, "name")
    assert name["cityprofiles"] == "name"  # shown in every language when written plain
    assert [f["widget"] for f in name["fields"]] == ["string", "string"]
    region = field(cities, "region")
    assert region["required"] is False
    assert [f["required"] for f in region["fields"]] == [False, False]
    themes = field(cities, "themes")
    assert themes["widget"] == "list"
    assert [f["name"] for f in themes["fields"]] == ["en", "nl"]


def test_the_languages_of_the_form_follow_site_yaml(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/site.yaml": """\
                title: {nl: Teststeden, en: Test Cities}
                tagline: {nl: Een kleine testsite, en: A small test site}
                publisher: De testers
                base_url: https://test.example.org/
                languages: [nl, en]
            """
        }
    )
    summary = field(fields_of(collection(config_of(root), "cities")), "summary")
    assert [(f["name"], f["label"], f["required"]) for f in summary["fields"]] == [
        ("nl", "Nederlands", True),
        ("en", "English", False),
    ]
    english_only = (
        "title: {en: Test Cities}\ntagline: {en: A small test site}\npublisher: The testers\n"
        "base_url: https://test.example.org/\nlanguages: [en]\n"
    )
    (root / "content/site.yaml").write_text(english_only, "utf-8")
    summary = field(fields_of(collection(config_of(root), "cities")), "summary")
    assert [f["label"] for f in summary["fields"]] == ["English"]


def test_widgets_carry_the_models_bounds_patterns_and_choices(make_site: MakeSite) -> None:
    cities = fields_of(collection(config_of(make_site()), "cities"))
    population = field(cities, "population.value")
    assert (population["widget"], population["value_type"], population["min"]) == (
        "number",
        "int",
        1,
    )
    year = field(cities, "population.year")
    assert (year["min"], year["max"]) == (1000, 2100)
    lat = field(cities, "coordinates.lat")
    assert (lat["value_type"], lat["min"], lat["max"], lat["required"]) == ("float", -90, 90, True)
    reviewed = field(cities, "last_reviewed")
    assert reviewed["widget"] == "datetime" and reviewed["time_format"] is False
    assert reviewed["format"] == "YYYY-MM-DD"
    assert re.match(field(cities, "website")["pattern"][0], "https://www.utrecht.nl/")
    assert not re.match(field(cities, "website")["pattern"][0], "www.utrecht.nl")
    contacts = field(cities, "contacts")
    email = field(contacts["fields"], "email")["pattern"][0]
    assert re.match(email, "name@example.org") and not re.match(email, "name@")
    phone = field(contacts["fields"], "phone")["pattern"][0]
    assert re.match(phone, "+31 30 286 0000") and not re.match(phone, "030 286 0000")
    kind = field(field(cities, "partners")["fields"], "kind")
    assert [o["value"] for o in kind["options"]] == ["sister", "partner", "friendship", "neighbour"]
    assert "default" not in kind  # Decap would add an empty partner to every new city


def test_sdg_numbers_are_a_choice_of_the_17_goals_with_their_names(make_site: MakeSite) -> None:
    root = make_site()
    goal = field(
        field(fields_of(collection(config_of(root), "cities")), "sdgs.goals")["fields"], "goal"
    )
    assert goal["widget"] == "select"
    assert [o["value"] for o in goal["options"]] == list(range(1, 18))
    assert goal["options"][2]["label"] == "3. Good Health and Well-being"
    dutch = field(
        field(fields_of(collection(config_of(root, "nl"), "cities")), "sdgs.goals")["fields"],
        "goal",
    )
    assert dutch["options"][2]["label"] == "3. Goede gezondheid en welzijn"


def test_network_ids_are_a_relation_to_the_networks(make_site: MakeSite) -> None:
    config = config_of(make_site())
    network = field(
        field(fields_of(collection(config, "cities")), "memberships")["fields"], "network"
    )
    assert network["widget"] == "relation"
    assert (network["collection"], network["file"]) == ("networks", "networks")
    assert network["value_field"] == "networks.*.id"
    registry = field(fields_of(collection(config, "networks")), "networks")
    assert registry["cityprofiles"] == "keyed"  # a mapping by id, edited as a list
    assert registry["fields"][0]["name"] == "id"
    assert collection(config, "networks")["files"][0]["file"] == "content/networks.yaml"


def test_required_fields_are_marked_and_hints_come_from_the_descriptions(
    make_site: MakeSite,
) -> None:
    cities = fields_of(collection(config_of(make_site()), "cities"))
    assert field(cities, "country")["required"] is True
    assert field(cities, "nationalities")["required"] is False
    assert field(cities, "nationalities")["hint"] == "Number of nationalities living here"
    # Inside an optional section nothing is required (Decap would check it even when the
    # section is left empty); check reports a half-filled section on save.
    assert field(cities, "population.value")["required"] is False
    assert field(cities, "strategy.title")["required"] is True
    assert field(cities, "strategy")["hint"] == "The city's international strategy."
    dutch = fields_of(collection(config_of(make_site(), "nl"), "cities"))
    assert field(dutch, "nationalities")["hint"] == "Aantal nationaliteiten dat hier woont"
    assert field(dutch, "last_reviewed")["label"] == "Laatst gecontroleerd"


def _model_fields() -> Iterator[tuple[str, str, str | None]]:
    seen: set[type] = set()

    def visit(model: type[BaseModel]) -> Iterator[tuple[str, str, str | None]]:
        if model in seen:
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            if name in ("id", "narrative") and model in (City,):
                continue
            yield model.__name__, name, info.description
            for arg in _types(info.annotation):
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    yield from visit(arg)

    for model in (City, NetworkRegistry, AccessibilityStatement):
        yield from visit(model)
    for name in ("title", "tagline", "publisher"):
        yield "SiteConfig", name, SiteConfig.model_fields[name].description


def _types(annotation: Any) -> Iterator[Any]:
    yield annotation
    for arg in typing.get_args(annotation):
        yield from _types(arg)


def test_every_field_of_the_model_has_a_dutch_label_and_every_description_a_dutch_hint() -> None:
    table = yaml.safe_load((REPO / "src/cityprofiles/cms/labels.yaml").read_text("utf-8"))
    generic = cms_fields._generic_descriptions()
    missing_labels, missing_hints = [], []
    for owner, name, description in _model_fields():
        entry = table["labels"].get(f"{owner}.{name}") or table["labels"].get(name) or {}
        if "nl" not in entry:
            missing_labels.append(f"{owner}.{name}")
        if description and description not in generic:
            hint = table["hints"].get(f"{owner}.{name}") or {}
            if "nl" not in hint:
                missing_hints.append(f"{owner}.{name}")
    assert missing_labels == [], "add these to labels: in src/cityprofiles/cms/labels.yaml"
    assert missing_hints == [], "add these to hints: in src/cityprofiles/cms/labels.yaml"


def test_every_field_decap_sees_has_a_name_label_and_widget(make_site: MakeSite) -> None:
    config = strip_markers(config_of(make_site()))
    assert "'cityprofiles':" not in str(config)
    for item in config["collections"]:
        for one in walk(fields_of(item)):
            assert {"name", "label", "widget"} <= set(one), one


def test_a_site_with_a_git_host_publishes_admin_with_it(
    make_site: MakeSite, tmp_path: Path
) -> None:
    root = make_site({"content/site.yaml": SITE_YAML + GITHUB})
    site_yaml = root / "content/site.yaml"
    out = tmp_path / "out"
    built = run_cli("build", root, "--out", out, "--no-search")
    assert built.returncode == 0, built.stderr
    admin = out / "admin"
    assert (admin / "decap-cms.js").stat().st_size > 1_000_000
    assert (admin / "decap-cms.LICENSE.txt").read_text().startswith("Copyright (c) 2016 Netlify")
    config = yaml.safe_load((admin / "config.nl.yml").read_text("utf-8"))
    assert config["backend"] == {
        "name": "github",
        "repo": "gemeente-test/cityprofiles",
        "branch": "main",
        "base_url": "https://auth.test.example.org",
    }
    assert config["publish_mode"] == "editorial_workflow"
    assert config["locale"] == "nl"
    assert config["site_url"] == "https://test.example.org/"
    page = (admin / "index.html").read_text("utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert 'data-default-locale="nl"' in page
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    assert policy.group(1) == csp(["https://api.github.com", "https://auth.test.example.org"])
    assert "default-src 'none'" in policy.group(1) and "frame-ancestors" not in policy.group(1)
    assert not re.search(r"<script>|<script [^>]*>[^<]", page), "no inline script"
    assert "admin" not in (out / "sitemap.xml").read_text("utf-8")
    # The built configuration is what the generator makes now, and follows site.yaml
    # (the build cache does not keep an old one).
    site_yaml.write_text(SITE_YAML + GITHUB.replace("gemeente-test/", "provincie-test/"), "utf-8")
    rebuilt = run_cli("build", root, "--out", out, "--no-search")
    assert rebuilt.returncode == 0, rebuilt.stderr
    fresh = configurations(read_site(root))
    for name in ("config.en.yml", "config.nl.yml"):
        assert (admin / name).read_bytes() == fresh[name]
    assert b"repo: provincie-test/cityprofiles" in fresh["config.en.yml"]


def test_a_site_without_a_git_host_publishes_no_admin(make_site: MakeSite, tmp_path: Path) -> None:
    built = run_cli("build", make_site(), "--out", tmp_path / "out", "--no-search")
    assert built.returncode == 0, built.stderr
    assert not (tmp_path / "out" / "admin").exists()


@pytest.mark.parametrize(
    ("backend", "message"),
    [
        (
            "  backend: {name: github, repo: a/b}\n",
            "cms.backend: GitHub sign-in needs base_url",
        ),
        (
            "  backend: {name: gitlab, repo: a/b}\n",
            "cms.backend: GitLab sign-in needs app_id",
        ),
        (
            "  backend: {name: bitbucket, repo: a/b, base_url: https://x.example}\n",
            "cms.backend.name",
        ),
        ("  backend: {name: gitlab, repo: a, app_id: x}\n", "cms.backend.repo"),
    ],
)
def test_an_incomplete_git_host_is_a_content_error_with_its_line(
    make_site: MakeSite, backend: str, message: str
) -> None:
    root = make_site({"content/site.yaml": SITE_YAML + "cms:\n" + backend})
    result = run_cli("check", root)
    assert result.returncode == 1
    assert re.search(r"^content/site\.yaml:7:\d+: ", result.stderr, re.M), result.stderr
    assert message in result.stderr, result.stderr


@pytest.mark.parametrize(
    "name",
    sorted(
        name for _, name, _ in pkgutil.iter_modules(cityprofiles.cms.__path__, "cityprofiles.cms.")
    ),
)
def test_the_editors_docstring_examples_hold(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring examples failed in {name}"
