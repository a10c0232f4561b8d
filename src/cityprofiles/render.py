"""Stage 3, render: the validated :class:`Site` -> page bytes, one Jinja2 environment per language.

Templates hold presentation; everything a template needs is computed here (titles,
alternates, relative links, JSON-LD) and passed as typed objects. Undefined
variables are errors (``StrictUndefined``), so a template mistake fails the build
with the template's file and line instead of leaving a gap on a published page.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import posixpath
import re
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from babel.support import Translations
from markupsafe import Markup, escape

from cityprofiles.config import Language
from cityprofiles.errors import ContentError, Problem
from cityprofiles.fallback_marks import (
    START_BYTES,
    lang_attributes,
    mark_markup,
    mark_text,
    resolve_marks,
)
from cityprofiles.i18n import Localized, UiText, pick, ui_texts
from cityprofiles.jsonld import city_graph
from cityprofiles.load import display_path
from cityprofiles.maps.geodata import geography
from cityprofiles.maps.site_maps import city_figure
from cityprofiles.opendata import OpenData, city_json_path, feed_path, vcard_path
from cityprofiles.routes import FEATURE_KINDS, Route, Router, folders, relative_link
from cityprofiles.site import Site


def N_(message: str) -> str:  # the name gettext tools look for
    """Mark ``message`` for extraction into the catalogues; it is translated where used."""
    return message


FALLBACK_NOTE = N_("in %(language)s, not yet translated")
"""The note after a passage shown in a fallback language (see ``fallback_note``)."""

ROOT_INDEX = Route("root", "", "", "index.html")
ROOT_NOT_FOUND = Route("root_not_found", "", "", "404.html")
ASSETS = "assets/"


def package_theme() -> Path:
    """The default theme shipped inside the package."""
    return Path(str(resources.files("cityprofiles").joinpath("theme")))


@dataclass(frozen=True)
class Alternate:
    """A language version of the current page, for the switcher and ``hreflang``."""

    language: Language
    href: str
    absolute: str
    current: bool


@dataclass(frozen=True)
class PageView:
    """What every template receives as ``page``."""

    route: Route
    title: str
    description: str
    canonical: str
    alternates: tuple[Alternate, ...]
    x_default: str
    jsonld: Mapping[str, Any] | None = None


class Renderer:
    """Renders the pages of one site. Create once per build; reuse for incremental rebuilds."""

    def __init__(
        self,
        site: Site,
        translations: Mapping[str, Translations],
        *,
        bytecode_cache: jinja2.BytecodeCache | None = None,
    ) -> None:
        self.site = site
        self.bytecode_cache = bytecode_cache
        self.router = Router(site)
        # UI strings fall back like content: default language, the others, then English
        self.translations = ui_texts(
            translations, {code: site.fallback_order(code) for code in site.language_codes}
        )
        self.template_dirs = [p for p in (site.root / "templates",) if p.is_dir()]
        self.template_dirs.append(package_theme() / "templates")
        self.tools: dict[str, LanguageTools] = {}
        self.directions: dict[str, str] = {}
        self.envs = {lang.code: self._environment(lang) for lang in site.languages}
        self.default = site.default_language
        self._open_data: OpenData | None = None
        self._network_urls_by_lang: dict[str, Mapping[str, str]] = {}

    # -- environment -------------------------------------------------------
    def _environment(self, language: Language) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(p) for p in self.template_dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            bytecode_cache=self.bytecode_cache,
            # A build (and each preview rebuild) makes a new Renderer, so templates never
            # change under it: without this, every page asked the disk for the mtime of
            # each template it extends, includes or imports (~3 % of a cold build).
            auto_reload=False,
        )
        translations = self.translations[language.code]
        env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
        _install_fast_gettext(env, translations)
        tools = self.tools[language.code] = LanguageTools(self.site, language, translations)
        self.directions[language.code] = language.direction
        env.filters.update(
            tr=tools.tr,
            text=tools.text,
            block=tools.block,
            headings=tools.headings,
            number=tools.number,
            date=tools.date,
            time=tools.time,
            country=tools.country,
            language_name=tools.language_name,
            phone=tools.phone,
            og_locale=og_locale,
        )
        env.globals.update(
            site=self.site,
            lang=language,
            languages=self.site.languages,
            url_to=self._url_to,
            asset=self._asset,
            data_url=self._data_url,
            sdg=self.site.sdg,
            fallback_note=tools.fallback_note,
        )
        return env

    def link(self, source: Route, target: str) -> str:
        """A link from ``source`` to an output path: relative, except on 404 pages, which a
        host serves at any address and therefore need links from the site root."""
        if source.kind in ("not_found", "root_not_found"):
            from urllib.parse import urlsplit

            return urlsplit(self.site.config.base_url).path + target
        return self.router.relative(source, target)

    def page_links(self, route: Route) -> PageLinks:
        """The link helpers of one page (``url_to``, ``asset``, ``data_url``)."""
        return PageLinks(self, route)

    # The same helpers as globals, for templates rendered without a page's own context
    # (a macro imported without ``with context`` still sees globals).
    @jinja2.pass_context
    def _url_to(self, ctx: Any, kind: str, key: object = "", lang: str | None = None) -> str:
        return self.page_links(ctx["page"].route).url_to(kind, key, lang)

    @jinja2.pass_context
    def _asset(self, ctx: Any, path: str) -> str:
        return self.page_links(ctx["page"].route).asset(path)

    @jinja2.pass_context
    def _data_url(self, ctx: Any, what: str, *keys: str) -> str:
        return self.page_links(ctx["page"].route).data_url(what, *keys)

    @property
    def open_data(self) -> OpenData:
        """The open-data files (JSON, CSV, Atom, vCard), each made once, when first read."""
        if self._open_data is None:
            gettexts = {code: t.gettext for code, t in self.translations.items()}
            self._open_data = OpenData(self.site, self.router, gettexts)
        return self._open_data

    # -- pages -------------------------------------------------------------
    def routes(self) -> Iterator[Route]:
        """Every page of the site, in a stable order."""
        yield ROOT_INDEX
        yield ROOT_NOT_FOUND
        yield from self.router

    def render(self, route: Route) -> bytes:
        """Render one page; template errors become positioned problems."""
        lang = route.lang or self.default
        env = self.envs[lang]
        template_name, context = self._context(route, env)
        try:
            template = env.get_template(template_name)
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
            env.get_template(_template_name(route.kind))
        if route.kind in ("city", "compare"):
            geography()

    def _template_problem(self, filename: str | None, line: int | None, message: str) -> Problem:
        shown = display_path(Path(filename), self.site.root) if filename else "templates"
        if filename and shown.startswith("/"):
            shown = "theme:" + Path(filename).name
        return Problem(shown, line, message=f"template error: {message}", code="template")

    def _context(self, route: Route, env: jinja2.Environment) -> tuple[str, dict[str, Any]]:
        site = self.site
        lang = route.lang or self.default
        gettext: Callable[[str], str] = self.translations[lang].gettext
        tools = self.tools[lang]
        tagline = tools.text(site.config.tagline)
        links = self.page_links(route)
        extra: dict[str, Any] = {}
        jsonld = None
        kind = route.kind
        if kind == "city":
            city = site.city(route.key)
            assert city is not None
            extra["city"] = city
            extra["map"] = city_figure(site, city, lang, gettext)
            title, description = tools.text(city.name), tools.text(city.summary)
            jsonld = city_graph(
                city,
                lang,
                site.fallback_order(lang),
                self.router.absolute(route),
                site.networks,
                self._network_urls(lang),
            )
        elif kind == "network":
            network = site.networks[route.key]
            extra["network"] = network
            extra["members"] = site.members_by_network[route.key]
            title, description = tools.text(network.name), tools.text(network.description)
        elif kind == "goal":
            sdg = site.sdg(int(route.key))
            extra["goal"] = sdg
            extra["links"] = site.cities_by_goal[sdg.number]
            title = gettext("SDG %(number)s: %(name)s") % {
                "number": sdg.number,
                "name": tools.text(sdg.name),
            }
            description = gettext(
                "How cities link their local work to SDG %(number)s, %(name)s."
            ) % {
                "number": sdg.number,
                "name": tools.text(sdg.name),
            }
        elif kind in FEATURE_KINDS:
            from cityprofiles.features import feature_context

            title, description, extra = feature_context(
                route, site, self.router, gettext, links, self.open_data
            )
        else:
            titles = {
                "home": tools.text(site.config.title),
                "cities": gettext("Cities"),
                "networks": gettext("City networks"),
                "goals": gettext("Sustainable Development Goals"),
                "about": gettext("About this site"),
                "accessibility": gettext("Accessibility statement"),
                "not_found": gettext("Page not found"),
                "root": tools.text(site.config.title),
                "root_not_found": gettext("Page not found"),
            }
            title, description = titles[kind], tagline
            if kind == "about":
                extra["content"] = self._page_html("about", lang)
            if kind == "home":
                extra["intro"] = self._page_html("home", lang)
        alternates = self._alternates(route, links)
        if route.kind.startswith("root"):
            canonical = site.config.base_url + route.path.replace("index.html", "")
            x_default = canonical
        else:
            canonical = self.router.absolute(route)
            x_default = self.router.absolute(self.router.get(kind, route.key, self.default))
        if route.kind == "home":
            x_default = site.config.base_url
        view = PageView(route, title, description, canonical, alternates, x_default, jsonld)
        helpers = {"url_to": links.url_to, "asset": links.asset, "data_url": links.data_url}
        return _template_name(kind), {"page": view, **helpers, **extra}

    def _network_urls(self, lang: str) -> Mapping[str, str]:
        """Each network page's absolute URL in ``lang`` (every city's JSON-LD names them)."""
        urls = self._network_urls_by_lang.get(lang)
        if urls is None:
            urls = self._network_urls_by_lang[lang] = {
                nid: self.router.absolute(self.router.get("network", nid, lang))
                for nid in self.site.networks
            }
        return urls

    def _page_html(self, name: str, lang: str) -> Localized | None:
        by_lang = {code: html for (page, code), html in self.site.pages.items() if page == name}
        return pick(by_lang, lang, self.site.fallback_order(lang))

    def _alternates(self, route: Route, links: PageLinks) -> tuple[Alternate, ...]:
        site = self.site
        result = []
        for language in site.languages:
            if route.kind in ("root", "root_not_found"):
                # the root pages choose a language; from a missing page, go on to its home page
                target = self.router.get("home", "", language.code)
            else:
                target = self.router.get(route.kind, route.key, language.code)
            result.append(
                Alternate(
                    language,
                    links.link(self.router.public_path(target)),
                    self.router.absolute(target),
                    language.code == route.lang,
                )
            )
        return tuple(result)


class PageLinks:
    """Links from one page, each made once: a page often links the same page many times
    (the compare page names each network once per member city), and these helpers are the
    templates' most frequent calls. Plain callables in the page's context, so Jinja calls
    them without passing its context along."""

    __slots__ = ("_folders", "_lang", "_memo", "_renderer", "_route")

    def __init__(self, renderer: Renderer, route: Route) -> None:
        self._renderer = renderer
        self._route = route
        self._lang = route.lang or renderer.default
        self._memo: dict[tuple[str, object, str | None], str] = {}
        # None: a 404 page, whose links start at the site root (Renderer.link)
        root_relative = route.kind in ("not_found", "root_not_found")
        self._folders = None if root_relative else folders(route.output)

    def link(self, target: str) -> str:
        """A link from this page to an output path (``en/cities/utrecht/``)."""
        if self._folders is not None and target and "/." not in "/" + target:
            return relative_link(self._folders, target)  # most links: no '.' or '..' in them
        return self._renderer.link(self._route, target)

    def url_to(self, kind: str, key: object = "", lang: str | None = None) -> str:
        """A link to the page ``(kind, key)`` in ``lang`` (default: this page's language)."""
        memo_key = (kind, key, lang)
        found = self._memo.get(memo_key)
        if found is None:
            router = self._renderer.router
            target = router.get(kind, str(key), lang or self._lang)
            found = self._memo[memo_key] = self.link(router.public_path(target))
        return found

    def asset(self, path: str) -> str:
        """A link to a static file (``css/site.css`` -> ``../../assets/css/site.css``);
        ``../sitemap.xml`` leaves the assets folder."""
        target = ASSETS + path
        if "/." in "/" + path and self._folders is not None:
            # what relpath would make of it, without its getcwd (one such link a page)
            target = posixpath.normpath(target) + ("/" if target.endswith("/") else "")
        return self.link(target)

    def data_url(self, what: str, *keys: str) -> str:
        """Links to open-data files: ``data_url("city", id)``, ``data_url("vcard", id,
        contact)``, ``data_url("feed")`` (the latter two in the page language)."""
        if what == "city":
            path = city_json_path(keys[0])
        elif what == "vcard":
            path = vcard_path(keys[0], keys[1], self._lang)
        elif what == "feed":
            path = feed_path(self._lang)
        else:
            raise KeyError(what)
        return self.link(path)


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


def _template_name(kind: str) -> str:
    special = {"root": "root.html", "root_not_found": "root_404.html", "not_found": "404.html"}
    return special.get(kind, f"{kind}.html")


def _install_fast_gettext(env: jinja2.Environment, translations: UiText) -> None:
    """Replace Jinja's newstyle ``_``/``gettext``/``ngettext`` with equivalent one-layer callables.

    Jinja's versions go through ``Context.call`` two or three times per string (``_`` resolves
    ``gettext``, which calls the catalogue through the context again); with ~70 UI strings per
    page that was 10 % of a 1 000-city build under cProfile. Output is identical: the same
    catalogue lookup, ``Markup`` when autoescaping, and ``%`` formatting even without variables.

    A string that is not translated into the page language comes back marked with the
    language it is shown in (:mod:`cityprofiles.fallback_marks`), when autoescaping.
    """
    lookup = translations.lookup
    nlookup = translations.nlookup
    page_lang = translations.lang

    # A string without variables gives the same result every time: most UI strings of a
    # page are such, so each is looked up and formatted once per build, not once per page.
    plain: dict[tuple[str, bool], str] = {}

    @jinja2.pass_eval_context
    def gettext(eval_ctx: Any, string: str, /, **variables: Any) -> str:
        if not variables:
            key = (string, eval_ctx.autoescape)
            found = plain.get(key)
            if found is None:
                found = plain[key] = _format(*lookup(string), eval_ctx.autoescape, {})
            return found
        return _format(*lookup(string), eval_ctx.autoescape, variables)

    @jinja2.pass_eval_context
    def ngettext(eval_ctx: Any, singular: str, plural: str, num: int, /, **variables: Any) -> str:
        variables.setdefault("num", num)
        return _format(*nlookup(singular, plural, num), eval_ctx.autoescape, variables)

    def _format(rv: str, lang: str, autoescape: bool, variables: Mapping[str, Any]) -> str:
        formatted = _format_message(rv, autoescape, variables)
        if lang != page_lang and autoescape:
            return mark_markup(formatted, lang)
        return formatted

    env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)


