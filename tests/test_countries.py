"""``country`` is an ISO 3166 code CLDR knows (through Babel), and a wrong one gets the fix."""

from __future__ import annotations

import pytest

from cityprofiles.model import country_codes, country_name, country_problem
from cityprofiles.pipeline import build
from conftest import CITY_YAML, MakeSite, run_cli


def test_the_codes_are_iso_3166_with_kosovo_and_without_groupings() -> None:
    codes = country_codes()
    assert {"NL", "BE", "DE", "GB", "XK", "AQ"} <= codes
    assert not {"EU", "UN", "EZ", "QO", "ZZ", "UK", "XX", "001"} & codes
    assert 249 <= len(codes) <= 260


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("XX", "'XX' is not an ISO 3166 country code; write the country's two-letter code"),
        ("UK", "'UK' is not an ISO 3166 country code; use 'GB' (United Kingdom)"),
        ("YU", "use 'RS' (Serbia) or 'ME' (Montenegro)"),
        ("nl", "write the country code in capitals: 'NL' (Netherlands)"),
        (
            "the Netherlands",
            "'the Netherlands' is a country's name; write its two-letter code: 'NL'",
        ),
        ("Deutschland", "'Deutschland' is not an ISO 3166 country code"),
        ("NLD", "'NLD' is not an ISO 3166 country code"),
        ("EU", "'EU' is not an ISO 3166 country code"),
    ],
)
def test_a_wrong_country_says_what_to_write(value: str, message: str) -> None:
    problem = country_problem(value)
    assert problem is not None
    assert message in problem


def test_a_name_in_one_of_the_sites_languages_is_recognised() -> None:
    assert country_problem("Duitsland", ("nl",)) == (
        "'Duitsland' is a country's name; write its two-letter code: 'DE'"
    )
    assert country_problem("Deutschland", ("de",)) == (
        "'Deutschland' is a country's name; write its two-letter code: 'DE'"
    )


def test_names_come_in_the_language_asked_for() -> None:
    assert country_name("BE") == "Belgium"
    assert country_name("BE", "nl") == "België"
    assert country_name("QQ") == "QQ"


def test_check_refuses_country_xx_which_passed_before(make_site: MakeSite) -> None:
    city = CITY_YAML.replace("country: NL", "country: XX")
    result = run_cli("check", make_site({"content/cities/alphen/city.yaml": city}))
    assert result.returncode == 1
    assert "content/cities/alphen/city.yaml:3:10: country: 'XX' is not an ISO 3166" in (
        result.stderr
    )


def test_new_city_refuses_an_unknown_country(make_site: MakeSite) -> None:
    root = make_site()
    result = run_cli("new", "city", "gouda", "--name", "Gouda", "--country", "UK", "--site", root)
    assert result.returncode == 2
    assert "--country: 'UK' is not an ISO 3166 country code; use 'GB' (United Kingdom)" in (
        result.stderr
    )
    assert not (root / "content/cities/gouda").exists()
    ok = run_cli("new", "city", "gouda", "--name", "Gouda", "--country", "nl", "--site", root)
    assert ok.returncode == 0, ok.stderr
    assert "country: NL" in (root / "content/cities/gouda/city.yaml").read_text("utf-8")


def test_the_city_page_shows_the_countrys_name_in_its_language(make_site: MakeSite) -> None:
    root = make_site()
    build(root, root / "out", search=False)
    assert "<dd>Netherlands</dd>" in (root / "out/en/cities/alphen/index.html").read_text("utf-8")
    assert "<dd>Nederland</dd>" in (root / "out/nl/steden/alphen/index.html").read_text("utf-8")
