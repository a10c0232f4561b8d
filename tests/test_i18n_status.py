"""``cityprofiles i18n status / extract / update / compile`` through the real entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from conftest import REPO, MakeSite, run_cli

HALF_TRANSLATED_CITY = {
    "content/cities/alphen/city.yaml": """\
        name: Alphen
        organisation: {en: City of Alphen, nl: Gemeente Alphen}
        country: NL
        coordinates: {lat: 52.13, lon: 4.66}
        website: https://www.alphen.example/
        last_reviewed: 2026-10-01
        summary:
          en: A test city on the Old Rhine.
        strategy:
          title: {en: Open to the world, nl: "TODO: vertalen"}
          summary: {en: We work with others., nl: We werken samen.}
        contacts:
          - id: international
            purpose: {en: International affairs, nl: Internationale zaken}
    """,
    "content/cities/alphen/narrative.nl.md": None,
}


def _read_po(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _status(root: Path) -> dict[str, object]:
    result = run_cli("i18n", "status", root, "--format", "json")
    assert result.returncode == 0, result.stderr
    report: dict[str, object] = json.loads(result.stdout)
    return report


def test_status_lists_untranslated_fields_per_language_city_and_overall(
    make_site: MakeSite,
) -> None:
    root = make_site(HALF_TRANSLATED_CITY)
    report = _status(root)
    languages = report["languages"]
    assert isinstance(languages, dict)
    nl = {(g["file"], g["path"], g["kind"]) for g in languages["nl"]["untranslated"]}
    city = "content/cities/alphen/city.yaml"
    assert nl == {
        (city, "summary", "missing"),
        (city, "strategy.title", "todo"),
        ("content/cities/alphen/narrative.nl.md", "", "missing"),
    }
    assert languages["en"]["untranslated"] == []
    lines = {g["path"]: g["line"] for g in languages["nl"]["untranslated"]}
    assert lines["summary"] == 8
    assert lines["strategy.title"] == 10
    assert report["cities"] == {"alphen": {"en": 0, "nl": 3}}
    overall = report["overall"]
    assert isinstance(overall, dict)
    assert overall["untranslated"] == 3
    assert overall["fields"] == languages["en"]["fields"] + languages["nl"]["fields"]

    text = run_cli("i18n", "status", root)
    assert text.returncode == 0
    assert f"  {city}:8: summary: no nl text" in text.stdout
    assert f"  {city}:10: strategy.title: still TODO" in text.stdout
    assert "  alphen: en 0, nl 3" in text.stdout
    assert "Overall:" in text.stdout


def test_status_reports_ui_strings_a_language_lacks(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/site.yaml": """\
                title: {en: T, nl: T, fy: T}
                tagline: {en: T, nl: T, fy: T}
                publisher: P
                base_url: https://test.example.org/
                languages: [en, nl, fy]
            """,
            "locales/fy/LC_MESSAGES/messages.po": (
                'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                'msgid "Skip to main content"\nmsgstr "Gean nei de ynhâld"\n'
            ),
        }
    )
    languages = _status(root)["languages"]
    assert isinstance(languages, dict)
    assert languages["nl"]["ui_untranslated"] == []
    fy = languages["fy"]["ui_untranslated"]
    assert "Skip to main content" not in fy
    assert "Page not found" in fy
    assert len(fy) == languages["fy"]["ui_strings"] - 1


def test_status_of_invalid_content_is_the_check_report(make_site: MakeSite) -> None:
    root = make_site({"content/cities/alphen/city.yaml": "name: [Alphen\n"})
    result = run_cli("i18n", "status", root)
    assert result.returncode == 1
    assert "content/cities/alphen/city.yaml:" in result.stderr
    assert "Traceback" not in result.stderr


def test_extract_update_compile_for_a_site_with_its_own_templates(make_site: MakeSite) -> None:
    root = make_site(
        {
            "templates/partials/footer.html": '<footer><p>{{ _("Made with care") }}</p></footer>\n',
        }
    )
    extract = run_cli("i18n", "extract", "--site", root)
    assert extract.returncode == 0, extract.stderr
    pot = root / "locales/messages.pot"
    ids = {m.id for m in _read_po(pot) if m.id}
    assert "Made with care" in ids
    assert "Skip to main content" in ids, "the package's strings are extracted too"

    update = run_cli("i18n", "update", "--site", root)
    assert update.returncode == 0, update.stderr
    po = root / "locales/nl/LC_MESSAGES/messages.po"
    assert "Created" in update.stdout
    assert (root / "locales/en/LC_MESSAGES/messages.po").is_file()
    ui = _status(root)["languages"]
    assert isinstance(ui, dict)
    assert "Made with care" in ui["nl"]["ui_untranslated"]

    text = po.read_text("utf-8").replace(
        'msgid "Made with care"\nmsgstr ""', 'msgid "Made with care"\nmsgstr "Met zorg gemaakt"'
    )
    po.write_text(text, encoding="utf-8")
    again = run_cli("i18n", "update", "--site", root)
    assert "Updated" in again.stdout
    assert 'msgstr "Met zorg gemaakt"' in po.read_text("utf-8"), "update keeps translations"

    assert run_cli("build", root).returncode == 0
    assert not list((root / "locales").rglob("*.mo")), "the build compiles in memory"
    page = (root / "build/nl/index.html").read_text("utf-8")
    assert "Met zorg gemaakt" in page
    assert "Direct naar de inhoud" in page, "untranslated site entries keep the package's"

    compiled = run_cli("i18n", "compile", "--site", root)
    assert compiled.returncode == 0, compiled.stderr
    assert (root / "locales/nl/LC_MESSAGES/messages.mo").is_file()
    assert "1 of" in compiled.stdout


def test_extract_with_the_repository_babel_cfg(tmp_path: Path) -> None:
    # A copy of the source repository: extract writes into its src/cityprofiles/locales.
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "content", repo / "content")
    shutil.copy(REPO / "babel.cfg", repo / "babel.cfg")
    shutil.copytree(
        REPO / "src", repo / "src", ignore=shutil.ignore_patterns("__pycache__", "*.mo")
    )
    result = run_cli("i18n", "extract", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "src/cityprofiles/locales/messages.pot" in result.stdout
    catalog = _read_po(repo / "src/cityprofiles/locales/messages.pot")
    locations = {path for m in catalog for path, _ in m.locations}
    assert any(p.startswith("src/cityprofiles/theme/templates/") for p in locations)
    packaged = _read_po(REPO / "src/cityprofiles/locales/nl/LC_MESSAGES/messages.po", "nl")
    extracted = {m.id for m in catalog if m.id}
    assert extracted, "nothing was extracted"
    assert len(extracted & {m.id for m in packaged if m.id}) > len(extracted) // 2


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_catalogue_commands_in_an_init_site_leave_the_installed_package_alone(
    tmp_path: Path,
) -> None:
    package = REPO / "src" / "cityprofiles"
    before = _tree(package / "locales")
    made = run_cli("init", tmp_path / "site")
    assert made.returncode == 0, made.stderr
    site = tmp_path / "site"
    for action in ("extract", "update", "compile"):
        result = run_cli("i18n", action, cwd=site)
        assert result.returncode == 0, result.stderr
    assert _tree(package / "locales") == before
    assert (site / "locales/messages.pot").is_file()
    assert (site / "locales/nl/LC_MESSAGES/messages.po").is_file()
    assert (site / "locales/nl/LC_MESSAGES/messages.mo").is_file()


@pytest.mark.parametrize("action", ["extract", "update", "compile"])
def test_catalogue_commands_outside_a_site_stop_with_a_clear_message(
    tmp_path: Path, action: str
) -> None:
    result = run_cli("i18n", action, cwd=tmp_path)
    assert result.returncode == 2
    assert "is not a cityprofiles site (it has no content/ folder)" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_catalogue_commands_refuse_a_locales_folder_outside_the_site(
    make_site: MakeSite, tmp_path: Path
) -> None:
    root = make_site()
    outside = tmp_path / "elsewhere"
    result = run_cli("i18n", "extract", "--site", root, "--locales", outside)
    assert result.returncode == 2
    assert "is outside the site" in result.stderr
    assert not outside.exists()


def test_update_without_a_template_says_what_to_do(make_site: MakeSite) -> None:
    root = make_site()
    result = run_cli("i18n", "update", "--site", root)
    assert result.returncode == 2
    assert "run `cityprofiles i18n extract` first" in result.stderr


def test_compile_reports_a_broken_catalogue_with_its_position(make_site: MakeSite) -> None:
    root = make_site({"locales/nl/LC_MESSAGES/messages.po": 'msgid "a"\nmsgstr "b"\nmsgid\n'})
    result = run_cli("i18n", "compile", "--site", root)
    assert result.returncode == 1
    assert "locales/nl/LC_MESSAGES/messages.po" in result.stderr
    assert "Traceback" not in result.stderr