def _format_message(rv: str, autoescape: bool, variables: Mapping[str, Any]) -> str:
    """A catalogue string with its variables, as jinja2.ext formats it: ``Markup`` when
    autoescaping (so the variables are escaped, the string itself is trusted), and ``%``
    formatting even without variables (``%%`` becomes ``%``)."""
    if autoescape:
        rv = Markup(rv)  # noqa: S704 - a catalogue string, as in jinja2.ext
    return rv % variables


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line in a traceback (Jinja rewrites frames to them)."""
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".html", ".xml", ".txt", ".j2")):
            found = (frame.filename, frame.lineno)
    return found


class LanguageTools:
    """Filters bound to one page language: translated fields, numbers, dates, names."""

    def __init__(self, site: Site, language: Language, translations: UiText) -> None:
        self.site = site
        self.language = language
        self.lang = language.code
        self.direction = language.direction
        self.locale = Locale.parse(language.locale)
        self.order = site.fallback_order(language.code)
        self.ui = translations
        self.gettext = translations.gettext
        self._numbers: dict[tuple[type, float], str] = {}
        self._countries: dict[str, str] = {}

    def _pick(self, value: Mapping[str, str] | None) -> Localized | None:
        if value is None:
            return None
        return pick(value, self.lang, self.order)

    def text(self, value: Mapping[str, str] | None) -> str:
        """Plain text in the page language (or the fallback), for attributes and titles."""
        if isinstance(value, dict) and self.lang in value:
            return str(value[self.lang])  # the common case, without a Localized (~100 a page)
        found = self._pick(value)
        if found is None:
            return ""
        # marked: in running text it gets its lang, in an attribute it stays plain text
        return mark_text(found.text, found.lang) if found.fallback else found.text

    def fallback_note(self, lang: str) -> Markup:
        """The visible note that a passage (in ``lang``) is not yet translated.

        The note is wholly in one language: the page's when its catalogue translates the
        note, otherwise the language the note falls back to (marked as such), with the
        passage's language named in that same language: never "in Englisch, not yet
        translated"."""
        message, note_lang = self.ui.lookup(FALLBACK_NOTE)
        configured = {language.code: language for language in self.site.languages}
        locale = configured[note_lang].locale if note_lang in configured else note_lang
        note = message % {"language": self.site.language(lang).name_in(locale)}
        return Markup('<span class="cp-fallback-note"{}>({})</span>').format(
            lang_attributes(note_lang, self.direction), note
        )

    def tr(self, value: Mapping[str, str] | None) -> Markup:
        """Inline text; a fallback is wrapped with its real ``lang`` and a visible note."""
        if isinstance(value, dict) and self.lang in value:
            return escape(value[self.lang])
        found = self._pick(value)
        if found is None:
            return Markup("")
        if not found.fallback:
            return escape(found.text)
        return Markup("<span{}>{}</span> {}").format(
            lang_attributes(found.lang, self.direction),
            found.text,
            self.fallback_note(found.lang),
        )

    def block(self, value: Localized | Mapping[str, str] | None, shift: int = 0) -> Markup:
        """Sanitised HTML prose (already cleaned by the markup stage), with fallback marking.

        ``shift`` moves the prose's headings down, so prose placed inside a section with its
        own ``h2`` nests under it (``##`` becomes ``h3``) instead of reading as a sibling.
        """
        found = value if isinstance(value, Localized) or value is None else self._pick(value)
        if found is None:
            return Markup("")
        text = shift_headings(found.text, shift) if shift else found.text
        html = Markup(text)  # noqa: S704 - produced by markup.MarkdownRenderer (nh3-cleaned)
        if not found.fallback:
            return html
        return Markup('<div{} class="cp-fallback"><p>{}</p>{}</div>').format(
            lang_attributes(found.lang, self.direction), self.fallback_note(found.lang), html
        )

    def headings(self, value: Mapping[str, str] | None) -> list[Markup]:
        """The headings of sanitised prose in the page language, as a foldaway part's teaser;
        from a fallback language, each marked with its ``lang`` and the last with the note."""
        found = self._pick(value)
        if found is None:
            return []
        # nh3-cleaned HTML (markup stage) with its tags removed: escaped text only
        texts = (_TAG.sub("", m[1]).strip() for m in _HEADING_TEXT.finditer(found.text))
        titles = [Markup(t) for t in texts]  # noqa: S704
        if found.fallback and titles:
            marked = [Markup('<span lang="{}">{}</span>').format(found.lang, t) for t in titles]
            marked[-1] = Markup("{} {}").format(marked[-1], self.fallback_note(found.lang))
            return marked
        return titles

    def number(self, value: float) -> str:
        """``350000`` -> ``350,000`` (en) or ``350.000`` (nl): remembered, as each city's
        figures appear on several pages and Babel takes ~15 µs a number."""
        key = (type(value), value)
        found = self._numbers.get(key)
        if found is None:
            found = self._numbers[key] = str(format_decimal(value, locale=self.locale))
        return found

    def date(self, value: dt.date, form: str = "long") -> str:
        """A date in the page locale: ``23 November 2026`` (en_GB), ``23 november 2026`` (nl)."""
        return str(format_date(value, format=form, locale=self.locale))

    def time(self, value: dt.date, form: str = "long") -> Markup:
        """The date as a ``<time>`` element, readable by people and by machines."""
        return Markup('<time datetime="{}">{}</time>').format(
            value.isoformat(), self.date(value, form)
        )

    def country(self, code: str) -> str:
        """An ISO country code as a name in the page language."""
        found = self._countries.get(code)
        if found is None:
            found = self._countries[code] = str(self.locale.territories.get(code, code))
        return found

    def language_name(self, code: str) -> str:
        return str(self.locale.languages.get(code, code))

    def phone(self, e164: str) -> str:
        return international_phone(e164)


