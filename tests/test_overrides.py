"""A site's own templates, static files and catalogues override the packaged theme's."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cityprofiles.pipeline import build
from cityprofiles.render import package_theme
from conftest import BASE_FILES, REPO

OVERRIDES = {
    "templates/partials/footer_note.html": """\
        <p class="cp-footer__note">{{ _("Made with care in Alphen.") }}</p>
        """,
    "static/css/tokens.css": ":root { --cp-colour-brand: #5b2a86; }\n",
    "static/img/coat-of-arms.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
    "locales/nl/LC_MESSAGES/messages.po": """\
        msgid ""
        msgstr ""
        "Language: nl\\n"
        "Content-Type: text/plain; charset=utf-8\\n"

        msgid "Made with care in Alphen."
        msgstr "Met zorg gemaakt in Alphen."

        msgid "Cities"
        msgstr "Gemeenten"

        msgid "Key facts"
        msgstr ""
        """,
    "locales/en/LC_MESSAGES/messages.po": """\
        msgid ""
        msgstr ""
        "Language: en\\n"
        "Content-Type: text/plain; charset=utf-8\\n"

        msgid "Cities"
        msgstr "Member cities"
        """,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("overrides") / "site"
    for rel, text in {**BASE_FILES, **OVERRIDES}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    out = root / "build"
    build(root, out)
    return root, out


def page(out: Path, rel: str) -> str:
    return (out / rel).read_text("utf-8")


def test_a_site_template_replaces_the_theme_template_of_the_same_path(
    built: tuple[Path, Path],
) -> None:
    _, out = built
    assert '<p class="cp-footer__note">Made with care in Alphen.</p>' in page(out, "en/index.html")
    assert (
        "Made with care"
        not in (package_theme() / "templates/partials/footer_note.html").read_text()
    )


def test_a_site_catalogue_translates_its_own_strings_and_overrides_the_theme_wording(
    built: tuple[Path, Path],
) -> None:
    _, out = built
    dutch = page(out, "nl/index.html")
    assert "Met zorg gemaakt in Alphen." in dutch
    assert ">Gemeenten</a>" in dutch and ">Steden</a>" not in dutch  # the menu item
    assert ">Member cities</a>" in page(out, "en/index.html")


def test_an_empty_msgstr_in_a_site_catalogue_keeps_the_package_translation(
    built: tuple[Path, Path],
) -> None:
    _, out = built
    assert "Kerngegevens" in page(out, "nl/steden/alphen/index.html")


def test_site_static_files_replace_or_join_the_theme_files(built: tuple[Path, Path]) -> None:
    root, out = built
    assets = out / "assets"
    assert (assets / "css/tokens.css").read_bytes() == (root / "static/css/tokens.css").read_bytes()
    theme_css = package_theme() / "static/css/site.css"
    assert (assets / "css/site.css").read_bytes() == theme_css.read_bytes()
    assert (assets / "img/coat-of-arms.svg").is_file()


def test_the_shipped_site_uses_the_same_mechanism(tmp_path: Path) -> None:
    build(REPO, tmp_path / "out")
    note = '<p class="cp-footer__meta cp-footer__note">'
    english = page(tmp_path / "out", "en/index.html")
    dutch = page(tmp_path / "out", "nl/index.html")
    assert note + "This site is made with cityprofiles" in english
    assert note + "Deze site is gemaakt met cityprofiles" in dutch
