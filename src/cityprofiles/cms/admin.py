"""The ``/admin/`` folder: Decap CMS (vendored), its configuration and its own security policy.

The same files are served by ``cityprofiles serve`` (with the local back end) and
published by ``build`` (with the Git host of ``site.yaml``); only the configuration's
``backend`` and the Content-Security-Policy's ``connect-src`` differ. Nothing is loaded
from another origin: the CMS, its YAML parser and the glue all come from the package.

Decap needs more than the public site's policy allows, and no more than this:
``'unsafe-eval'`` (it compiles its configuration schema with ajv, which builds functions
at run time; without it Decap stops at "Error compiling schema"), ``'unsafe-inline'``
styles (emotion, its CSS-in-JS, writes ``<style>`` elements) and ``blob:``/``data:``
images (previews of uploaded files). Everything else falls back to ``default-src
'none'``: no fonts, frames, forms, plug-ins or other origins (measured: the editor
loads and edits every collection with only this). The page is never indexed
(``noindex`` here, an ``X-Robots-Tag`` header from ``serve``, no sitemap entry).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cityprofiles.cms.decap import EditorSite, config_text, decap_config

if TYPE_CHECKING:
    from cityprofiles.model import Site

ADMIN = "admin/"
"""Where the editor lives, under the site's base path (``/admin/`` or ``/cities/admin/``)."""
PROXY_PATH = "/api/v1"
"""The local back end, at the server's root (it is not part of the site)."""

# The files /admin/ loads, in the order of the page's script elements.
SCRIPTS = ("cityprofiles-setup.js", "decap-cms.js", "js-yaml.min.js", "cityprofiles-admin.js")
STYLES = ("cityprofiles-admin.css", "cityprofiles-languages.css")
LICENCES = ("decap-cms.LICENSE.txt", "decap-cms.js.LICENSE.txt", "js-yaml.LICENSE.txt")
STATIC = (*SCRIPTS, "cityprofiles-admin.css", *LICENCES, "VENDOR.md")
UI_LANGUAGES = ("en", "nl")
"""Interface languages whose field labels ``labels.yaml`` has; Decap itself has more."""

PAGE_TITLE = {"en": "Content editor", "nl": "Bewerkomgeving"}
NOSCRIPT = {
    "en": "The content editor needs JavaScript. The content files can also be edited "
    "as text: see docs/editing.md.",
    "nl": "De bewerkomgeving heeft JavaScript nodig. De inhoud kan ook als tekstbestand "
    "worden bewerkt: zie docs/editing.md.",
}


def static_file(name: str) -> Path:
    """A file of ``/admin/`` shipped in the package."""
    return Path(str(resources.files("cityprofiles").joinpath(f"cms/admin/{name}")))


