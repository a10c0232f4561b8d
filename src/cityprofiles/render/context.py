"""What each page's template receives: a :class:`PageView` (title, canonical URL, language
alternates, JSON-LD) and the typed objects of its kind (the city, the network, ...).

Everything a template shows is computed here or in :mod:`~cityprofiles.render.features`,
never in the template: templates hold presentation only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cityprofiles.i18n import Localized, UiText, pick
from cityprofiles.model import Language, Site
from cityprofiles.render.filters import LanguageTools
from cityprofiles.render.jsonld import city_graph
from cityprofiles.render.links import PageLinks
from cityprofiles.render.maps.site_maps import city_figure
from cityprofiles.render.routes import FEATURE_KINDS, Route, Router

if TYPE_CHECKING:
    from cityprofiles.render.features import FileSizes


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


Heading = tuple[str, str, dict[str, Any]]
"""A page's title, its description and the template variables of its kind."""


def template_name(kind: str) -> str:
    """The template of a page kind (``city`` -> ``city.html``)."""
    special = {"root": "root.html", "root_not_found": "root_404.html", "not_found": "404.html"}
    return special.get(kind, f"{kind}.html")


class PageContexts:
    """Makes the template context of any page of one site."""

    def __init__(
        self,
        site: Site,
        router: Router,
        translations: Mapping[str, UiText],
        tools: Mapping[str, LanguageTools],
        files: FileSizes,
        views: Mapping[str, Site] | None = None,
    ) -> None:
        self.site, self.router, self.files = site, router, files
        self.views = views or {}
        """Each language's site in the order its lists show (:mod:`.ordering`)."""
        self.translations, self.tools = translations, tools
        self.default = site.default_language
        self._network_urls_by_lang: dict[str, Mapping[str, str]] = {}

    def context(self, route: Route) -> tuple[str, dict[str, Any]]:
        """The template of ``route`` and what it receives."""
        lang = route.lang or self.default
        links = PageLinks(self.router, route, self.default)
        if route.kind == "city":
            title, description, extra, jsonld = self._city(route, lang)
        else:
            (title, description, extra), jsonld = self._heading(route, lang, links), None
        site, router = self.site, self.router
        if route.kind.startswith("root"):
            canonical = x_default = site.config.base_url + route.path.replace("index.html", "")
        else:
            canonical = router.absolute(route)
            x_default = router.absolute(router.get(route.kind, route.key, self.default))
        if route.kind == "home":
            x_default = site.config.base_url
        alternates = self._alternates(route, links)
        view = PageView(route, title, description, canonical, alternates, x_default, jsonld)
        helpers = {"url_to": links.url_to, "asset": links.asset, "data_url": links.data_url}
        return template_name(route.kind), {"page": view, **helpers, **extra}

    def _city(self, route: Route, lang: str) -> tuple[str, str, dict[str, Any], dict[str, Any]]:
        city = self.site.city(route.key)
        assert city is not None
        tools = self.tools[lang]
        graph = city_graph(
            city,
            lang,
            self.site.fallback_order(lang),
            self.router.absolute(route),
            self.site.networks,
            self._network_urls(lang),
        )
        gettext: Callable[[str], str] = self.translations[lang].gettext
        extra = {"city": city, "map": city_figure(self.site, city, lang, gettext)}
        return tools.text(city.name), tools.text(city.summary), extra, graph

    def _heading(self, route: Route, lang: str, links: PageLinks) -> Heading:
        """Title, description and variables of every kind of page but a city's."""
        site, tools = self.views.get(lang, self.site), self.tools[lang]
        gettext: Callable[[str], str] = self.translations[lang].gettext
        kind = route.kind
        if kind == "network":
            network = site.networks[route.key]
            extra = {"network": network, "members": site.members_by_network[route.key]}
            return tools.text(network.name), tools.text(network.description), extra
        if kind == "goal":
            sdg = site.sdg(int(route.key))
            names = {"number": sdg.number, "name": tools.text(sdg.name)}
            title = gettext("SDG %(number)s: %(name)s") % names
            about = gettext("How cities link their local work to SDG %(number)s, %(name)s.")
            return title, about % names, {"goal": sdg, "links": site.cities_by_goal[sdg.number]}
        if kind in FEATURE_KINDS:
            # imported here: it brings the map drawing, which a city page does not need
            from cityprofiles.render.features import feature_context

            return feature_context(route, site, self.router, gettext, links, self.files)
        return self._listing(kind, lang, gettext)

    def _listing(self, kind: str, lang: str, gettext: Callable[[str], str]) -> Heading:
        """The home, index, about, accessibility and 404 pages: a title and the tagline."""
        tools = self.tools[lang]
        titles = {
            "home": tools.text(self.site.config.title),
            "cities": gettext("Cities"),
            "networks": gettext("City networks"),
            "goals": gettext("Sustainable Development Goals"),
            "about": gettext("About this site"),
            "accessibility": gettext("Accessibility statement"),
            "not_found": gettext("Page not found"),
            "root": tools.text(self.site.config.title),
            "root_not_found": gettext("Page not found"),
        }
        extra: dict[str, Any] = {}
        if kind == "about":
            extra["content"] = self._page_html("about", lang)
        if kind == "home":
            extra["intro"] = self._page_html("home", lang)
        return titles[kind], tools.text(self.site.config.tagline), extra

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
        result = []
        for language in self.site.languages:
            if route.kind in ("root", "root_not_found"):
                # the root pages choose a language; from a missing page, go on to its home page
                target = self.router.get("home", "", language.code)
            else:
                target = self.router.get(route.kind, route.key, language.code)
            href = links.link(self.router.public_path(target))
            current = language.code == route.lang
            result.append(Alternate(language, href, self.router.absolute(target), current))
        return tuple(result)
