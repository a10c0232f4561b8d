"""Live preview: build, serve the output folder, rebuild on every saved change, reload the browser.

The loop an editor lives in, so it must never die and never lie:

* the site is rebuilt in a background thread after the watched files have been
  quiet for a moment (fifty saves in a row give one build of the final state);
* a build that fails leaves the last good site in place (the write stage swaps
  folders atomically) and the problems are shown *over* that site in the
  browser, with file, line and message, until a later save fixes them;
* the browser reloads through ``livereload``; its script is injected here, at
  request time, from the same origin (the site's Content-Security-Policy allows
  ``script-src 'self'`` only), so the built files themselves stay free of script;
* only the output folder is served, never a path outside it, and a request that
  arrives while the folder is being swapped waits for the swap instead of failing.
"""

from __future__ import annotations

import html
import logging
import mimetypes
import os
import posixpath
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from cityprofiles.build import BuildReport
from cityprofiles.errors import CityProfilesError, ContentError, Problem
from cityprofiles.i18n import package_locales
from cityprofiles.render import package_theme

if TYPE_CHECKING:
    from cityprofiles.incremental import Session

LIVERELOAD_PATH = "/livereload.js"
OVERLAY_CSS_PATH = "/__cityprofiles__/overlay.css"
POLL_SECONDS = 0.1
QUIET_SECONDS = 0.2
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


# -- the rebuild ------------------------------------------------------------


def rebuild(root: Path, out: Path, changed: Sequence[str]) -> BuildReport:
    """The one place the preview builds the site.

    It builds exactly what ``cityprofiles build`` builds (same base URL), so the
    output folder can be published as it is; the server maps the base URL's path.
    ``changed`` (paths relative to the site, empty for the first build) is what an
    incremental build needs to re-render only the pages that depend on them; the
    full build ignores it.
    """
    from cityprofiles.incremental import Session

    key = (root.absolute(), out.absolute())
    session = _SESSIONS.get(key)
    if session is None:
        # One process: forking beside the server's threads is unsafe, and an edit touches
        # few pages anyway. The search index is made by the first build and then kept
        # (`cityprofiles build` remakes it), so an edit is not held up by Pagefind.
        session = _SESSIONS[key] = Session(root, out, jobs=1, reindex_edits=False)
    paths = [root / rel for rel in changed] if changed else None
    return session.rebuild(paths)


_SESSIONS: dict[tuple[Path, Path], Session] = {}


def site_prefix(root: Path) -> str:
    """The path of the configured base URL (``/`` or e.g. ``/cities/``), read leniently:
    a broken ``site.yaml`` is the build's to report.

    >>> site_prefix(Path("/nonexistent"))
    '/'
    """
    from urllib.parse import urlsplit

    from cityprofiles.load import load_yaml

    try:
        data = load_yaml(root / "content" / "site.yaml", root).data  # guarded parser
        path = urlsplit(str(data["base_url"])).path
    except Exception:  # any problem here means: serve at the root
        return "/"
    clean = _clean(path)
    return f"/{clean}/" if clean else "/"


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


# -- watching ---------------------------------------------------------------

Snapshot = dict[str, tuple[int, int, int]]


