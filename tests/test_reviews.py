"""Review dates: a profile falls due ``review_after`` months after ``last_reviewed``
(``check`` warns, ``--strict`` fails, ``cityprofiles review`` lists), against the day the
run is told (``--today``, ``CITYPROFILES_TODAY``; conftest runs every test on 2026-12-01),
never the computer's date."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cityprofiles.clock import add_months, parse_day, today
from cityprofiles.errors import UsageError
from cityprofiles.pipeline import check
from cityprofiles.review import status_on
from cityprofiles.validate import review_due
from conftest import CITY_YAML, SITE_YAML, TODAY, MakeSite, run_cli

OLD = CITY_YAML.replace("last_reviewed: 2026-10-01", "last_reviewed: 2019-03-01")


def test_a_profile_last_reviewed_in_2019_fails_check_strict(make_site: MakeSite) -> None:
    root = make_site({"content/cities/alphen/city.yaml": OLD})
    plain = run_cli("check", root)
    assert plain.returncode == 0
    assert (
        "content/cities/alphen/city.yaml:7:16: warning: last_reviewed: the profile was last "
        "reviewed on 2019-03-01 and was due for review on 2020-03-01 (every 12 months, "
        "review_after in content/site.yaml)" in plain.stderr
    )
    strict = run_cli("check", root, "--strict")
    assert strict.returncode == 1
    assert "content/cities/alphen/city.yaml:7:16: last_reviewed: the profile" in strict.stderr


def test_review_after_in_site_yaml_sets_how_long_a_review_lasts(make_site: MakeSite) -> None:
    # reviewed 2026-10-01: due 2027-10-01 by default, 2026-11-01 after one month
    root = make_site({"content/site.yaml": SITE_YAML + "review_after: 1\n"})
    warnings = check(root)
    assert [w.code for w in warnings] == ["review-due"]
    assert "due for review on 2026-11-01 (every 1 months" in warnings[0].message
    off = make_site({"content/site.yaml": SITE_YAML + "review_after: null\n"})
    assert check(off) == []


def test_review_after_must_be_a_number_of_months(make_site: MakeSite) -> None:
    root = make_site({"content/site.yaml": SITE_YAML + "review_after: 12 months\n"})
    result = run_cli("check", root)
    assert result.returncode == 1
    assert "content/site.yaml:6:15: review_after: expected a whole number" in result.stderr


def test_the_day_of_a_run_comes_from_today_option_or_the_environment(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site()
    assert run_cli("check", root, "--strict").returncode == 0  # on 2026-12-01
    late = run_cli("check", root, "--strict", "--today", "2027-10-02")
    assert late.returncode == 1
    assert "due for review on 2027-10-01" in late.stderr
    monkeypatch.setenv("CITYPROFILES_TODAY", "2027-10-02")
    assert run_cli("check", root, "--strict").returncode == 1
    bad = run_cli("check", root, "--today", "tomorrow")
    assert bad.returncode == 2
    assert "expected a date like 2027-01-31, got 'tomorrow'" in bad.stderr


def test_a_bad_today_in_the_environment_is_a_usage_error(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITYPROFILES_TODAY", "01-12-2026")
    result = run_cli("check", make_site())
    assert result.returncode == 2
    assert "CITYPROFILES_TODAY: expected a date like 2027-01-31" in result.stderr


def test_a_cached_build_checks_the_dates_again_on_another_day(make_site: MakeSite) -> None:
    root = make_site()
    out = root / "build"
    assert run_cli("build", root, "--out", out, "--no-search", "-q").returncode == 0
    later = run_cli("build", root, "--out", out, "--no-search", "--strict", "--today", "2028-01-01")
    assert later.returncode == 1
    assert "last_reviewed: the profile was last reviewed on 2026-10-01" in later.stderr


def test_the_review_report_lists_every_city_most_overdue_first(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/cities/bodegraven/city.yaml": OLD.replace("name: Alphen", "name: Bodegraven"),
            "content/cities/bodegraven/narrative.en.md": "B.\n",
            "content/cities/bodegraven/narrative.nl.md": "B.\n",
        }
    )
    result = run_cli("review", root)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Profile reviews on 2026-12-01 (due 12 months after last_reviewed; "
        "review_after in site.yaml)"
    )
    rows = [line.split() for line in lines[3:5]]
    assert rows == [
        [
            "overdue",
            "2019-03-01",
            "2020-03-01",
            "Bodegraven",
            "content/cities/bodegraven/city.yaml:7",
        ],
        [
            "up",
            "to",
            "date",
            "2026-10-01",
            "2027-10-01",
            "Alphen",
            "content/cities/alphen/city.yaml:7",
        ],
    ]
    assert "2 profiles: 1 overdue, 0 due within a month." in result.stdout
    assert (
        "Accessibility statement: reviewed 2026-11-01, due 2027-11-01 (up to date)."
        in result.stdout
    )


def test_the_review_report_as_json_on_another_day(make_site: MakeSite) -> None:
    result = run_cli("review", make_site(), "--format", "json", "--today", "2027-09-15")
    report = json.loads(result.stdout)
    assert report["today"] == "2027-09-15"
    assert report["review_after"] == 12
    assert report["profiles"] == [
        {
            "city": "alphen",
            "name": "Alphen",
            "file": "content/cities/alphen/city.yaml",
            "line": 7,
            "last_reviewed": "2026-10-01",
            "due": "2027-10-01",
            "status": "due soon",
        }
    ]
    assert (report["overdue"], report["due_soon"]) == (0, 1)


def test_a_review_date_after_today_is_an_error(make_site: MakeSite) -> None:
    city = CITY_YAML.replace("last_reviewed: 2026-10-01", "last_reviewed: 2026-12-02")
    assert check(make_site({"content/cities/alphen/city.yaml": city})) == []  # a day's grace
    city = CITY_YAML.replace("last_reviewed: 2026-10-01", "last_reviewed: 2026-12-03")
    result = run_cli("check", make_site({"content/cities/alphen/city.yaml": city}))
    assert "last_reviewed: 2026-12-03 is in the future" in result.stderr


# -- the rules by themselves -------------------------------------------------------------


def test_the_test_suite_runs_on_a_fixed_day() -> None:
    assert today() == dt.date.fromisoformat(TODAY)


@pytest.mark.parametrize(
    ("day", "months", "due"),
    [
        ("2026-01-31", 1, "2026-02-28"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2026-03-15", 12, "2027-03-15"),
        ("2026-11-30", 3, "2027-02-28"),
        ("2026-12-31", 1, "2027-01-31"),
    ],
)
def test_a_review_is_due_the_same_day_months_later_or_the_months_last(
    day: str, months: int, due: str
) -> None:
    assert add_months(dt.date.fromisoformat(day), months) == dt.date.fromisoformat(due)
    assert review_due(dt.date.fromisoformat(day), months) == dt.date.fromisoformat(due)


def test_a_review_is_overdue_on_its_due_day_and_due_soon_a_month_before() -> None:
    due = dt.date(2027, 1, 15)
    assert status_on(due, dt.date(2027, 1, 15)) == "overdue"
    assert status_on(due, dt.date(2026, 12, 15)) == "due soon"
    assert status_on(due, dt.date(2026, 12, 14)) == "up to date"
    assert status_on(None, dt.date(2026, 12, 14)) == "never due"


def test_a_day_that_is_not_a_date_names_where_it_came_from() -> None:
    with pytest.raises(UsageError, match="CITYPROFILES_TODAY: expected a date"):
        parse_day("2026-02-30", "CITYPROFILES_TODAY")
