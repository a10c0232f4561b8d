"""The preview's web application: the output folder, each page with the reload script
and, while the content is broken, the error box over the last good site.

Only the output folder is served, never a path outside it, and a request that arrives
while the folder is being swapped waits for the swap instead of failing. The reload
script is injected here, at request time, from the same origin (the site's
Content-Security-Policy allows ``script-src 'self'`` only), so the built files stay
free of script.
"""

from __future__ import annotations

import html
import mimetypes
import posixpath
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from cityprofiles.errors import Problem

LIVERELOAD_PATH = "/livereload.js"
OVERLAY_CSS_PATH = "/__cityprofiles__/overlay.css"
SWAP_WAIT_SECONDS = 2.0

StartResponse = Callable[[str, list[tuple[str, str]]], Any]

OVERLAY_CSS = """\
#cityprofiles-error{position:fixed;inset:0 0 auto 0;z-index:2147483647;max-height:85vh;
overflow:auto;margin:0;padding:1rem 1.5rem;background:#fff;color:#1b1b1b;
border-bottom:.4rem solid #b10e1e;box-shadow:0 .5rem 2rem rgba(0,0,0,.35);
font:1rem/1.5 system-ui,sans-serif}
#cityprofiles-error summary{font-weight:700;font-size:1.25rem;cursor:pointer;color:#b10e1e}
#cityprofiles-error pre{white-space:pre-wrap;background:#f3f2f1;padding:.75rem;
border-left:.25rem solid #b10e1e;font:.95rem/1.4 ui-monospace,monospace}
#cityprofiles-error p{max-width:60rem}
"""


@dataclass
class PreviewState:
    """What the request handler needs to know about the latest build (shared across threads)."""

    problems: tuple[Problem, ...] = ()
    message: str = ""
    builds: int = 0
    failures: int = 0

    @property
    def broken(self) -> bool:
        return bool(self.problems or self.message)


def overlay_html(state: PreviewState) -> str:
    """The error box shown over the last good page while the content is broken."""
    if state.problems:
        count = len([p for p in state.problems if p.severity == "error"])
        title = f"{count} problem{'s' if count != 1 else ''} in the content"
        items = "".join(f"<pre>{html.escape(p.format())}</pre>" for p in state.problems)
    else:
        title = "The site could not be rebuilt"
        items = f"<pre>{html.escape(state.message)}</pre>"
    return (
        '<div id="cityprofiles-error" role="alert" lang="en"><details open>'
        f"<summary>{html.escape(title)}</summary>"
        "<p>The preview shows the last version that built. Fix the file and save: "
        "this page reloads by itself. (Close this box to look at the page.)</p>"
        f"{items}</details></div>"
    )