@functools.lru_cache(maxsize=4096)
def international_phone(e164: str) -> str:
    """``+31302860000`` -> ``+31 30 286 0000``: the same in every language, so each number
    is formatted once per process (phonenumbers takes ~50 µs a number)."""
    import phonenumbers

    parsed = phonenumbers.parse(e164, None)
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b")
_HEADING_TEXT = re.compile(r"<h[1-6]\b[^>]*>(.*?)</h[1-6]>", re.S)
_TAG = re.compile(r"<[^>]+>")


def shift_headings(html: str, by: int) -> str:
    """Move every heading ``by`` levels down, no deeper than ``h6``.

    >>> shift_headings("<h2 id='a'>A</h2><h3>B</h3>", 1)
    "<h3 id='a'>A</h3><h4>B</h4>"
    """
    return _HEADING_TAG.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + by, 6)}", html)


@functools.lru_cache(maxsize=64)
def og_locale(locale: str) -> str:
    """A locale as Open Graph wants it, language and territory: ``nl`` -> ``nl_NL``.

    A locale without a territory gets its most likely one from CLDR (``en`` -> ``en_US``);
    set ``locale: en_GB`` in site.yaml to choose another. Cached: every page asks, and
    Babel reads its locale data from disk on each parse (10 % of a cold build's time).
    """
    from babel.core import get_global

    likely: Mapping[str, str] = get_global("likely_subtags")
    parsed = Locale.parse(likely.get(locale, locale) if "_" not in locale else locale)
    return f"{parsed.language}_{parsed.territory}" if parsed.territory else parsed.language


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
