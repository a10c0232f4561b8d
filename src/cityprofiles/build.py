"""The recipe: load -> validate -> render -> write. Only the last step touches the output.

MkDocs' rule, kept here: gather and validate *all* data before rendering any page.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cityprofiles.errors import ContentError, Problem, UsageError

if TYPE_CHECKING:
    from babel.support import Translations

    from cityprofiles.cache import BuildState
    from cityprofiles.render import Renderer
    from cityprofiles.site import Site
    from cityprofiles.validate import Validator

# The heavy modules (pydantic models, Jinja2, Babel, Markdown) are imported inside the
# functions: a build whose inputs did not change needs none of them (0.5 s of imports).


@dataclass
class BuildReport:
    """What a build did, for the closing summary."""

    pages: dict[str, int] = field(default_factory=dict)
    files: int = 0
    written: int = 0
    unchanged: int = 0
    rendered: int = 0
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    """Seconds per stage, in order (``build --timings``)."""
    search_parts: tuple[int, int] | None = None
    """Parts of the search index made again and all parts, when the index was looked at."""


class Stopwatch:
    """Times the stages of a build, for ``build --timings`` and the benchmark."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        """Record the time since the previous lap as ``stage`` (added up if repeated)."""
        now = time.perf_counter()
        self.stages[stage] = self.stages.get(stage, 0.0) + now - self._last
        self._last = now


def load_site(root: Path, *, base_url: str | None = None) -> tuple[Site, dict[str, Translations]]:
    """Load and validate everything (content, configuration, catalogues); raise on errors."""
    from cityprofiles.i18n import load_translations
    from cityprofiles.load import load_sources
    from cityprofiles.validate import Validator

    if not (root / "content").is_dir():
        raise UsageError(
            f"{root} has no content/ folder; run this in a cityprofiles site or pass --site DIR"
        )
    sources, problems = load_sources(root, max_bytes=_max_bytes(root))
    site = validate_site(Validator(sources, problems), base_url=base_url)
    translations = load_translations(site.language_codes, root / "locales", root)
    return site, translations


def validate_site(validator: Validator, *, base_url: str | None = None) -> Site:
    """Run ``validator`` and apply the ``--base-url`` override; raise on errors."""
    from cityprofiles.model import _check_url

    site = validator.run()
    if base_url is not None:
        try:
            _check_url(base_url)
        except ValueError:
            raise UsageError(f"--base-url {base_url!r} is not an http(s) address") from None
        url = base_url if base_url.endswith("/") else base_url + "/"
        site = _with_base_url(site, url)
    return site


def _with_base_url(site: Site, url: str) -> Site:
    from dataclasses import replace

    return replace(site, config=site.config.model_copy(update={"base_url": url}))


def _max_bytes(root: Path) -> int:
    """The per-file size limit from site.yaml, read leniently before full validation.

    Read with the same guarded parser as all content (a hostile site.yaml must not
    be able to stall the build here); any problem is reported later by validation.
    """
    from cityprofiles.load import DEFAULT_MAX_BYTES, load_yaml

    try:
        data = load_yaml(root / "content" / "site.yaml", root).data
    except ContentError:
        return DEFAULT_MAX_BYTES
    value = data.get("max_file_kb") if isinstance(data, dict) else None
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 65536:
        return value * 1024
    return DEFAULT_MAX_BYTES


def render_site(site: Site, translations: Mapping[str, Translations]) -> dict[str, bytes | Path]:
    """Every output file of the site, in memory (static assets as paths to copy)."""
    from cityprofiles.render import Renderer

    renderer = Renderer(site, translations)
    files: dict[str, bytes | Path] = {}
    problems: list[Problem] = []
    for route in renderer.routes():
        try:
            files[route.output] = renderer.render(route)
        except ContentError as exc:
            problems.extend(p for p in exc.problems if p not in problems)
    if problems:
        raise ContentError(problems)
    files.update(finish_site(renderer))
    return files


def finish_site(
    renderer: Renderer, *, with_sitemap: bool = True, with_open_data: bool = True
) -> dict[str, bytes | Path]:
    """The files besides the pages: static assets (paths to copy), SDG colours, sitemap,
    robots, the editor (``admin/``) and the open data.

    An incremental build leaves out the sitemap and the open data (``with_sitemap=False``,
    ``with_open_data=False``): it decides file by file which of them to make again."""
    from cityprofiles.cms.admin import build_files as editor_files
    from cityprofiles.render import sdg_stylesheet, static_files
    from cityprofiles.sitemap import robots, sitemap

    site = renderer.site
    files: dict[str, bytes | Path] = dict(static_files(site))
    files["assets/css/sdgs.css"] = sdg_stylesheet(site)
    if with_sitemap:
        files["sitemap.xml"] = sitemap(renderer.router)
    files["robots.txt"] = robots(site.config.base_url)
    files.update(editor_files(site))  # admin/, when site.yaml names a Git host to edit through
    if with_open_data:
        files.update(renderer.open_data)  # JSON, CSV, Atom and vCard: see opendata.py
    return files


def check(root: Path, *, strict: bool = False) -> list[Problem]:
    """Validate everything and render in memory; return warnings, raise on errors."""
    site, translations = load_site(root)
    render_site(site, translations)
    warnings = list(site.warnings)
    if strict and warnings:
        raise ContentError([_as_error(p) for p in warnings])
    return warnings


def build(
    root: Path,
    out: Path,
    *,
    strict: bool = False,
    base_url: str | None = None,
    jobs: int | None = None,
    cache: bool = True,
    search: bool = True,
) -> BuildReport:
    """Build the site under ``root`` into ``out``; leave ``out`` untouched on any failure.

    ``jobs`` processes render Markdown and pages (default: one per core). With ``cache``
    the build reuses what the previous build of ``out`` did for unchanged inputs (state in
    ``SITE/.cache/cityprofiles/``); the output is byte-for-byte the same either way.
    """
    if not (root / "content").is_dir():
        raise UsageError(
            f"{root} has no content/ folder; run this in a cityprofiles site or pass --site DIR"
        )
    from cityprofiles import cache as cache_module
    from cityprofiles.write import check_output_folder

    started = time.perf_counter()
    watch = Stopwatch()
    check_output_folder(out, root)
    state = cache_module.load_state(cache_module.state_path(root, out)) if cache else None
    watch.lap("read the build cache")
    scan = cache_module.scan_inputs_since(root, state)
    inputs = scan.hashes
    watch.lap("hash the inputs")
    if state is not None:
        report = _unchanged(state, inputs, out, base_url, strict, search)
        if report is not None:
            watch.lap("compare with the last build")
            report.seconds = time.perf_counter() - started
            report.stages = watch.stages
            return report
    from cityprofiles.incremental import Session

    session = Session(
        root, out, base_url=base_url, jobs=jobs, persist=cache, state=state, search=search
    )
    watch.lap("start")
    report = session.rebuild(strict=strict, scanned=scan)
    report.seconds = time.perf_counter() - started
    report.stages = {**watch.stages, **report.stages}
    return report


def _unchanged(
    state: BuildState,
    inputs: dict[str, str],
    out: Path,
    base_url: str | None,
    strict: bool,
    search: bool,
) -> BuildReport | None:
    """The report of the last build when nothing changed since, using only light modules."""
    from cityprofiles import cache

    key = cache.global_key(inputs, base_url)
    if not cache.up_to_date(state, key, inputs, out.absolute(), search):
        return None
    if strict and state.warnings:
        raise ContentError([_as_error(p) for p in state.warnings])
    return BuildReport(
        pages=dict(state.pages),
        files=len(state.outputs),
        unchanged=len(state.outputs),
        warnings=list(state.warnings),
    )


def _as_error(problem: Problem) -> Problem:
    from dataclasses import replace

    return replace(problem, severity="error")
