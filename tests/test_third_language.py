"""A third language, added to the shipped site by the documented recipe (`i18n add de`).

The shipped site (the repository root) is copied twice and built with and without German;
the German build is checked for its switcher, hreflang, sitemap and the ``lang`` of
everything shown in another language, and the English and Dutch pages of the two builds
must differ only in their switcher and alternates.
"""

from __future__ import annotations

import difflib
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import REPO, SRC, run_cli

SITE_PARTS = ("content", "templates", "static", "locales")
MARKS = ("\ufdd0", "\ufdd1", "\ufdd2")


@dataclass(frozen=True)
class Builds:
    two: Path  # the shipped site as it is (en, nl)
    three: Path  # the same after `cityprofiles i18n add de`
    add_output: str


def _copy_site(target: Path) -> Path:
    target.mkdir(parents=True)
    for part in SITE_PARTS:
        if (REPO / part).is_dir():
            shutil.copytree(REPO / part, target / part)
    return target


def _build(root: Path) -> None:
    result = run_cli("build", root, "--no-search", "--no-cache", "--jobs", "1", timeout=600)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    base = tmp_path_factory.mktemp("third-language")
    two = _copy_site(base / "two")
    three = _copy_site(base / "three")
    added = run_cli("i18n", "add", "de", cwd=three)
    assert added.returncode == 0, added.stderr
    _build(two)
    _build(three)
    return Builds(two, three, added.stdout)


def _page(root: Path, rel: str) -> str:
    return (root / "build" / rel).read_text("utf-8")


def test_the_recipe_changes_only_the_languages_line_and_makes_the_catalogue(
    builds: Builds,
) -> None:
    before = (REPO / "content/site.yaml").read_text("utf-8").splitlines()
    after = (builds.three / "content/site.yaml").read_text("utf-8").splitlines()
    changed = [line for line in difflib.ndiff(before, after) if line.startswith(("+ ", "- "))]
    assert changed == ["+   - de"], "only the new language's line is added"
    assert after.index("  - de") == after.index("    locale: nl_NL") + 1
    po = builds.three / "locales/de/LC_MESSAGES/messages.po"
    with po.open("rb") as handle:
        catalogue = read_po(handle, locale="de")
    ids = {m.id for m in catalogue if m.id}
    assert "Skip to main content" in ids
    assert "Source code of cityprofiles" in ids, "the site's own template strings too"
    assert all(not any(m.string) if m.pluralizable else not m.string for m in catalogue if m.id)
    assert f"{len(ids)} UI strings" in builds.add_output
    assert "Left to translate into de" in builds.add_output
    assert "docs/translating.md" in builds.add_output


def test_a_second_add_changes_nothing(builds: Builds, tmp_path: Path) -> None:
    site = _copy_site(tmp_path / "site")
    shutil.copy(builds.three / "content/site.yaml", site / "content/site.yaml")
    shutil.copytree(builds.three / "locales", site / "locales", dirs_exist_ok=True)
    text = (site / "content/site.yaml").read_bytes()
    again = run_cli("i18n", "add", "de", cwd=site)
    assert again.returncode == 0, again.stderr
    assert "already one of the site's languages" in again.stdout
    assert (site / "content/site.yaml").read_bytes() == text


def test_the_switcher_offers_three_languages_each_in_its_own_language(builds: Builds) -> None:
    for rel, current in (("de/index.html", "de"), ("en/index.html", "en"), ("nl/index.html", "nl")):
        nav = re.search(r'<nav class="cp-langs.*?</nav>', _page(builds.three, rel), re.DOTALL)
        assert nav is not None
        names = re.findall(r'lang="(\w+)"[^>]*>([^<]+)<', nav.group(0))
        assert names == [("en", "English"), ("nl", "Nederlands"), ("de", "Deutsch")]
        assert re.search(rf'lang="{current}" aria-current="true"', nav.group(0))


def test_every_page_has_reciprocal_hreflang_for_three_languages_and_x_default(
    builds: Builds,
) -> None:
    city = {
        "en": "en/cities/utrecht/index.html",
        "nl": "nl/steden/utrecht/index.html",
        "de": "de/cities/utrecht/index.html",
    }
    for rel in city.values():
        links = dict(
            re.findall(
                r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"',
                _page(builds.three, rel),
            )
        )
        assert links == {
            "en": "https://cityprofiles.example.org/en/cities/utrecht/",
            "nl": "https://cityprofiles.example.org/nl/steden/utrecht/",
            "de": "https://cityprofiles.example.org/de/cities/utrecht/",
            "x-default": "https://cityprofiles.example.org/en/cities/utrecht/",
        }
    german_pages = [p for p in (builds.three / "build/de").rglob("*.html") if p.name != "404.html"]
    assert len(german_pages) > 20
    for path in german_pages:
        html = path.read_text("utf-8")
        assert '<html lang="de" dir="ltr">' in html
        assert len(re.findall(r'<link rel="alternate" hreflang=', html)) == 4, path


def test_the_sitemap_lists_each_page_with_three_alternates(builds: Builds) -> None:
    sitemap = _page(builds.three, "sitemap.xml")
    entries = re.findall(r"<url>(.*?)</url>", sitemap, re.DOTALL)
    german = [e for e in entries if "<loc>https://cityprofiles.example.org/de/" in e]
    assert german, "German pages are in the sitemap"
    for entry in entries:
        langs = re.findall(r'hreflang="([\w-]+)"', entry)
        assert langs == ["en", "nl", "de", "x-default"], entry
    old = re.findall(r"<url>", _page(builds.two, "sitemap.xml"))
    assert len(entries) == len(old) * 3 // 2


