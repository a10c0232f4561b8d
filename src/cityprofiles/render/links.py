"""Links from a page: relative, so the site works under any base path and from a folder.

Every link a template makes goes through :class:`PageLinks` (``url_to``, ``asset``,
``data_url``); the router knows where each page and file lives.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import jinja2

from cityprofiles.render.routes import (
    Route,
    Router,
    city_json_path,
    feed_path,
    folders,
    relative_link,
    vcard_path,
)

ASSETS = "assets/"
"""Where the static files go in the output."""


def page_link(router: Router, source: Route, target: str) -> str:
    """A link from ``source`` to an output path: relative, except on 404 pages, which a
    host serves at any address and therefore need links from the site root."""
    if source.kind in ("not_found", "root_not_found"):
        return urlsplit(router.site.config.base_url).path + target
    return router.relative(source, target)


class PageLinks:
    """Links from one page, each made once: a page often links the same page many times
    (the compare page names each network once per member city), and these helpers are the
    templates' most frequent calls. Plain callables in the page's context, so Jinja calls
    them without passing its context along."""

    __slots__ = ("_folders", "_lang", "_memo", "_route", "_router")

    def __init__(self, router: Router, route: Route, default: str) -> None:
        self._router = router
        self._route = route
        self._lang = route.lang or default
        self._memo: dict[tuple[str, object, str | None], str] = {}
        # None: a 404 page, whose links start at the site root (page_link)
        root_relative = route.kind in ("not_found", "root_not_found")
        self._folders = None if root_relative else folders(route.output)

    def link(self, target: str) -> str:
        """A link from this page to an output path (``en/cities/utrecht/``)."""
        if self._folders is not None and target and "/." not in "/" + target:
            return relative_link(self._folders, target)  # most links: no '.' or '..' in them
        return page_link(self._router, self._route, target)

    def url_to(self, kind: str, key: object = "", lang: str | None = None) -> str:
        """A link to the page ``(kind, key)`` in ``lang`` (default: this page's language)."""
        memo_key = (kind, key, lang)
        found = self._memo.get(memo_key)
        if found is None:
            router = self._router
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


def template_globals(router: Router, default: str) -> dict[str, Callable[..., str]]:
    """``url_to``, ``asset`` and ``data_url`` as globals, for templates rendered without a
    page's own context (a macro imported without ``with context`` still sees globals)."""

    @jinja2.pass_context
    def url_to(ctx: Any, kind: str, key: object = "", lang: str | None = None) -> str:
        return PageLinks(router, ctx["page"].route, default).url_to(kind, key, lang)

    @jinja2.pass_context
    def asset(ctx: Any, path: str) -> str:
        return PageLinks(router, ctx["page"].route, default).asset(path)

    @jinja2.pass_context
    def data_url(ctx: Any, what: str, *keys: str) -> str:
        return PageLinks(router, ctx["page"].route, default).data_url(what, *keys)

    return {"url_to": url_to, "asset": asset, "data_url": data_url}
