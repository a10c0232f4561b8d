"""Messages an editor can act on: the place to change and what to write there. The
bad-input corpus pins one case of each; these try the variations."""

from __future__ import annotations

from pathlib import Path

import pytest

from cityprofiles.content import SourceText, parse_yaml
from cityprofiles.errors import ContentError, Problem
from cityprofiles.pipeline import check
from conftest import (
    ACCESSIBILITY_YAML,
    CITY_YAML,
    NETWORKS_YAML,
    SITE_YAML,
    MakeSite,
)


def yaml_problem(text: str) -> Problem:
    with pytest.raises(ContentError) as caught:
        parse_yaml(SourceText("city.yaml", text))
    (problem,) = caught.value.problems
    return problem


@pytest.mark.parametrize(
    ("text", "where", "fix"),
    [
        ("name: 's-Hertogenbosch\ncountry: NL\n", (1, 7), 'name: "\'s-Hertogenbosch"'),
        (
            "name: 's-Hertogenbosch\nsummary:\n  nl: Een stad met auto's.\n",
            (1, 7),
            'name: "\'s-Hertogenbosch"',
        ),
        ("partners:\n  - name: 't Zandt\n    country: NL\n", (2, 11), 'name: "\'t Zandt"'),
        ("members:\n  - 's-Gravenhage\n  - Delft\n", (2, 5), '- "\'s-Gravenhage"'),
        ("org: {en: 's-Hertogenbosch, nl: Gemeente}\n", (1, 11), 'en: "\'s-Hertogenbosch"'),
        ("name: 's-Hertogenbosch  # the city\nx: 1\n", (1, 7), 'name: "\'s-Hertogenbosch"'),
    ],
)
def test_a_value_opened_with_an_apostrophe_is_named_with_its_fix(
    text: str, where: tuple[int, int], fix: str
) -> None:
    problem = yaml_problem(text)
    assert (problem.line, problem.column) == where
    assert problem.message.endswith(f"in double quotes: {fix}")


def test_the_name_or_the_value_is_what_the_message_calls_it() -> None:
    assert (
        "put the name in double quotes" in yaml_problem("title: 's-Hertogenbosch\nx: 1\n").message
    )
    assert 'put the value in double quotes: note: "\'90s music"' in (
        yaml_problem("note: '90s music\nother: it's\n").message
    )


def test_a_quoted_text_over_several_lines_is_not_blamed_for_a_later_error() -> None:
    text = "summary: 'one text\n  over two lines'\nname: [unclosed\n"
    problem = yaml_problem(text)
    assert problem.line == 3
    assert "never closed" in problem.message


def test_the_value_that_broke_the_file_is_found_after_a_quoted_text_over_two_lines() -> None:
    text = "summary: 'one text\n  over two lines'\nname: 's-Hertogenbosch\nnote: it's\n"
    problem = yaml_problem(text)
    assert (problem.line, problem.column) == (3, 7)
    assert problem.message.endswith('name: "\'s-Hertogenbosch"')


def test_a_closed_apostrophe_inside_a_value_is_fine() -> None:
    doc = parse_yaml(SourceText("city.yaml", "name: 's-Hertogenbosch'\nnote: it's ok\n"))
    assert doc.data == {"name": "s-Hertogenbosch", "note": "it's ok"}


def _errors(root: Path) -> list[Problem]:
    try:
        check(root)
    except ContentError as exc:
        return [p for p in exc.problems if p.severity == "error"]
    return []


@pytest.mark.parametrize(
    ("file", "text", "said"),
    [
        ("content/site.yaml", SITE_YAML.replace("tagline:", "tagLine:"), "did you mean 'tagline'?"),
        (
            "content/networks.yaml",
            NETWORKS_YAML.replace(
                "description:\n      en: A network", "descripton:\n      en: A network"
            ),
            "did you mean 'description'?",
        ),
        (
            "content/accessibility.yaml",
            ACCESSIBILITY_YAML.replace("contact_email:", "contact-email:"),
            "did you mean 'contact_email'?",
        ),
        ("content/sdgs.yaml", "goals:\n  3:\n    nane: {en: Health}\n", "did you mean 'name'?"),
        (
            "content/cities/alphen/city.yaml",
            CITY_YAML.replace("    since: 2001", "    snce: 2001"),
            "did you mean 'since'?",
        ),
        (
            "content/cities/alphen/city.yaml",
            CITY_YAML.replace("coordinates: {lat: 52.13", "coordinates: {Lat: 52.13"),
            "did you mean 'lat'?",
        ),
    ],
)
def test_an_unknown_key_in_any_content_file_gets_a_did_you_mean_and_nothing_else(
    make_site: MakeSite, file: str, text: str, said: str
) -> None:
    errors = _errors(make_site({file: text}))
    assert len(errors) == 1, [e.format() for e in errors]
    assert errors[0].file == file
    assert errors[0].message.endswith(said)


def test_a_missing_field_says_what_it_holds(make_site: MakeSite) -> None:
    city = CITY_YAML.replace("last_reviewed: 2026-10-01\n", "")
    (error,) = _errors(make_site({"content/cities/alphen/city.yaml": city}))
    assert error.message == (
        "required field 'last_reviewed' is missing; add it: when the profile was last "
        "checked, YYYY-MM-DD"
    )
