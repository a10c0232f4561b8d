"""Saves keep the file: a value changed in the editor changes its lines and nothing else."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import pytest

from cityprofiles.cms.merge import Shape, merge_text, plain
from cityprofiles.model import schemas
from conftest import REPO

LANGUAGES = ("en", "nl")
UTRECHT = REPO / "content/cities/utrecht/city.yaml"
CONTENT = sorted(
    [*REPO.glob("content/**/*.yaml"), *REPO.glob("tests/sites/*/content/**/*.yaml")],
    key=str,
)


def shape_of(path: Path) -> Shape:
    kind = {
        "networks.yaml": "networks",
        "accessibility.yaml": "accessibility",
        "site.yaml": "site",
    }.get(path.name, "city")
    return Shape(schemas()[kind], LANGUAGES)


def merged(text: str, change: Any, kind: str = "city") -> str:
    values = plain(text, "file.yaml")
    change(values)
    return merge_text(text, values, Shape(schemas()[kind], LANGUAGES), name="file.yaml")


def changes(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


@pytest.mark.parametrize("path", CONTENT, ids=lambda p: str(p.relative_to(REPO)))
def test_a_save_without_changes_gives_every_shipped_file_back_byte_for_byte(path: Path) -> None:
    text = path.read_text("utf-8")
    assert merge_text(text, plain(text, path.name), shape_of(path), name=path.name) == text


@pytest.mark.parametrize("path", CONTENT, ids=lambda p: str(p.relative_to(REPO)))
def test_one_changed_text_changes_only_its_own_lines(path: Path) -> None:
    """Whatever the layout around it: the round trip of the rest is exact."""
    text = path.read_text("utf-8")
    values = plain(text, path.name)
    target = _first_text(values)
    if target is None:
        pytest.skip("no translated text in this file")
    holder, key = target
    holder[key] = "Changed in the editor."
    after = merge_text(text, values, shape_of(path), name=path.name)
    removed = [line for line in changes(text, after) if line.startswith("-")]
    added = [line for line in changes(text, after) if line.startswith("+")]
    assert len(added) == 1 and "Changed in the editor." in added[0]
    assert len(removed) >= 1
    assert plain(after, path.name) == values


def _first_text(value: Any) -> tuple[dict[str, Any], str] | None:
    if isinstance(value, dict):
        if "en" in value and isinstance(value["en"], str):
            return value, "en"
        for inner in value.values():
            found = _first_text(inner)
            if found:
                return found
    if isinstance(value, list):
        for inner in value:
            found = _first_text(inner)
            if found:
                return found
    return None


def test_a_folded_paragraph_is_folded_again_at_the_width_it_had() -> None:
    text = UTRECHT.read_text("utf-8")
    new = (
        "Utrecht works abroad for one aim, Healthy Urban Living for Everyone, and it does so "
        "with the region, the province, other cities and the European Union."
    )
    after = merged(text, lambda v: v["summary"].__setitem__("en", new))
    assert changes(text, after) == [
        "-    An internationally connected city in the centre of the Netherlands whose work abroad",
        "-    follows one aim: Healthy Urban Living for Everyone.",
        "+    Utrecht works abroad for one aim, Healthy Urban Living for Everyone, and it does so",
        "+    with the region, the province, other cities and the European Union.",
    ]


def test_flow_maps_quotes_and_comments_stay() -> None:
    text = UTRECHT.read_text("utf-8")

    def change(values: dict[str, Any]) -> None:
        values["population"]["value"] = 361234
        values["contacts"][0]["phone"] = "+31 30 286 1111"

    after = merged(text, change)
    assert changes(text, after) == [
        "-population: {value: 350000, year: 2018}",
        "+population: {value: 361234, year: 2018}",
        '-    phone: "+31 30 286 0000"',
        '+    phone: "+31 30 286 1111"',
    ]
    assert after.splitlines()[:3] == text.splitlines()[:3]


def test_an_emptied_field_goes_and_a_new_one_comes_after_its_neighbours_in_the_model() -> None:
    text = UTRECHT.read_text("utf-8")

    def change(values: dict[str, Any]) -> None:
        values["mayor"]["name"] = ""  # what an emptied input sends
        del values["nationalities"]
        values["region"] = {"en": "Province of Utrecht", "nl": "Provincie Utrecht"}

    after = merged(text, change)
    assert changes(text, after) == [
        "-nationalities: 172",
        "-mayor: {name: Jan van Zanen, as_of: 2019}",
        "+mayor: {as_of: 2019}",
    ]
    restored = merged(after, lambda v: v.__setitem__("nationalities", 173))
    lines = restored.splitlines()
    assert lines[lines.index("population: {value: 350000, year: 2018}") + 1] == "nationalities: 173"


def test_a_plain_name_stays_plain_while_every_language_agrees() -> None:
    text = UTRECHT.read_text("utf-8")
    same = merged(text, lambda v: v.__setitem__("name", {"en": "Utrecht", "nl": "Utrecht"}))
    assert same == text
    renamed = merged(text, lambda v: v.__setitem__("name", {"en": "Utreg", "nl": "Utreg"}))
    assert changes(text, renamed) == ["-name: Utrecht", "+name: Utreg"]
    split = merged(text, lambda v: v.__setitem__("name", {"en": "Utrecht", "nl": "Utreg"}))
    assert changes(text, split) == ["-name: Utrecht", "+name:", "+  en: Utrecht", "+  nl: Utreg"]


def test_a_name_written_per_language_is_not_rewritten_when_saved_plain() -> None:
    text = (REPO / "content/networks.yaml").read_text("utf-8")
    values = plain(text, "networks.yaml")
    network = values["networks"]["who-healthy-cities"]
    assert network["name"] == {"en": network["name"]["en"], "nl": network["name"]["en"]}
    network["name"] = network["name"]["en"]  # the editor writes agreeing names plain
    shape = Shape(schemas()["networks"], LANGUAGES)
    assert merge_text(text, values, shape, name="networks.yaml") == text


def test_a_list_item_added_or_removed_leaves_its_neighbours_alone() -> None:
    text = UTRECHT.read_text("utf-8")

    def change(values: dict[str, Any]) -> None:
        memberships = values["memberships"]
        memberships.insert(1, {"network": "eurocities-2", "role": {"en": "Member"}})
        del memberships[3]  # iclei

    after = merged(text, change)
    assert changes(text, after) == [
        "+  - network: eurocities-2",
        "+    role:",
        "+      en: Member",
        "-  - network: iclei",
    ]


def test_a_long_new_text_is_folded_like_its_neighbours() -> None:
    text = UTRECHT.read_text("utf-8")
    long = "A new development. " * 8

    def change(values: dict[str, Any]) -> None:
        values["strategy"]["developments"].append({"en": long.strip()})

    after = merged(text, change)
    added = [line for line in changes(text, after) if line.startswith("+")]
    assert added[0] == "+    - en: >-"
    assert all(len(line) <= 92 for line in added)
    assert plain(after, "x.yaml")["strategy"]["developments"][-1] == {"en": long.strip()}


def test_a_file_with_another_indentation_keeps_it() -> None:
    text = "name: Alphen\nthemes:\n- en: One\n  nl: Een\n- en: Two\n  nl: Twee\ncountry: NL\n"
    after = merged(text, lambda v: v["themes"][1].__setitem__("en", "Second"))
    assert changes(text, after) == ["-- en: Two", "+- en: Second"]


def test_a_new_file_is_written_in_the_house_style() -> None:
    values = {
        "name": {"en": "Den Haag", "nl": "Den Haag"},
        "summary": {"en": "A city by the sea.", "nl": ""},
        "themes": [],
        "coordinates": {"lat": 52.08, "lon": 4.31},
    }
    text = merge_text(
        None, values, Shape(schemas()["city"], LANGUAGES), name="x.yaml", header="# h\n"
    )
    assert text == (
        "# h\nname: Den Haag\nsummary:\n  en: A city by the sea.\n"
        "coordinates:\n  lat: 52.08\n  lon: 4.31\n"
    )


def test_windows_line_ends_and_a_byte_order_mark_stay() -> None:
    text = "\ufeff" + UTRECHT.read_text("utf-8").replace("\n", "\r\n")
    after = merged(text, lambda v: v["population"].__setitem__("value", 361234))
    assert after == text.replace("value: 350000", "value: 361234")
