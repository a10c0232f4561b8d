"""``cityprofiles serve``: the preview's server, its reload channel and its lifetime.

tornado serves the WSGI application of :mod:`~cityprofiles.server.app` beside
livereload's socket; the watcher runs in a thread of its own and signals reach the
event loop through its wake-up pipe.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cityprofiles.errors import Problem
from cityprofiles.output import check_output_folder
from cityprofiles.server.app import LIVERELOAD_PATH, PreviewApp
from cityprofiles.server.editor.http import editor_routes
from cityprofiles.server.preview import Preview

if TYPE_CHECKING:
    from tornado.ioloop import IOLoop
    from tornado.web import Application


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
    from tornado.httpserver import HTTPServer
    from tornado.ioloop import IOLoop
    from tornado.netutil import bind_sockets

    root, out = options.root, options.out
    check_output_folder(out, root)
    preview = Preview(root, out, report=options.report, problems_report=options.problems_report)
    # A save's check starts from the preview's last good build (its cities and pages).
    builds = lambda: preview.pipeline.state  # noqa: E731
    editor, admin = editor_routes(root, options.host, options.port, options.report, builds)
    application, reload = _application(preview, out, options.port, (editor, admin))
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
    preview.on_rebuilt = lambda: loop.add_callback(reload)
    host_in_url = f"[{options.host}]" if ":" in options.host else options.host
    address = f"http://{host_in_url}:{options.port}{preview.prefix}"
    if options.host not in ("127.0.0.1", "localhost", "::1"):
        options.report(f"Note: listening on {options.host}, so others on the network can see it.")
    options.report(f"Serving {out} on {address} (Ctrl-C to stop); watching for changes.")
    if admin is not None:
        options.report(f"Edit in the browser: {address}admin/")
    _run(loop, preview)
    options.report("Stopped.")
    return 0


def _application(
    preview: Preview, out: Path, port: int, editing: tuple[list[Any], Any]
) -> tuple[Application, Callable[[], None]]:
    """The tornado application (livereload's socket and script, the editor's routes, the
    preview for the rest) and the function that tells every open page to reload."""
    from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
    from livereload.watcher import Watcher
    from tornado import web
    from tornado.wsgi import WSGIContainer

    logging.getLogger("tornado.access").setLevel(logging.ERROR)  # a 404 is not news in a preview
    LiveReloadHandler.watcher = Watcher()  # livereload only uses it for its log line
    LiveReloadHandler.live_css = False
    editor, admin = editing
    app = PreviewApp(out, lambda: preview.state, port, lambda: preview.prefix, admin)
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
    return application, lambda: LiveReloadHandler.reload_waiters("*")


def _run(loop: IOLoop, preview: Preview) -> None:
    """Watch in a thread and serve until Ctrl-C or SIGTERM; let a build in progress finish."""
    watcher = threading.Thread(target=preview.watch, name="cityprofiles-watch", daemon=True)
    watcher.start()
    # Through the event loop's wake-up pipe: a signal that lands on the watcher thread
    # would otherwise go unnoticed while the loop sleeps in select().
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.asyncio_loop.add_signal_handler(signum, loop.stop)  # type: ignore[attr-defined]
    try:
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop.set()
        watcher.join(timeout=30)  # let a build in progress finish its atomic swap
