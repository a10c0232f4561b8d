"""Languages beyond English and Dutch: fallback marks, the Goals per language, strict checks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from cityprofiles.render.fallback_marks import resolve_marks
from conftest import MakeSite, run_cli

THREE_LANGUAGES = """\
title: {en: Test Cities, nl: Teststeden, de: Teststädte}
tagline: {en: A small test site, nl: Een kleine testsite, de: Eine kleine Testseite}
publisher: {en: The testers, nl: De testers, de: Die Tester}
base_url: https://test.example.org/
languages: [en, nl, de]
"""


def _build(root: Path) -> None:
    result = run_cli("build", root, "--no-search", "--no-cache", "--jobs", "1")
    assert result.returncode == 0, result.stderr


def _translate(po: Path, translations: dict[str, str]) -> None:
    text = po.read_text("utf-8")
    for msgid, msgstr in translations.items():
        entry = f'msgid "{msgid}"\nmsgstr ""'
        assert entry in text, msgid
        text = text.replace(entry, f'msgid "{msgid}"\nmsgstr "{msgstr}"')
    po.write_text(text, "utf-8")


def test_marks_become_spans_in_text_and_plain_text_where_html_allows_no_element() -> None:
    mark = "\ufdd0en\ufdd1Menu\ufdd2"
    page = (
        f"<html><head><title>{mark} – Site</title><meta content='{mark}'></head>"
        f'<body><nav aria-label="{mark}"><a>{mark}</a></nav><!-- {mark} -->'
        f"<svg><title>{mark}</title></svg><p>\ufdd0en\ufdd1A \ufdd0nl\ufdd1B\ufdd2 C\ufdd2</p>"
        "</body></html>"
    ).encode()
    html = resolve_marks(page).decode()
    assert "<title>Menu – Site</title><meta content='Menu'>" in html
    assert '<nav aria-label="Menu"><a><span lang="en">Menu</span></a></nav>' in html
    assert "<!-- Menu -->" in html and "<svg><title>Menu</title></svg>" in html
    assert '<p><span lang="en">A <span lang="nl">B</span> C</span></p>' in html
    assert "\ufdd0" not in html and "\ufdd2" not in html
    rtl = resolve_marks(f"<body><p>{mark}</p></body>".encode(), "rtl").decode()
    assert '<span lang="en" dir="ltr">Menu</span>' in rtl


def test_a_translated_ui_string_and_note_are_wholly_in_the_page_language(
    make_site: MakeSite,
) -> None:
    root = make_site({"content/site.yaml": THREE_LANGUAGES})
    assert run_cli("i18n", "add", "de", root).returncode == 0
    _translate(
        root / "locales/de/LC_MESSAGES/messages.po",
        {
            "Skip to main content": "Zum Inhalt springen",
            "in %(language)s, not yet translated": "auf %(language)s, noch nicht übersetzt",
        },
    )
    _build(root)
    page = (root / "build/de/cities/alphen/index.html").read_text("utf-8")
    assert '<a class="cp-skip-link utrecht-skip-link" href="#main">Zum Inhalt springen</a>' in page
    assert (
        '<span class="cp-fallback-note" lang="de">(auf Englisch, noch nicht übersetzt)</span>'
        in page
    )
    assert '<span lang="en">A test city on the Old Rhine.</span>' in page
    assert '<span lang="en">Networks</span>' in page, "untranslated strings stay marked"


def test_ui_strings_fall_back_to_the_default_language_first(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/site.yaml": THREE_LANGUAGES.replace("[en, nl, de]", "[nl, en, de]"),
        }
    )
    _build(root)
    page = (root / "build/de/index.html").read_text("utf-8")
    assert '<span lang="nl">Direct naar de inhoud</span>' in page
    assert '<span class="cp-fallback-note" lang="nl">' not in page or "(in het Nederlands" in page


def test_a_right_to_left_language_gets_dir_on_its_pages_and_its_fallbacks(
    make_site: MakeSite,
) -> None:
    root = make_site(
        {"content/site.yaml": THREE_LANGUAGES.replace("de", "ar").replace("Teststädte", "x")}
    )
    _build(root)
    arabic = (root / "build/ar/cities/alphen/index.html").read_text("utf-8")
    assert '<html lang="ar" dir="rtl">' in arabic
    assert '<span lang="en" dir="ltr">Skip to main content</span>' in arabic
    assert '<span lang="en" dir="ltr">A test city on the Old Rhine.</span>' in arabic
    english = (root / "build/en/cities/alphen/index.html").read_text("utf-8")
    assert re.search(r'hreflang="ar" lang="ar" dir="rtl">', english)
    assert '<html lang="en" dir="ltr">' in english


def test_goal_names_come_from_the_site_in_a_new_language(make_site: MakeSite) -> None:
    goals = "goals:\n" + "".join(
        f"  {n}:\n    name:\n      de: Ziel-{n}\n    description:\n      de: Beschreibung {n}\n"
        for n in range(1, 18)
    )
    root = make_site({"content/site.yaml": THREE_LANGUAGES, "content/sdgs.yaml": goals})
    check = run_cli("check", root, "--format", "json")
    assert check.returncode == 0, check.stderr
    assert "content/sdgs.yaml" not in check.stdout
    _build(root)
    goal = (root / "build/de/goals/3/index.html").read_text("utf-8")
    assert '<h1 class="cp-goal-head__title">Ziel-3</h1>' in goal
    assert '<p class="cp-lead">Beschreibung 3</p>' in goal
    english = (root / "build/en/goals/3/index.html").read_text("utf-8")
    assert "Good Health and Well-being" in english, "the shipped names stay"


def test_the_site_can_replace_a_shipped_goal_name(make_site: MakeSite) -> None:
    root = make_site(
        {"content/sdgs.yaml": "goals:\n  16:\n    name:\n      nl: Vrede en sterke instellingen\n"}
    )
    _build(root)
    goal = (root / "build/nl/doelen/16/index.html").read_text("utf-8")
    assert '<h1 class="cp-goal-head__title">Vrede en sterke instellingen</h1>' in goal


def test_goal_texts_are_validated_with_positions(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/sdgs.yaml": """\
                goals:
                  1:
                    name:
                      fr: Pas de pauvreté
                  18:
                    name:
                      en: Eighteen
                  2:
                    titel:
                      en: x
            """
        }
    )
    result = run_cli("check", root)
    assert result.returncode == 1
    err = result.stderr
    assert "content/sdgs.yaml:4:7: goals.1.name: unknown language 'fr'" in err
    assert "content/sdgs.yaml:5:3: goals: '18' is not a Goal; the Goals are numbered 1 to 17" in err
    assert "content/sdgs.yaml:9:5: goals.2.titel: unknown field 'titel'" in err


def test_strict_fails_on_goals_and_ui_strings_missing_in_a_language(make_site: MakeSite) -> None:
    root = make_site({"content/site.yaml": THREE_LANGUAGES})
    lenient = run_cli("check", root)
    assert lenient.returncode == 0
    assert "content/sdgs.yaml: warning: no de name for Goals 1–17" in lenient.stderr
    strict = run_cli("check", "--strict", "--format", "json", root)
    assert strict.returncode == 1
    problems = json.loads(strict.stdout)
    items = problems["problems"] if isinstance(problems, dict) else problems
    ui = [p for p in items if p["file"] == "locales/de/LC_MESSAGES/messages.po"]
    assert len(ui) == 1 and ui[0]["severity"] == "error"
    assert "UI strings have no de translation" in ui[0]["message"]
    assert "cityprofiles i18n add de" in ui[0]["message"]
    assert all(p["severity"] == "error" for p in items)


def test_status_reports_goals_per_field_and_per_city(make_site: MakeSite) -> None:
    root = make_site({"content/site.yaml": THREE_LANGUAGES})
    result = run_cli("i18n", "status", root, "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    de = report["languages"]["de"]["untranslated"]
    assert {
        "file": "content/sdgs.yaml",
        "line": None,
        "path": "goals.1.name",
        "kind": "missing",
        "city": None,
    } in de
    assert report["fields"]["goals.name"] == {"en": 0, "nl": 0, "de": 17}
    assert report["fields"]["summary"]["de"] == 1
    assert report["cities"]["alphen"]["de"] > 0
    assert report["languages"]["de"]["ui_untranslated"]
    text = run_cli("i18n", "status", root).stdout
    assert "Per field (untranslated values):" in text
    assert "  goals.name: en 0, nl 0, de 17" in text


def test_adding_a_language_the_package_translates_needs_no_catalogue(tmp_path: Path) -> None:
    root = tmp_path / "site"
    assert run_cli("init", root, "--languages", "en").returncode == 0
    result = run_cli("i18n", "add", "nl", root)
    assert result.returncode == 0, result.stderr
    assert "no catalogue needed" in result.stdout
    assert "UI strings: none" in result.stdout
    assert not (root / "locales/nl").exists()
    config = yaml.safe_load((root / "content/site.yaml").read_text("utf-8"))
    codes = [entry if isinstance(entry, str) else entry["code"] for entry in config["languages"]]
    assert codes == ["en", "nl"]


def test_adding_an_unknown_language_is_refused(make_site: MakeSite) -> None:
    root = make_site()
    before = (root / "content/site.yaml").read_bytes()
    for code in ("xx", "Deutsch"):
        result = run_cli("i18n", "add", code, root)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
    assert (root / "content/site.yaml").read_bytes() == before
    assert not (root / "locales").exists()


def test_a_cached_rebuild_follows_goal_texts_and_catalogue_edits(make_site: MakeSite) -> None:
    root = make_site({"content/site.yaml": THREE_LANGUAGES})
    assert run_cli("i18n", "add", "de", root).returncode == 0
    for _ in range(2):  # the second build reuses the cache
        assert run_cli("build", root, "--no-search").returncode == 0
    goal = root / "build/de/goals/1/index.html"
    assert '<span lang="en">No Poverty</span>' in goal.read_text("utf-8")
    (root / "content/sdgs.yaml").write_text("goals:\n  1:\n    name:\n      de: Keine Armut\n")
    _translate(root / "locales/de/LC_MESSAGES/messages.po", {"Skip to main content": "Zum Inhalt"})
    assert run_cli("build", root, "--no-search").returncode == 0
    page = goal.read_text("utf-8")
    assert '<h1 class="cp-goal-head__title">Keine Armut</h1>' in page
    assert 'href="#main">Zum Inhalt</a>' in page


def test_plural_forms_follow_the_rule_of_the_language(make_site: MakeSite) -> None:
    from cityprofiles.i18n import load_translations

    root = make_site(
        {
            "locales/pl/LC_MESSAGES/messages.po": (
                'msgid ""\nmsgstr ""\n"Language: pl\\n"\n'
                '"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                'msgid "%(num)s city"\nmsgid_plural "%(num)s cities"\n'
                'msgstr[0] "%(num)s miasto"\nmsgstr[1] "%(num)s miasta"\n'
                'msgstr[2] "%(num)s miast"\n'
            )
        }
    )
    polish = load_translations(["pl"], root / "locales", root)["pl"]
    forms = [polish.ngettext("%(num)s city", "%(num)s cities", n) for n in (1, 3, 5, 22, 25)]
    assert forms == [
        "%(num)s miasto",
        "%(num)s miasta",
        "%(num)s miast",
        "%(num)s miasta",
        "%(num)s miast",
    ]


def test_adding_a_language_with_a_locale_writes_an_entry_and_uses_its_formats(
    make_site: MakeSite,
) -> None:
    root = make_site()
    wrong = run_cli("i18n", "add", "de", root, "--locale", "fr_BE")
    assert wrong.returncode == 2
    assert "not a locale of the language 'de'" in wrong.stderr
    result = run_cli("i18n", "add", "de", root, "--locale", "de_AT")
    assert result.returncode == 0, result.stderr
    site_yaml = (root / "content/site.yaml").read_text("utf-8")
    assert "languages: [en, nl, {code: de, locale: de_AT}]" in site_yaml
    _build(root)
    page = (root / "build/de/cities/alphen/index.html").read_text("utf-8")
    assert "112.000" in page, "numbers in the locale's format"
    assert '<meta property="og:locale" content="de_AT">' in page
