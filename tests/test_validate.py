"""Stage 2, validate, and the error report it produces: the parts the corpus does not pin."""

from __future__ import annotations

from cityprofiles.content import SourceText, load_sources
from cityprofiles.errors import ContentError, Problem
from cityprofiles.validate import validate_sources
from conftest import CITY_YAML, MakeSite


def test_problems_with_and_without_a_line_sort_together() -> None:
    """Regression: sorting a file's problems raised TypeError (int < None) -> a traceback."""
    problems = [
        Problem("a.yaml", 3, 1, message="later"),
        Problem("a.yaml", None, None, message="whole file"),
        Problem("a.yaml", 1, None, message="first line"),
    ]
    error = ContentError(problems)
    assert [p.message for p in error.problems] == ["whole file", "first line", "later"]


def test_excerpt_of_a_huge_line_is_cut_around_the_column() -> None:
    line = "x" * 5000 + "!" + "y" * 5000
    problem = SourceText("f.yaml", line).problem(None, "m")
    assert problem.format() == "f.yaml: m"
    shown = Problem("f.yaml", 1, 5001, message="here", source_line=line).format()
    excerpt, caret = shown.splitlines()[1:]
    assert len(excerpt) < 120
    assert excerpt[caret.index("^")] == "!"


def test_two_cities_clashing_in_both_languages_give_one_error(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/cities/bodegraven/city.yaml": CITY_YAML.replace(
                "name: Alphen", "name: Bodegraven\nslug: alphen"
            )
        }
    )
    sources, problems = load_sources(root)
    try:
        validate_sources(sources, problems)
    except ContentError as exc:
        errors = [p for p in exc.problems if p.severity == "error"]
    else:
        errors = []
    assert len(errors) == 1
    assert errors[0].message == (
        "two cities have the URL name 'alphen' in en and nl: alphen and bodegraven"
    )


def test_every_error_of_a_run_is_reported_at_once(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/site.yaml": None,
            "content/networks.yaml": "networks: {Bad Id: {}}\n",
            "content/cities/alphen/city.yaml": CITY_YAML.replace("country: NL", "country: nl"),
            "content/cities/alphen/narrative.en.md": b"\xff\n",
            "content/cities/empty/.keep": "",
        }
    )
    sources, problems = load_sources(root)
    try:
        validate_sources(sources, problems)
    except ContentError as exc:
        files = {p.file for p in exc.problems if p.severity == "error"}
    else:
        files = set()
    assert files == {
        "content/site.yaml",
        "content/networks.yaml",
        "content/cities/alphen/city.yaml",
        "content/cities/alphen/narrative.en.md",
        "content/cities/empty",
    }
