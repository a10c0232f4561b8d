"""Stage 3, render: the validated :class:`Site` -> page bytes, one Jinja2 environment per language.

Templates hold presentation; everything a template needs is computed beforehand
(:mod:`~cityprofiles.render.context`) and passed as typed objects. A template mistake
becomes a positioned problem: the template's file and line, never a traceback.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import traceback
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from cityprofiles.content import display_path
from cityprofiles.errors import ContentError, Problem
from cityprofiles.i18n import UiText
from cityprofiles.model import Site
from cityprofiles.render.assets import package_theme
from cityprofiles.render.context import PageContexts, template_name
from cityprofiles.render.environment import environment
from cityprofiles.render.fallback_marks import START_BYTES, resolve_marks
from cityprofiles.render.filters import LanguageTools
from cityprofiles.render.links import template_globals
from cityprofiles.render.maps.geodata import geography
from cityprofiles.render.ordering import in_name_order
from cityprofiles.render.routes import Route, Router

if TYPE_CHECKING:
    from cityprofiles.render.features import FileSizes

# Jinja names an object by its module and class ('cityprofiles.x.y.PageView object');
# an editor needs the class only, and the message stays the same when modules move.
_OUR_TYPE = re.compile(r"'cityprofiles\.(?:\w+\.)*(\w+) object'")

ROOT_INDEX = Route("root", "", "", "index.html")
ROOT_NOT_FOUND = Route("root_not_found", "", "", "404.html")


class Renderer:
    """Renders the pages of one site (a new one for each build, as templates may change).

    ``translations``: each language's UI strings, falling back like content
    (:func:`~cityprofiles.i18n.ui_texts`); ``router``: the site's URL table; ``files``: the
    other files of the site (the open data), whose sizes the data page shows;
    ``bytecode_cache``: compiled templates to share (in memory only)."""

    def __init__(
        self,
        site: Site,
        translations: Mapping[str, UiText],
        router: Router,
        files: FileSizes,
        *,
        bytecode_cache: jinja2.BytecodeCache | None = None,
    ) -> None:
        self.site = site
        self.router = router
        self.default = site.default_language
        template_dirs = [p for p in (site.root / "templates",) if p.is_dir()]
        template_dirs.append(package_theme() / "templates")
        # each language's pages list cities and networks by their names in that language
        views = {lang.code: in_name_order(site, lang) for lang in site.languages}
        tools = {
            lang.code: LanguageTools(views[lang.code], lang, translations[lang.code])
            for lang in site.languages
        }
        helpers = template_globals(router, self.default)
        self.envs = {
            lang.code: environment(
                views[lang.code],
                lang,
                template_dirs,
                translations[lang.code],
                tools[lang.code],
                helpers,
                bytecode_cache,
            )
            for lang in site.languages
        }
        self.contexts = PageContexts(site, router, translations, tools, files, views)
        self.directions = {lang.code: lang.direction for lang in site.languages}

    def routes(self) -> Iterator[Route]:
        """Every page of the site, in a stable order."""
        yield ROOT_INDEX
        yield ROOT_NOT_FOUND
        yield from self.router

    def render(self, route: Route) -> bytes:
        """Render one page; template errors become positioned problems."""
        lang = route.lang or self.default
        env = self.envs[lang]
        name, context = self.contexts.context(route)
        try:
            template = env.get_template(name)
            if route.kind in LIST_KINDS:
                # What Template.render does, but encoded in parts (Template.generate would
                # add a generator layer to each of the page's million pieces).
                try:
                    return resolve_marks(
                        _encode_in_parts(template.root_render_func(template.new_context(context))),
                        self.directions[lang],
                    )
                except Exception:
                    env.handle_exception()  # raises it with template file and line
            html = template.render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise ContentError(
                [self._template_problem(exc.filename, exc.lineno, exc.message or "syntax error")]
            ) from None
        except jinja2.TemplateNotFound as exc:
            raise ContentError(
                [Problem("templates", message=f"template '{exc.name}' not found", code="template")]
            ) from None
        except Exception as exc:  # any error raised while a template runs
            filename, line = _template_frame(exc)
            raise ContentError(
                [self._template_problem(filename, line, f"{type(exc).__name__}: {exc}")]
            ) from None
        page = html.encode("utf-8")
        # text shown in another language than the page's gets its lang (fallback_marks)
        return resolve_marks(page, self.directions[lang]) if START_BYTES in page else page

    def warm(self, route: Route) -> None:
        """Compile the template of ``route`` now, so forked workers inherit it compiled
        (and the maps' geography read, for the pages that draw maps)."""
        env = self.envs[route.lang or self.default]
        with contextlib.suppress(jinja2.TemplateError):  # reported when the page renders
            env.get_template(template_name(route.kind))
        if route.kind in ("city", "compare"):
            geography()

    def _template_problem(self, filename: str | None, line: int | None, message: str) -> Problem:
        shown = display_path(Path(filename), self.site.root) if filename else "templates"
        if filename and shown.startswith("/"):
            shown = "theme:" + Path(filename).name
        message = _OUR_TYPE.sub(r"'\1 object'", message)  # not where our classes live
        return Problem(shown, line, message=f"template error: {message}", code="template")


# Pages whose size grows with the number of cities (the compare page of 10 000 cities is
# 50 MB): made piece by piece, so the millions of pieces Jinja yields are never all held.
LIST_KINDS = frozenset(
    {"home", "cities", "networks", "network", "goals", "goal", "compare", "data"}
)
_PIECES = 20_000


def _encode_in_parts(pieces: Iterator[str]) -> bytes:
    """``"".join(pieces).encode()`` with a bounded number of pieces alive at a time: at
    10 000 cities the compare page's pieces took ~250 MB at once (a str object each, and
    the joined text in two bytes per character, as it holds "✔"), this ~100 MB."""
    parts: list[bytes] = []
    while batch := list(itertools.islice(pieces, _PIECES)):
        parts.append("".join(batch).encode("utf-8"))
    return b"".join(parts) if len(parts) != 1 else parts[0]


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line in a traceback (Jinja rewrites frames to them)."""
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".html", ".xml", ".txt", ".j2")):
            found = (frame.filename, frame.lineno)
    return found
