"""Every problem of every stage in one run: a file with a type error is still checked
against the other files (``validate/partial.py``), through the real command line."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from cityprofiles.model import City
from cityprofiles.validate.partial import present, salvage
from conftest import CITY_YAML, NETWORKS_YAML, MakeSite, run_cli

BROKEN_CITY = CITY_YAML.replace("value: 112000", "value: many").replace(
    "memberships:\n  - network: eurocities\n    since: 2001\n",
    "memberships:\n  - network: eurocities\n    since: long ago\n  - network: eurocitys\n",
)


def errors_of(result: Any) -> list[dict[str, Any]]:
    report = json.loads(result.stdout)
    return [p for p in report["problems"] if p["severity"] == "error"]


def test_an_unknown_network_is_reported_next_to_a_type_error_in_the_same_file(
    make_site: MakeSite,
) -> None:
    root = make_site({"content/cities/alphen/city.yaml": BROKEN_CITY})
    result = run_cli("check", root, "--format", "json")
    assert result.returncode == 1
    said = {(p["line"], p["path"], p["message"]) for p in errors_of(result)}
    assert said == {
        (4, "population.value", "expected a whole number, got the text 'many'"),
        (16, "memberships[0].since", "expected a whole number, got the text 'long ago'"),
        (17, "memberships[1].network", "unknown network 'eurocitys'; did you mean 'eurocities'?"),
    }


def test_every_missing_narrative_of_a_city_is_named(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/site.yaml": "title: {en: T}\ntagline: {en: T}\npublisher: T\n"
            "base_url: https://t.example/\nlanguages: [en, nl, de]\n",
            "content/cities/alphen/narrative.nl.md": None,
        }
    )
    result = run_cli("check", root, "--format", "json")
    narratives = [
        p["message"] for p in json.loads(result.stdout)["problems"] if p["path"] == "narrative"
    ]
    assert sorted(narratives) == [
        "no narrative.de.md: the de page shows the narrative of another language; "
        "write content/cities/alphen/narrative.de.md",
        "no narrative.nl.md: the nl page shows the narrative of another language; "
        "write content/cities/alphen/narrative.nl.md",
    ]


def test_a_narrative_with_errors_of_its_own_is_not_also_called_missing(
    make_site: MakeSite,
) -> None:
    root = make_site({"content/cities/alphen/narrative.en.md": b"caf\xe9\n"})
    result = run_cli("check", root, "--format", "json")
    problems = json.loads(result.stdout)["problems"]
    assert [p["file"] for p in problems] == ["content/cities/alphen/narrative.en.md"]
    assert "not UTF-8" in problems[0]["message"]


def test_a_partner_may_name_a_city_that_has_errors_of_its_own(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/cities/bodegraven/city.yaml": CITY_YAML.replace(
                "name: Alphen", "name: Bodegraven"
            ).replace("country: NL", "country: XX"),
            "content/cities/alphen/city.yaml": CITY_YAML
            + "partners:\n  - name: Bodegraven\n    country: NL\n    city: bodegraven\n",
        }
    )
    result = run_cli("check", root, "--format", "json")
    assert [(p["file"], p["path"]) for p in errors_of(result)] == [
        ("content/cities/bodegraven/city.yaml", "country")
    ]


def test_memberships_are_checked_against_a_registry_with_errors(make_site: MakeSite) -> None:
    registry = NETWORKS_YAML.replace("website: https://www.polisnetwork.eu/", "website: nope")
    city = CITY_YAML.replace("  - network: eurocities\n", "  - network: polis\n  - network: x\n")
    root = make_site({"content/networks.yaml": registry, "content/cities/alphen/city.yaml": city})
    result = run_cli("check", root, "--format", "json")
    found = {(p["file"], p["path"]) for p in errors_of(result)}
    # polis is in the file (with a broken website): the city's membership of it is fine
    assert found == {
        ("content/networks.yaml", "networks.polis.website"),
        ("content/cities/alphen/city.yaml", "memberships[1].network"),
    }


def test_the_id_field_no_longer_hides_the_rest_of_the_file(make_site: MakeSite) -> None:
    city = "id: alphen\n" + CITY_YAML.replace("country: NL", "country: Holland")
    root = make_site({"content/cities/alphen/city.yaml": city})
    result = run_cli("check", root, "--format", "json")
    assert [p["path"] for p in errors_of(result)] == ["id", "country"]


def test_a_broken_site_yaml_does_not_hide_the_cities_errors(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/site.yaml": "title: {en: T, nl: T}\ntagline: {en: T, nl: T}\n"
            "publisher: T\nbase_url: nowhere\nlanguages: [en, nl]\n",
            "content/cities/alphen/city.yaml": CITY_YAML.replace(
                "network: eurocities", "network: euro"
            ),
        }
    )
    result = run_cli("check", root, "--format", "json")
    assert {(p["file"], p["path"]) for p in errors_of(result)} == {
        ("content/site.yaml", "base_url"),
        ("content/cities/alphen/city.yaml", "memberships[0].network"),
    }


# -- salvage, the rule by itself ---------------------------------------------------------


class Inner(BaseModel):
    a: int
    b: int = 0


class Outer(BaseModel):
    name: str
    items: list[Inner] = []
    inner: Inner | None = None


def test_salvage_keeps_every_part_without_an_error_and_list_positions() -> None:
    data = {"name": "x", "items": [{"a": "no"}, {"a": 2}], "inner": {"a": 1, "b": "no"}}
    failed = {("items", 0, "a"), ("inner", "b")}
    parts = salvage(Outer, data, failed, {})
    assert parts.name == "x"
    assert parts.items[0].a is None
    assert parts.items[1] == Inner(a=2)
    assert (parts.inner.a, parts.inner.b) == (1, None)
    assert [index for index, _ in present(parts.items)] == [0, 1]


def test_salvage_sets_a_failed_or_missing_required_field_to_none() -> None:
    parts = salvage(Outer, {"items": "not a list"}, {("items",), ("name",)}, {})
    assert parts.name is None
    assert parts.items is None
    assert list(present(parts.items)) == []


def test_a_salvaged_city_keeps_its_valid_memberships() -> None:
    data = {"name": "A", "memberships": [{"network": "x", "since": "long"}, "oops"]}
    failed = {("memberships", 0, "since"), ("memberships", 1)}
    city = salvage(City, data, failed, {"languages": ("en",)})
    assert city.memberships[0].network == "x"
    assert city.memberships[1] is None
    assert [m.network for _, m in present(city.memberships)] == ["x"]
