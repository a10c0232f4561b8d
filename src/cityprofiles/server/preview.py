"""Live preview: build, serve the output folder, rebuild on every saved change, reload the browser.

The loop an editor lives in, so it must never die and never lie:

* the site is rebuilt in a background thread after the watched files have been
  quiet for a moment (fifty saves in a row give one build of the final state); the
  operating system reports the changes (:mod:`~cityprofiles.server.watch`);
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

import threading
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from cityprofiles.errors import CityProfilesError, ContentError, Problem, counted
from cityprofiles.i18n import package_locales
from cityprofiles.pipeline import Pipeline
from cityprofiles.render import package_theme
from cityprofiles.server.app import PreviewState, clean_path
from cityprofiles.server.watch import changes


def site_prefix(root: Path) -> str:
    """The path of the configured base URL (``/`` or e.g. ``/cities/``), read leniently:
    a broken ``site.yaml`` is the build's to report.

    >>> site_prefix(Path("/nonexistent"))
    '/'
    """
    from urllib.parse import urlsplit

    from cityprofiles.content import load_yaml

    try:
        data = load_yaml(root / "content" / "site.yaml", root).data  # guarded parser
        path = urlsplit(str(data["base_url"])).path
    except Exception:  # any problem here means: serve at the root
        return "/"
    clean = clean_path(path)
    return f"/{clean}/" if clean else "/"


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
        # It builds exactly what `cityprofiles build` builds (the same base URL), so the
        # output folder can be published as it is; the server maps the base URL's path.
        # One process: forking beside the server's threads is unsafe, and an edit touches
        # few pages anyway. The search index is made by the first build and then kept
        # (`cityprofiles build` remakes it), so an edit is not held up by Pagefind.
        self.pipeline = Pipeline(root, out, jobs=1, reindex_edits=False)

    def build_once(self, changed: Sequence[str]) -> None:
        """Build, record the outcome for the browser, print it for the terminal. Never raises."""
        started = time.perf_counter()
        try:
            self.prefix = site_prefix(self.root)
            paths = [self.root / rel for rel in changed] if changed else None
            result = self.pipeline.run(paths)
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
                    f"{counted(len(warnings), 'warning')}, as before "
                    "(`cityprofiles check` lists them)."
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
        """Wait for changes; after each burst of them, rebuild once and reload."""
        for changed in changes(self.root, self.folders, self.stop):
            self.build_once(changed)
            self.on_rebuilt()
