"""The editor in ``cityprofiles serve``: ``/admin/`` and ``POST /api/v1`` on the preview's origin.

Only on a loopback address: the back end writes files, so it answers only requests
addressed to this server by a loopback name (``Host``), coming from its own pages
(``Origin``, when the browser sends one) and declared as JSON (``Content-Type``, which
no plain HTML form can send). A page on another site cannot make the browser save here.

``/admin/`` is served under the site's base path (``/admin/`` or ``/cities/admin/``),
without the reload script: a rebuild reloads the preview tabs, never the editor.
"""

from __future__ import annotations

import json
import mimetypes
import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tornado import web
from tornado.ioloop import IOLoop

from cityprofiles.cms import ADMIN, PROXY_PATH, EditorSite, csp, local_files, read_site
from cityprofiles.errors import ContentError
from cityprofiles.server.editor.backend import LocalBackend
from cityprofiles.server.editor.checking import Builds

Response = tuple[str, list[tuple[str, str]], bytes]
MAX_BODY = 32 * 1024 * 1024
LOOPBACK = ("127.0.0.1", "localhost", "::1")
TYPES = {
    ".yml": "text/yaml; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
}


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")


def allowed_hosts(port: int) -> frozenset[str]:
    """The ``Host`` headers of requests meant for this server."""
    return frozenset(f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]"))


class ApiHandler(web.RequestHandler):
    """``POST /api/v1``: Decap's proxy protocol, answered by :class:`LocalBackend`."""

    backend: LocalBackend
    hosts: frozenset[str]

    def initialize(self, backend: LocalBackend, hosts: frozenset[str]) -> None:
        self.backend = backend
        self.hosts = hosts

    def _answer(self, status: int, payload: Any) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.finish(json.dumps(payload, ensure_ascii=False))

    async def post(self) -> None:
        host = self.request.headers.get("Host", "")
        if host not in self.hosts:
            self._answer(403, {"error": f"requests for {host!r} are not served here"})
            return
        origin = self.request.headers.get("Origin")
        if origin is not None and origin != f"http://{host}":
            self._answer(403, {"error": "only this server's own pages may use its back end"})
            return
        kind = self.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            self._answer(415, {"error": "send JSON (Content-Type: application/json)"})
            return
        if len(self.request.body) > MAX_BODY:
            self._answer(413, {"error": "the request is too large"})
            return
        try:
            body = json.loads(self.request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            self._answer(400, {"error": "the request is not valid JSON"})
            return
        # A save is checked by `check` (a second or more): off the event loop, so the
        # preview and its reloads keep answering meanwhile.
        status, payload = await IOLoop.current().run_in_executor(None, self.backend.handle, body)
        self._answer(status, payload)


class AdminPages:
    """``/admin/`` of the preview: the generated configuration and the shipped files."""

    def __init__(self, root: Path, origin: str = "") -> None:
        self.root = root
        self.origin = origin  # http://127.0.0.1:8000, for the editor's link to the preview
        self._cache: tuple[bytes, str, dict[str, bytes | Path]] | None = None

    def files(self, prefix: str) -> dict[str, bytes | Path]:
        """The files, made again when site.yaml or the base path changed."""
        site_yaml = (self.root / "content" / "site.yaml").read_bytes()
        if self._cache is None or self._cache[:2] != (site_yaml, prefix):
            site: EditorSite = read_site(self.root)
            self._cache = (site_yaml, prefix, local_files(site, self.origin + prefix))
        return self._cache[2]

    def __call__(self, raw_path: str, prefix: str) -> Response | None:
        base = prefix + ADMIN.rstrip("/")
        if raw_path != base and not raw_path.startswith(base + "/"):
            return None
        if raw_path == base:
            return "301 Moved Permanently", [("Location", base + "/")], b""
        name = raw_path[len(base) + 1 :] or "index.html"
        if "/" in name or name.startswith(".") or posixpath.normpath(name) != name:
            return _plain("404 Not Found", "Not found\n")
        try:
            files = self.files(prefix)
        except (ContentError, OSError) as exc:
            text = "The editor needs a valid content/site.yaml; `cityprofiles check` says:\n\n"
            problems = getattr(exc, "problems", None)
            text += "\n".join(p.format() for p in problems) if problems else str(exc)
            return _plain("500 Internal Server Error", text + "\n")
        data = files.get(name)
        if data is None:
            return _plain("404 Not Found", "Not found\n")
        body = data if isinstance(data, bytes) else data.read_bytes()
        suffix = Path(name).suffix
        kind = TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
        headers = [
            ("Content-Type", kind),
            ("X-Robots-Tag", "noindex, nofollow"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
        ]
        if suffix == ".html":
            headers.append(("Content-Security-Policy", csp(header=True)))
        return "200 OK", headers, body


def _plain(status: str, text: str) -> Response:
    return status, [("Content-Type", "text/plain; charset=utf-8")], text.encode()


def editor_routes(
    root: Path,
    host: str,
    port: int,
    report: Callable[[str], None],
    builds: Builds | None = None,
) -> tuple[list[Any], AdminPages | None]:
    """The tornado routes and the ``/admin/`` pages, or nothing when not on loopback;
    ``builds``: the preview's last good build, which a save's check starts from."""
    if not is_loopback(host):
        report(
            "The editor (/admin/) is only served on 127.0.0.1: it writes files, so it is "
            "not offered to the network."
        )
        return [], None
    backend = LocalBackend(root, log=report, builds=builds)
    routes = [(PROXY_PATH, ApiHandler, {"backend": backend, "hosts": allowed_hosts(port)})]
    origin = f"http://{'[::1]' if host == '::1' else host}:{port}"
    return routes, AdminPages(root, origin)