def error_page(state: PreviewState) -> bytes:
    """A page of its own for when there is no good site to show yet."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Content error – cityprofiles preview</title>"
        f'<link rel="stylesheet" href="{OVERLAY_CSS_PATH}"></head><body>'
        f"{overlay_html(state)}</body></html>"
    ).encode()


class PreviewApp:
    """WSGI application serving the output folder, with the reload script and error overlay."""

    def __init__(
        self,
        out: Path,
        state: Callable[[], PreviewState],
        port: int,
        prefix: Callable[[], str] = lambda: "/",
        admin: Callable[[str, str], tuple[str, list[tuple[str, str]], bytes] | None] | None = None,
    ) -> None:
        self.out = out
        self.state = state
        self.prefix = prefix
        self.admin = admin  # the editor's /admin/ (server.editor.http), answered before the site
        self.script = f'<script src="{LIVERELOAD_PATH}?port={port}"></script>'.encode()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        status, headers, body = self.respond(
            environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
        )
        headers.append(("Content-Length", str(len(body))))
        headers.append(("Cache-Control", "no-store"))
        start_response(status, headers)
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    def respond(self, method: str, raw_path: str) -> tuple[str, list[tuple[str, str]], bytes]:
        """Status, headers and body for one request."""
        if method not in ("GET", "HEAD"):
            return "405 Method Not Allowed", [("Allow", "GET, HEAD")], b"Method not allowed\n"
        if raw_path == OVERLAY_CSS_PATH:
            return "200 OK", [("Content-Type", "text/css; charset=utf-8")], OVERLAY_CSS.encode()
        if self.admin is not None:
            answer = self.admin(raw_path, self.prefix())
            if answer is not None:
                return answer
        state = self.state()
        if not self._ready():
            if state.broken:
                return "500 Internal Server Error", _html_type(), self._decorate(error_page(state))
            return "503 Service Unavailable", [("Retry-After", "1")], b"The site is building\n"
        prefix = self.prefix()
        if prefix != "/":
            if raw_path in ("/", prefix.rstrip("/")):
                return "302 Found", [("Location", prefix)], b""
            if not raw_path.startswith(prefix):
                return self._not_found(raw_path)
            raw_path = "/" + raw_path[len(prefix) :]
        rel = clean_path(raw_path)
        if rel is None:
            return self._not_found(raw_path)
        found = self._lookup(rel, raw_path)
        if found is None and self._ready():  # the folder may have been swapped meanwhile
            found = self._lookup(rel, raw_path)
        if found is None:
            return self._not_found(raw_path)
        if isinstance(found, str):
            location = prefix.rstrip("/") + raw_path + "/"
            return "301 Moved Permanently", [("Location", location)], b""
        target, body = found
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            return "200 OK", _html_type(), self._decorate(body)
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        return "200 OK", [("Content-Type", kind)], body

    def _lookup(self, rel: str, raw_path: str) -> tuple[Path, bytes] | str | None:
        """The file for a request and its bytes; ``"redirect"`` for a folder without slash."""
        target = self._file(rel)
        if target is not None and target.is_dir():
            if not raw_path.endswith("/"):
                return "redirect"
            target = self._file(posixpath.join(rel, "index.html") if rel else "index.html")
        if target is None or not target.is_file():
            return None
        body = _read(target)
        return None if body is None else (target, body)

    def _ready(self) -> bool:
        """Wait out the instant in which the write stage swaps the old folder for the new one."""
        deadline = time.monotonic() + SWAP_WAIT_SECONDS
        while not self.out.is_dir():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True

    def _file(self, rel: str) -> Path | None:
        """The file for ``rel`` inside the output folder; ``None`` if it would leave it."""
        base = self.out.resolve()
        target = (base / rel).resolve() if rel else base
        if target != base and base not in target.parents:
            return None
        return target

    def _not_found(self, raw_path: str) -> tuple[str, list[tuple[str, str]], bytes]:
        """The 404 page of the language the address is in (``/nl/…``), else the site's."""
        first = raw_path.lstrip("/").split("/", 1)[0]
        candidates = [f"{first}/404.html"] if clean_path(first) else []
        candidates.append("404.html")
        for rel in candidates:
            path = self._file(rel)
            body = _read(path) if path is not None else None
            if body is not None:
                return "404 Not Found", _html_type(), self._decorate(body)
        return "404 Not Found", [("Content-Type", "text/plain; charset=utf-8")], b"Not found\n"

    def _decorate(self, page: bytes) -> bytes:
        """Add the reload script (same origin, so the CSP allows it) and, if broken, the overlay."""
        page = page.replace(b"</head>", self.script + b"</head>", 1)
        state = self.state()
        if state.broken:
            link = f'<link rel="stylesheet" href="{OVERLAY_CSS_PATH}">'.encode()
            page = page.replace(b"</head>", link + b"</head>", 1)
            overlay = overlay_html(state).encode()
            if b"</body>" in page:
                page = page.replace(b"</body>", overlay + b"</body>", 1)
            else:
                page += overlay
        return page


def _html_type() -> list[tuple[str, str]]:
    return [("Content-Type", "text/html; charset=utf-8")]


def clean_path(raw_path: str) -> str | None:
    """A request path as a path inside the output folder, or ``None`` if it tries to leave it.

    >>> clean_path("/en/cities/"), clean_path("/../etc/passwd"), clean_path("/a/%2e%2e/%2e%2e/b")
    ('en/cities', None, None)
    """
    path = unquote(raw_path)
    if "\x00" in path or "\\" in path:
        return None
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None
    return "/".join(parts)


def _read(path: Path) -> bytes | None:
    """The bytes of a file; a file opened before a swap stays readable, so retry only if absent."""
    for _ in range(3):
        try:
            return path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            time.sleep(0.01)
        except OSError:
            return None
    return None
