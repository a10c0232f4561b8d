"""Each language's locale (``languages[].locale`` in site.yaml) writes its dates and numbers:
on pages, in the Atom feed's text and on the printed fact sheet (the city page)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cityprofiles.model import schemas
from cityprofiles.pipeline import build
from cityprofiles.scaffold import create_site
from conftest import BASE_FILES, REPO, MakeSite, run_cli

EUROPEAN = BASE_FILES["content/site.yaml"].replace(
    "languages: [en, nl]\n",
    "languages:\n  - code: en\n    locale: en_GB\n  - code: nl\n    locale: nl_BE\n",
)


def _build(make_site: MakeSite, site_yaml: str) -> Path:
    root = make_site({"content/site.yaml": site_yaml})
    build(root, root / "build")
    return root / "build"


def test_en_gb_pages_write_the_day_before_the_month(make_site: MakeSite) -> None:
    out = _build(make_site, EUROPEAN)
    english = (out / "en/cities/alphen/index.html").read_text("utf-8")
    dutch = (out / "nl/steden/alphen/index.html").read_text("utf-8")
    assert '<time datetime="2026-10-01">1 October 2026</time>' in english
    assert "October 1, 2026" not in english
    assert '<time datetime="2026-10-01">1 oktober 2026</time>' in dutch
    assert "112,000" in english and "112.000" in dutch
    statement = (out / "en/accessibility/index.html").read_text("utf-8")
    assert "1 November 2026" in statement


def test_without_a_locale_the_code_decides_as_before(make_site: MakeSite) -> None:
    out = _build(make_site, BASE_FILES["content/site.yaml"])
    assert "October 1, 2026" in (out / "en/cities/alphen/index.html").read_text("utf-8")


def test_the_feed_text_writes_the_review_date_in_the_page_locale(make_site: MakeSite) -> None:
    out = _build(make_site, EUROPEAN)
    english = (out / "en/updates.atom").read_text("utf-8")
    dutch = (out / "nl/updates.atom").read_text("utf-8")
    assert "Profile last reviewed on 1 October 2026.</summary>" in english
    assert "Profiel laatst gecontroleerd op 1 oktober 2026.</summary>" in dutch
    assert "<updated>2026-10-01T00:00:00Z</updated>" in english  # machines keep ISO dates


def test_the_switcher_names_the_language_without_its_region(make_site: MakeSite) -> None:
    out = _build(make_site, EUROPEAN)
    html = (out / "en/index.html").read_text("utf-8")
    assert 'lang="nl">Nederlands</a>' in html and "België" not in html
    assert '<meta property="og:locale" content="en_GB">' in html
    assert '<meta property="og:locale:alternate" content="nl_BE">' in html


def test_a_locale_of_another_language_is_refused_with_its_line(make_site: MakeSite) -> None:
    root = make_site({"content/site.yaml": EUROPEAN.replace("nl_BE", "fr_BE")})
    result = run_cli("check", root)
    assert result.returncode == 1
    assert (
        "content/site.yaml:9:13: languages[1].locale: locale 'fr_BE' is for another language "
        "than 'nl'; use 'nl' or a regional form of it, e.g. 'nl_NL'"
    ) in result.stderr


def test_the_shipped_site_and_new_sites_use_european_locales(tmp_path: Path) -> None:
    shipped = (REPO / "content/site.yaml").read_text("utf-8")
    assert re.search(r"code: en\n\s+locale: en_GB", shipped)
    assert re.search(r"code: nl\n\s+locale: nl_NL", shipped)
    create_site(tmp_path / "new", languages=("nl", "en"))
    new = (tmp_path / "new/content/site.yaml").read_text("utf-8")
    assert "languages: [{code: nl, locale: nl_NL}, {code: en, locale: en_GB}]" in new
    assert run_cli("check", "--strict", tmp_path / "new").returncode == 0


def test_the_json_schema_describes_the_locale_option() -> None:
    language = schemas()["site"]["$defs"]["LanguageConfig"]["properties"]["locale"]
    assert "en_GB" in language["description"] and "nl_BE" in language["description"]
    stored = json.loads((REPO / "schema/site.schema.json").read_text("utf-8"))
    assert stored["$defs"]["LanguageConfig"]["properties"]["locale"] == language