class _Texts(HTMLParser):
    """Each text of a page's body with the language it is marked with (nearest ``lang``)."""

    VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "source", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.texts: list[tuple[str, str]] = []
        self.attributes: list[str] = []
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_body = self.in_body or tag == "body"
        self.attributes += [v for _, v in attrs if v]
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        text = data.strip()
        # inline SVG (the map) takes no HTML element: its texts stay plain (fallback_marks)
        if (
            not text
            or not self.in_body
            or any(t in ("script", "style", "svg") for t, _ in self.stack)
        ):
            return
        lang = next((lang for _, lang in reversed(self.stack) if lang), "")
        self.texts.append((text, lang))


def _texts(html: str) -> _Texts:
    parser = _Texts()
    parser.feed(html)
    return parser


def _plain_ui_strings() -> set[str]:
    """The package's English UI strings without variables or markup."""
    with (SRC / "cityprofiles/locales/nl/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale="nl")
    return {
        m.id
        for m in catalogue
        if isinstance(m.id, str) and m.id and "%" not in m.id and "<" not in m.id
    }


def test_everything_english_on_german_pages_carries_lang_en(builds: Builds) -> None:
    english = _plain_ui_strings()
    pages = sorted((builds.three / "build/de").rglob("*.html"))
    seen_note = False
    for path in pages:
        html = path.read_text("utf-8")
        assert not any(mark in html for mark in MARKS), f"{path}: a fallback mark was left"
        parsed = _texts(html)
        unmarked = [t for t, lang in parsed.texts if lang == "de" and t in english]
        assert unmarked == [], f"{path}: English UI text without lang=en: {unmarked[:5]}"
        assert not any("<span" in value for value in parsed.attributes), path
        notes = re.findall(r'<span class="cp-fallback-note"([^>]*)>([^<]*)<', html)
        for attributes, note in notes:
            seen_note = True
            assert attributes == ' lang="en"' and note == "(in English, not yet translated)"
    assert seen_note
    city = _page(builds.three, "de/cities/utrecht/index.html")
    assert (
        '<a class="cp-skip-link utrecht-skip-link" href="#main"><span lang="en">Skip to main content</span></a>'
        in city
    )
    assert 'aria-label="Main menu"' in city, "an attribute holds the plain text"
    assert "(in Englisch" not in city, "the note is wholly in one language"
    goal = _page(builds.three, "de/goals/11/index.html")
    assert (
        '<h1 class="cp-goal-head__title"><span lang="en">Sustainable Cities and Communities</span>'
        in goal
    )


def test_check_strict_fails_until_german_is_translated(builds: Builds) -> None:
    assert run_cli("check", "--strict", builds.two).returncode == 0
    result = run_cli("check", "--strict", "--format", "json", builds.three)
    assert result.returncode == 1
    problems = result.stdout
    assert "locales/de/LC_MESSAGES/messages.po" in problems
    assert "UI strings have no de translation" in problems
    assert "no de name for Goals 1–17" in problems
    assert "no de description for Goals 1–17" in problems
    assert "content/cities/utrecht/city.yaml" in problems


_NEW_LANGUAGE_PARTS = (
    re.compile(r'\n<link rel="alternate" hreflang="de" href="[^"]*">'),
    re.compile(r'\n<meta property="og:locale:alternate" content="de_DE">'),
    re.compile(r'\n    <li>\n      <a class="cp-langs__link" [^\n]*hreflang="de"[^\n]*\n    </li>'),
    # the language choice of the root pages (/ and /404.html)
    re.compile(
        r'\n    <li><a class="cp-button" href="[^"]*" hreflang="de" lang="de">Deutsch</a></li>'
    ),
    re.compile(r'\n  <p lang="de"><a href="[^"]*" hreflang="de">Deutsch</a></p>'),
)


def _without_german(html: str) -> str:
    for pattern in _NEW_LANGUAGE_PARTS:
        html = pattern.sub("", html)
    return html


def _without_sizes(html: str) -> str:
    return re.sub(r"\((\w+), [0-9][^)]*\)", r"(\1, size)", html)


def test_english_and_dutch_pages_change_only_in_switcher_alternates_and_sitemap(
    builds: Builds,
) -> None:
    old = builds.two / "build"
    new = builds.three / "build"
    old_files = {p.relative_to(old).as_posix() for p in old.rglob("*") if p.is_file()}
    new_files = {p.relative_to(new).as_posix() for p in new.rglob("*") if p.is_file()}
    added = new_files - old_files
    assert old_files <= new_files
    assert all(rel.startswith("de/") or rel.startswith("data/") for rel in added), sorted(added)[:5]
    changed_pages = 0
    for rel in sorted(old_files):
        before, after = (old / rel).read_bytes(), (new / rel).read_bytes()
        if before == after:
            continue
        if rel.endswith(".html"):
            changed_pages += 1
            old_html, new_html = before.decode(), _without_german(after.decode())
            if rel.endswith("data/index.html"):  # the open data gains German columns
                old_html, new_html = _without_sizes(old_html), _without_sizes(new_html)
            assert new_html == old_html, rel
        elif rel == "sitemap.xml":
            text = re.sub(r"\n    <xhtml:link [^\n]*hreflang=\"de\"[^\n]*", "", after.decode())
            text = re.sub(r"\n  <url><loc>[^<]*/de/.*?</url>", "", text, flags=re.DOTALL)
            assert text == before.decode()
        else:
            assert rel.startswith("data/"), f"{rel} changed"
    assert changed_pages > 50, "the en and nl pages name the new language"
