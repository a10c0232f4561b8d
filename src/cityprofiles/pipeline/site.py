"""Content and validation as the pipeline runs them: the validated site, reusing what the
last run validated.

* When only cities changed (the same shared files; up to
  :data:`REUSE_WITH_OTHER_CITIES` cities added), the unchanged cities come from the
  build state and only the changed ones are read and validated; the cross-references of
  the whole site are checked again. An error is reported as found when its file was read
  in this run (or it is a reused city's own, kept with its position); one found between
  files on a city that was not read (a partner removed, a URL name taken) has no
  position, so then the site is validated from scratch, and error messages always carry
  the same file positions as in a cold build.
* Otherwise every city is read and validated in worker processes (a cold build's largest
  stage), then the rest of the site; with any error, the site is validated again in one
  process, which reports every problem in full.

Markdown is converted in parallel beforehand and remembered per text, so the live
preview converts only what changed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
from collections.abc import Iterator, Mapping, Set
from pathlib import Path

from babel.support import Translations

from cityprofiles.cache import BuildState, CacheFormatError, city_of, decode_city
from cityprofiles.content import (
    CitySource,
    MarkdownRenderer,
    MarkupIssue,
    Sources,
    SourceText,
    YamlDocument,
    load_city,
    load_sources,
    require_site,
    site_max_bytes,
)
from cityprofiles.errors import ContentError, Problem, UsageError
from cityprofiles.model import City, Site
from cityprofiles.pipeline.parallel import parallel_map
from cityprofiles.pipeline.progress import Progress, Silent
from cityprofiles.validate import Validator

CityEntry = tuple[str, "bytes | City", tuple[Problem, ...]]
"""A city as the build state keeps it (:class:`~cityprofiles.cache.BuildState`)."""
Reused = tuple[City, tuple[Problem, ...], "bytes | City"]
Converted = dict[str, tuple[MarkupIssue | None, str | None]]
"""Markdown text -> its problem, or its HTML."""


def load_site(
    root: Path, *, base_url: str | None = None, today: dt.date | None = None
) -> tuple[Site, dict[str, Translations]]:
    """Load and validate everything (content, configuration, catalogues) at once, in this
    process; raise on errors. The pipeline does the same in parts (:class:`SiteLoader`)."""
    from cityprofiles.i18n import load_translations

    require_site(root)
    sources, problems = load_sources(root, max_bytes=site_max_bytes(root))
    site = validate_site(Validator(sources, problems, today=today), base_url=base_url)
    return site, load_translations(site.language_codes, root / "locales", root)


def validate_site(validator: Validator, *, base_url: str | None = None) -> Site:
    """Run ``validator`` and apply the ``--base-url`` override; raise on errors."""
    from cityprofiles.model import check_url

    site = validator.run()
    if base_url is None:
        return site
    try:
        check_url(base_url)
    except ValueError:
        raise UsageError(f"--base-url {base_url!r} is not an http(s) address") from None
    url = base_url if base_url.endswith("/") else base_url + "/"
    return dataclasses.replace(site, config=site.config.model_copy(update={"base_url": url}))


class SiteLoader:
    """Loads and validates one site, run after run, reusing what did not change."""

    def __init__(self, root: Path, *, base_url: str | None, jobs: int) -> None:
        self.root = root
        self.base_url = base_url
        self.jobs = jobs
        self._cities: dict[str, tuple[str, City]] = {}
        """Each city as this loader last validated it, with the hash of its files."""
        self._prose: Converted = {}
        self._translations: tuple[str, dict[str, Translations]] | None = None
        self.today: dt.date | None = None

    def site(
        self,
        state: BuildState | None,
        key: str,
        hashes: Mapping[str, tuple[str, str]],
        progress: Progress | None = None,
        today: dt.date | None = None,
    ) -> tuple[Site, dict[str, CityEntry]]:
        """The validated site and each city as the next build state keeps it (``today``:
        the day the date rules check against; the state's cities were checked on the day
        in ``key``)."""
        self.today = today
        changed = _changed_cities(state, key, hashes)
        if state is not None and changed is not None:
            try:
                reused = self._reuse(state, hashes, changed)
                return self._load(hashes, reused, changed)
            except CacheFormatError:
                pass  # a city the cache cannot give back: validate everything
            except ContentError as exc:
                if _positioned(exc.problems, reused):
                    raise  # every problem is where a full validation puts it
                # else validate from scratch, for positions in every file
        else:
            parallel = self._cities_in_parallel(hashes, progress or Silent())
            if parallel is not None:
                with contextlib.suppress(ContentError):
                    return self._load(hashes, parallel, set())
        return self._load(hashes, {}, None)

    def translations(self, key: str, site: Site) -> dict[str, Translations]:
        """The UI catalogues, compiled once per global key."""
        if self._translations is None or self._translations[0] != key:
            from cityprofiles.i18n import load_translations

            catalogues = load_translations(site.language_codes, self.root / "locales", self.root)
            self._translations = (key, catalogues)
        return self._translations[1]

    def _reuse(
        self, state: BuildState, hashes: Mapping[str, tuple[str, str]], changed: Set[str]
    ) -> dict[str, Reused]:
        """The unchanged cities of the last build, decoded from the state (once per loader
        and version of the city: a run that failed after validating may have left another)."""
        reused: dict[str, Reused] = {}
        with _no_gc():
            for cid, (hashed, stored, problems) in state.cities.items():
                if cid in hashes and cid not in changed:
                    known = self._cities.get(cid)
                    city = known[1] if known is not None and known[0] == hashed else None
                    if city is None:
                        city = stored if isinstance(stored, City) else decode_city(stored)
                        self._cities[cid] = (hashed, city)
                    reused[cid] = (city, problems, stored)
        return reused

    def _cities_in_parallel(
        self, hashes: Mapping[str, tuple[str, str]], progress: Progress
    ) -> dict[str, Reused] | None:
        """Load and validate every city in worker processes; ``None`` when any city has an
        error, which the serial path then reports in full.

        With one job this still pays off: each city's parsed YAML and source positions are
        dropped as soon as it is validated (peak RSS at 1 000 cities 167 MB instead of
        251 MB, at 10 000 0.85 GB instead of 2.1 GB), and the collector has less to walk."""
        max_bytes = site_max_bytes(self.root)
        sources, problems = load_sources(self.root, max_bytes=max_bytes, only_cities=())
        validator = Validator(sources, problems, today=self.today)
        validator.site_config()  # the site's languages, which validating a city needs
        resolved_root = self.root.resolve()

        def work(cid: str) -> tuple[City, tuple[Problem, ...]] | None:
            src, load_problems = load_city(
                self.root, cid, max_bytes=max_bytes, resolved_root=resolved_root
            )
            before = len(validator.problems)
            city = validator.city(src) if not load_problems else None
            return None if city is None else (city, tuple(validator.problems[before:]))

        ids = sorted(hashes)
        progress.stage("Loading and validating the cities", len(ids))
        results = parallel_map(work, ids, self.jobs, progress.advance)
        gc.freeze()  # thousands of objects that live as long as the run: not for the collector
        if any(r is None for r in results):
            return None
        return {
            cid: (city, city_problems, city)
            for cid, (city, city_problems) in zip(ids, filter(None, results), strict=True)
        }

    def _load(
        self,
        hashes: Mapping[str, tuple[str, str]],
        reused: Mapping[str, Reused],
        only: set[str] | None,
    ) -> tuple[Site, dict[str, CityEntry]]:
        sources, problems = load_sources(
            self.root, max_bytes=site_max_bytes(self.root), only_cities=only
        )
        if only is not None:
            # Cross-references are checked again for every city; positions are only needed
            # for errors, and an error sends us back to a full validation.
            sources.cities = _with_placeholders(sources.cities, sorted(hashes))
        # The site's own pages (about, home) are converted again only when they changed.
        self._prose = prerender_markdown(sources, self.jobs, self._prose)
        memo_in = {cid: (city, problems) for cid, (city, problems, _) in reused.items()}
        validator = _MemoValidator(sources, problems, PrerenderedMarkdown(self._prose), memo_in)
        validator.today = self.today or validator.today
        site = validate_site(validator, base_url=self.base_url)
        entries: dict[str, CityEntry] = {}
        for city in site.cities:
            self._cities[city.id] = (hashes[city.id][1], city)
            if city.id in reused:
                _, city_problems, stored = reused[city.id]
                entries[city.id] = (hashes[city.id][1], stored, city_problems)
            else:
                problems_of = validator.city_problems.get(city.id, ())
                entries[city.id] = (hashes[city.id][1], city, problems_of)
        return site, entries


def _cached_ids(state: BuildState) -> set[str] | None:
    """The cities the state holds; ``None`` when it cannot give them back."""
    try:
        return set(state.cities)
    except CacheFormatError:
        return None


REUSE_WITH_OTHER_CITIES = 64
"""Cities added (or renamed) since the state, up to which its other cities are still
reused: a city made in the editor, or a folder renamed, does not validate the whole
site again; a site that changed more is validated in parallel from its files."""


def _changed_cities(
    state: BuildState | None, key: str, hashes: Mapping[str, tuple[str, str]]
) -> set[str] | None:
    """The cities to read and validate again (the state's others are reused); ``None``:
    the state is of no use (another global key, or unreadable)."""
    ids = _cached_ids(state) if state is not None and state.key == key else None
    if state is None or ids is None:
        return None
    changed = {cid for cid in hashes if cid not in ids or state.cities[cid][0] != hashes[cid][1]}
    if ids != set(hashes) and len(changed - ids) > REUSE_WITH_OTHER_CITIES:
        return None
    return changed


def _positioned(problems: list[Problem], reused: Mapping[str, Reused]) -> bool:
    """Whether every problem of a run that reused ``reused`` has the position a full
    validation gives it: it is about a file read in this run, or it is a reused city's
    own (kept from when it was read). A problem found between files on a reused city,
    whose file was not read (a partner removed, a URL name taken), has none."""
    kept = {p for _, city_problems, _ in reused.values() for p in city_problems}
    for problem in problems:
        cid = city_of(problem.file) or city_of(problem.file + "/")
        if cid in reused and problem not in kept:
            return False
    return True


def _with_placeholders(loaded: list[CitySource], ids: list[str]) -> list[CitySource]:
    """The cities read, and an empty source for every other (reused) city."""
    by_id = {src.id: src for src in loaded}
    return [
        by_id.get(cid)
        or CitySource(
            cid,
            f"content/cities/{cid}",
            YamlDocument(SourceText(f"content/cities/{cid}/city.yaml", ""), None),
        )
        for cid in ids
    ]


class PrerenderedMarkdown(MarkdownRenderer):
    """A :class:`MarkdownRenderer` whose checks and HTML were computed beforehand (in parallel).

    Texts it has not seen are handled as usual, so the validator's logic is unchanged.
    """

    def __init__(self, done: Mapping[str, tuple[MarkupIssue | None, str | None]]) -> None:
        super().__init__()
        self.done = done

    def check(self, text: str) -> MarkupIssue | None:
        found = self.done.get(text)
        return found[0] if found is not None else super().check(text)

    def render(self, text: str) -> str:
        found = self.done.get(text)
        if found is not None and found[1] is not None:
            return found[1]
        return super().render(text)


def prerender_markdown(sources: Sources, jobs: int, known: Converted | None = None) -> Converted:
    """Check and convert every prose file, spread over ``jobs`` processes; texts in
    ``known`` (the previous run's results) are taken from there.

    A text that fails the nesting check is never converted (that is what the check guards).
    """
    known = known or {}
    texts = sorted(
        {s.text for s in sources.pages.values()}
        | {s.text for city in sources.cities for s in city.prose.values()}
    )
    todo = [text for text in texts if text not in known]
    md = MarkdownRenderer()

    def work(text: str) -> tuple[MarkupIssue | None, str | None]:
        issue = md.check(text)
        return issue, (None if issue is not None else md.render(text))

    done = dict(zip(todo, parallel_map(work, todo, jobs), strict=True))
    return {text: done[text] if text in done else known[text] for text in texts}


class _MemoValidator(Validator):
    """The validator, reusing cities validated before and noting each city's own problems."""

    def __init__(
        self,
        sources: Sources,
        problems: list[Problem],
        markdown: MarkdownRenderer,
        memo: Mapping[str, tuple[City, tuple[Problem, ...]]],
    ) -> None:
        super().__init__(sources, problems)
        self.markdown = markdown
        self.memo = memo
        self.city_problems: dict[str, tuple[Problem, ...]] = {}

    def city(self, src: CitySource) -> City | None:
        hit = self.memo.get(src.id)
        if hit is not None:
            self.problems.extend(hit[1])
            self.city_problems[src.id] = hit[1]
            return hit[0]
        before = len(self.problems)
        city = super().city(src)
        self.city_problems[src.id] = tuple(self.problems[before:])
        return city


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Making thousands of small objects at once triggers needless cyclic collections, and
    every later collection would walk them again: collect nothing meanwhile, then move what
    was made out of the collector's sight (``gc.freeze``). The models hold no reference
    cycles, so reference counting still frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