def snapshot(folders: Iterable[Path], root: Path) -> Snapshot:
    """Size, modification time and inode of every watched file; unreadable entries are skipped."""
    result: Snapshot = {}
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder, onerror=lambda _e: None):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in filenames:
                if name.startswith(".") or name.endswith(("~", ".swp", ".swx")):
                    continue
                path = os.path.join(dirpath, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                result[_shown(Path(path), root)] = (st.st_mtime_ns, st.st_size, st.st_ino)
        if not folder.exists():
            result[_shown(folder, root) + "/"] = (0, 0, 0)
    return result


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    """Files added, removed or modified between two snapshots.

    >>> changed_files({"a": (1, 1, 1), "b": (1, 1, 1)}, {"a": (2, 1, 1), "c": (1, 1, 1)})
    ['a', 'b', 'c']
    """
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def watched_folders(root: Path) -> list[Path]:
    """Content, templates, static files and catalogues: the site's and the package theme's."""
    return [
        root / "content",
        root / "templates",
        root / "static",
        root / "locales",
        package_theme(),
        package_locales(),
    ]


class Preview:
    """Builds the site, watches its sources and rebuilds after each burst of changes."""

    def __init__(
        self,
        root: Path,
        out: Path,
        *,
        report: Callable[[str], None],
        problems_report: Callable[[Sequence[Problem]], None],
    ) -> None:
        self.root = root
        self.out = out
        self.prefix = site_prefix(root)
        self.state = PreviewState()
        self.report = report
        self.problems_report = problems_report
        self.on_rebuilt: Callable[[], None] = lambda: None
        self.stop = threading.Event()
        self.folders = watched_folders(root)
        self.warnings: tuple[Problem, ...] = ()

    def build_once(self, changed: Sequence[str]) -> None:
        """Build, record the outcome for the browser, print it for the terminal. Never raises."""
        started = time.perf_counter()
        try:
            self.prefix = site_prefix(self.root)
            result = rebuild(self.root, self.out, changed)
        except ContentError as exc:
            self._failed(tuple(exc.problems), "")
            self.problems_report(exc.problems)
        except CityProfilesError as exc:
            self._failed((), str(exc))
            self.report(f"cityprofiles: {exc}")
        except Exception as exc:  # a bug must not take the preview down; show it instead
            self._failed((), f"internal error: {type(exc).__name__}: {exc}")
            self.report(traceback.format_exc())
        else:
            self.state = PreviewState(builds=self.state.builds + 1, failures=self.state.failures)
            warnings = tuple(result.warnings)
            if warnings and warnings != self.warnings:
                self.problems_report(warnings)
            elif warnings:
                self.report(
                    f"{len(warnings)} warnings, as before (`cityprofiles check` lists them)."
                )
            self.warnings = warnings
            what = f" after a change to {', '.join(changed[:3])}" if changed else ""
            more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
            verb = "Rebuilt" if changed else "Built"
            self.report(
                f"{verb} in {time.perf_counter() - started:.2f} s{what}{more}: "
                f"{result.written} written, {result.unchanged} unchanged."
            )
            return
        self.report("The preview keeps showing the last good site; fix the problem and save.")

    def _failed(self, problems: tuple[Problem, ...], message: str) -> None:
        self.state = PreviewState(
            problems, message, builds=self.state.builds + 1, failures=self.state.failures + 1
        )

    def watch(self) -> None:
        """Poll the sources; after a burst of changes has been quiet, rebuild once and reload."""
        current = snapshot(self.folders, self.root)
        while not self.stop.wait(POLL_SECONDS):
            latest = snapshot(self.folders, self.root)
            if latest == current:
                continue
            quiet_since = time.monotonic()
            while time.monotonic() - quiet_since < QUIET_SECONDS:
                if self.stop.wait(POLL_SECONDS / 2):
                    return
                newer = snapshot(self.folders, self.root)
                if newer != latest:
                    latest, quiet_since = newer, time.monotonic()
            changed = changed_files(current, latest)
            current = latest
            self.build_once(changed)
            self.on_rebuilt()


# -- serving ----------------------------------------------------------------


def overlay_html(state: PreviewState) -> str:
    """The error box shown over the last good page while the content is broken."""
    if state.problems:
        count = len([p for p in state.problems if p.severity == "error"])
        title = f"{count} problem{'s' if count != 1 else ''} in the content"
        items = "".join(f"<pre>{html.escape(p.format(color=False))}</pre>" for p in state.problems)
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
        self.admin = admin  # the editor's /admin/ (cms.http), answered before the site
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
        rel = _clean(raw_path)
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
        candidates = [f"{first}/404.html"] if _clean(first) else []
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


def _clean(raw_path: str) -> str | None:
    """A request path as a path inside the output folder, or ``None`` if it tries to leave it.

    >>> _clean("/en/cities/"), _clean("/../etc/passwd"), _clean("/a/%2e%2e/%2e%2e/b")
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


# -- the server ---------------------------------------------------------------


@dataclass
class ServeOptions:
    """What ``cityprofiles serve`` was asked to do."""

    root: Path
    out: Path
    host: str = "127.0.0.1"
    port: int = 8000
    report: Callable[[str], None] = field(default=lambda text: print(text, flush=True))
    problems_report: Callable[[Sequence[Problem]], None] = field(default=lambda _p: None)


def serve(options: ServeOptions) -> int:
    """Build, then serve and rebuild until interrupted. Returns the exit code."""
    from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
    from livereload.watcher import Watcher
    from tornado import web
    from tornado.httpserver import HTTPServer
    from tornado.ioloop import IOLoop
    from tornado.netutil import bind_sockets
    from tornado.wsgi import WSGIContainer

    from cityprofiles.cms.http import editor_routes
    from cityprofiles.write import check_output_folder

    root, out = options.root, options.out
    check_output_folder(out, root)
    host_in_url = f"[{options.host}]" if ":" in options.host else options.host
    preview = Preview(root, out, report=options.report, problems_report=options.problems_report)

    logging.getLogger("tornado.access").setLevel(logging.ERROR)  # a 404 is not news in a preview
    LiveReloadHandler.watcher = Watcher()  # livereload only uses it for its log line
    LiveReloadHandler.live_css = False
    editor, admin = editor_routes(root, options.host, options.port, options.report)
    app = PreviewApp(out, lambda: preview.state, options.port, lambda: preview.prefix, admin)
    application = web.Application(
        [
            (r"/livereload", LiveReloadHandler),
            (LIVERELOAD_PATH, LiveReloadJSHandler),
            *editor,
            (r".*", web.FallbackHandler, {"fallback": WSGIContainer(app)}),
        ],
        debug=False,
        log_function=lambda _handler: None,
    )
    try:
        sockets = bind_sockets(options.port, address=options.host)
    except OSError as exc:
        options.report(
            f"cityprofiles: cannot listen on {options.host}:{options.port} ({exc.strerror}); "
            "choose another with --port"
        )
        return 2
    # Build before the sockets join the event loop: the build may run asyncio code of its
    # own (the search indexer), which replaces the thread's current event loop.
    preview.build_once(())  # requests wait in the listen queue until the loop starts
    HTTPServer(application).add_sockets(sockets)
    loop = IOLoop.current()
    preview.on_rebuilt = lambda: loop.add_callback(LiveReloadHandler.reload_waiters, "*")
    watcher = threading.Thread(target=preview.watch, name="cityprofiles-watch", daemon=True)
    watcher.start()

    # Through the event loop's wake-up pipe: a signal that lands on the watcher thread
    # would otherwise go unnoticed while the loop sleeps in select().
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.asyncio_loop.add_signal_handler(signum, loop.stop)  # type: ignore[attr-defined]
    address = f"http://{host_in_url}:{options.port}{preview.prefix}"
    if options.host not in ("127.0.0.1", "localhost", "::1"):
        options.report(f"Note: listening on {options.host}, so others on the network can see it.")
    options.report(f"Serving {out} on {address} (Ctrl-C to stop); watching for changes.")
    if admin is not None:
        options.report(f"Edit in the browser: {address}admin/")
    try:
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop.set()
        watcher.join(timeout=30)  # let a build in progress finish its atomic swap
    options.report("Stopped.")
    return 0