def csp(connect: Sequence[str] = (), *, header: bool = False) -> str:
    """``/admin/``'s Content-Security-Policy; ``connect``: the Git host's API origins.

    ``frame-ancestors`` only works as a header, so the meta tag leaves it out.

    >>> csp(["https://api.github.com"]).split("; ")[4]
    "connect-src 'self' https://api.github.com"
    """
    parts = [
        "default-src 'none'",
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        " ".join(["connect-src 'self'", *connect]),
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
    if header:
        parts.append("frame-ancestors 'none'")
    return "; ".join(parts)


def ui_languages(site: EditorSite) -> tuple[str, ...]:
    """The interface languages offered: the site's languages the editor has words for."""
    found = tuple(code for code in site.codes if code in UI_LANGUAGES)
    return found or ("en",)


def default_ui(site: EditorSite) -> str:
    choices = ui_languages(site)
    return site.default_ui if site.default_ui in choices else choices[0]


def languages_css(site: EditorSite) -> bytes:
    """The inputs of a translated field side by side, one column per language.

    A translated field is Decap's object widget holding one input per language; Decap
    names each input's id after its field (``en-field-7``), which is the only stable hook
    its markup offers. On a narrow screen the columns wrap under each other.
    """
    first = site.codes[0]
    group = (
        'div[id*="-field-"] > div:not([class*="TopBarContainer"])'
        f':has(> div > div > label[for^="{first}-field-"])'
    )
    columns = min(len(site.codes), 3)
    css = f"""/* cityprofiles: generated for this site's languages ({", ".join(site.codes)}). */
{group} {{
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, {36 // columns}rem), 1fr));
  column-gap: 1rem;
}}
{group} > div {{
  margin-top: 0;
}}
div[id*="-field-"]:has(> div:not([class*="TopBarContainer"]) > div > div > label[for^="{first}-field-"]) > div[class*="TopBarContainer"] {{
  display: none;
}}
"""
    return css.encode()


def index_html(site: EditorSite, connect: Sequence[str] = ()) -> bytes:
    """The page: the security policy, no indexing, and the scripts (no inline code)."""
    ui = default_ui(site)
    title = f"{PAGE_TITLE.get(ui, PAGE_TITLE['en'])} – {site.title}"
    scripts = "\n".join(f'<script src="{name}"></script>' for name in SCRIPTS)
    styles = "\n".join(f'<link rel="stylesheet" href="{name}">' for name in STYLES)
    page = f"""<!DOCTYPE html>
<html lang="{ui}" data-default-locale="{ui}" data-locales="{" ".join(ui_languages(site))}" data-languages="{" ".join(site.codes)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{html.escape(csp(connect), quote=False)}">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>{html.escape(title)}</title>
<link rel="icon" href="../assets/favicon.svg" type="image/svg+xml">
{styles}
</head>
<body>
<noscript><p>{html.escape(NOSCRIPT.get(ui, NOSCRIPT["en"]))}</p></noscript>
{scripts}
</body>
</html>
"""
    return page.encode()


def admin_files(
    site: EditorSite,
    *,
    backend: Mapping[str, Any],
    site_url: str,
    editorial_workflow: bool,
    connect: Sequence[str] = (),
) -> dict[str, bytes | Path]:
    """Every file of ``/admin/`` by its name there: generated pages, shipped scripts."""
    files: dict[str, bytes | Path] = {
        "index.html": index_html(site, connect),
        "cityprofiles-languages.css": languages_css(site),
    }
    for ui in ui_languages(site):
        config = decap_config(
            site, ui, backend=backend, site_url=site_url, editorial_workflow=editorial_workflow
        )
        files[f"config.{ui}.yml"] = config_text(config).encode()
    for name in STATIC:
        files[name] = static_file(name)
    return files


def published_files(site: EditorSite) -> dict[str, bytes | Path]:
    """What ``build`` publishes under ``admin/``: nothing without a Git host in site.yaml."""
    return dict(_published(site))


@lru_cache(maxsize=4)
def _published(site: EditorSite) -> dict[str, bytes | Path]:
    """Made once per site settings: the preview rebuilds after every save."""
    backend = site.cms.backend
    if backend is None:
        return {}
    files = admin_files(
        site,
        backend=backend.decap(),
        site_url=site.base_url,
        editorial_workflow=True,
        connect=backend.origins(),
    )
    return {ADMIN + name: data for name, data in files.items()}


def local_files(site: EditorSite, site_url: str) -> dict[str, bytes | Path]:
    """What ``serve`` serves under ``admin/``: the local back end on the same origin."""
    return admin_files(
        site,
        backend={"name": "proxy", "proxy_url": PROXY_PATH, "branch": "main"},
        site_url=site_url,
        editorial_workflow=False,
    )


def configurations(site: EditorSite) -> dict[str, bytes]:
    """The configuration per interface language, as the site publishes or serves it."""
    files = published_files(site) or {ADMIN + k: v for k, v in local_files(site, "/").items()}
    return {
        name[len(ADMIN) :]: data
        for name, data in files.items()
        if name.endswith(".yml") and isinstance(data, bytes)
    }


def write_configurations(root: Path, folder: Path) -> list[Path]:
    """``schema/cms/config.<lang>.yml``: the editor's configuration, for review in Git.

    Raises :class:`~cityprofiles.errors.ContentError` when site.yaml is not valid."""
    from cityprofiles.cms.decap import read_site

    site = read_site(root)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in configurations(site).items():
        path = folder / name
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
        written.append(path)
    return written


def build_files(site: Site) -> dict[str, bytes | Path]:
    """``admin/`` for ``build``, from the validated site (its ``--base-url`` included)."""
    cms = site.config.cms
    if cms is None or cms.backend is None:
        return {}
    from cityprofiles.cms.fields import FormLanguage

    default = site.default_language
    ordered = sorted(site.languages, key=lambda lang: lang.code != default)
    title = site.config.title
    editor_site = EditorSite(
        languages=tuple(FormLanguage(lang.code, lang.native_name) for lang in ordered),
        default=default,
        base_url=site.config.base_url,
        title=title.get(default) or next(iter(title.values())),
        cms=cms,
    )
    return published_files(editor_site)
