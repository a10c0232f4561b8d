"""The theme's files: the default theme shipped in the package, the static assets (the
site's ``static/`` over the theme's) and the SDG colours as a stylesheet."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from cityprofiles.model import Site
from cityprofiles.render.links import ASSETS


def package_theme() -> Path:
    """The default theme shipped inside the package."""
    return Path(str(resources.files("cityprofiles").joinpath("theme")))


def sdg_stylesheet(site: Site) -> bytes:
    """CSS classes with each SDG's colour and a text colour that passes WCAG AA.

    Generated rather than inline ``style`` so the Content-Security-Policy can forbid inline styles.
    """
    rules = [
        f".cp-sdg-{s.number}{{--cp-sdg-bg:{s.colour};--cp-sdg-fg:{s.text_colour}}}"
        for s in site.sdgs
    ]
    return ("\n".join(rules) + "\n").encode("ascii")


def static_files(site: Site) -> dict[str, Path]:
    """Static assets by output path: the theme's, overridden by the site's ``static/``."""
    result: dict[str, Path] = {}
    for folder in (package_theme() / "static", site.root / "static"):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                result[ASSETS + path.relative_to(folder).as_posix()] = path
    return result
