"""A save is checked fast and still exactly as ``check`` checks it.

The editor's :class:`SaveChecker` starts from the preview's last build (its validated
cities and the pages that rendered) and from its own previous checks, so it reads,
validates and renders only what a save changes. Each case here compares what it finds
with a full, cold ``check`` of a copy of the site with the same change (the way the
editor used to check a save): the same problems, printed the same, and the same
refusals, for good and bad saves, one after the other on one checker, with the accepted
ones written and the preview rebuilt in between, as in ``cityprofiles serve``.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from benchmarks.corpus import generate

from cityprofiles.errors import ContentError, Problem
from cityprofiles.pipeline import Pipeline, check
from cityprofiles.render import Renderer, Route
from cityprofiles.server.editor.checking import SaveChecker
from cityprofiles.server.editor.save import write_all

Changes = Mapping[str, bytes | None]
BOOM = 4242
"""A population the site's own city template cannot show (a template error)."""


def full_problems(root: Path, scratch: Path, changes: Changes) -> list[Problem]:
    """A cold ``check`` of a copy of the site with ``changes``."""
    shutil.rmtree(scratch, ignore_errors=True)
    for folder in ("content", "templates", "static", "locales"):
        if (root / folder).is_dir():
            shutil.copytree(root / folder, scratch / folder)
    for rel, data in changes.items():
        target = scratch / rel
        target.unlink(missing_ok=True)
        if data is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    try:
        return check(scratch, jobs=1)
    except ContentError as exc:
        return list(exc.problems)


def full_refusals(root: Path, scratch: Path, changes: Changes) -> list[Problem]:
    """What the editor refused when every save ran ``check`` on the whole site (twice)."""
    errors = [p for p in full_problems(root, scratch, changes) if p.severity == "error"]
    ours = [
        p
        for p in errors
        if p.file in changes or any(rel.startswith(p.file.rstrip("/") + "/") for rel in changes)
    ]
    elsewhere = [p for p in errors if p not in ours]
    if elsewhere:
        try:
            before_problems = check(root, jobs=1)
        except ContentError as exc:
            before_problems = list(exc.problems)
        before = {(p.file, p.path, p.message) for p in before_problems if p.severity == "error"}
        ours += [p for p in elsewhere if (p.file, p.path, p.message) not in before]
    return sorted(ours)


def printed(problems: list[Problem]) -> list[str]:
    return [p.format() for p in sorted(problems)]


class Editor:
    """A site as ``serve`` runs it: the preview's pipeline and the editor's checker."""

    def __init__(self, root: Path, tmp: Path) -> None:
        self.root, self.tmp = root, tmp
        self.preview = Pipeline(root, tmp / "out", jobs=1, search=False, reindex_edits=False)
        self.preview.run()
        self.checker = SaveChecker(root, lambda: self.preview.state)

    def text(self, rel: str) -> str:
        return (self.root / rel).read_text("utf-8")

    def compare(self, changes: Changes) -> list[Problem]:
        """The checker's problems and refusals equal the full check's; the refusals."""
        reference = full_problems(self.root, self.tmp / "reference", changes)
        assert printed(self.checker.problems_after(changes)) == printed(reference)
        refused = self.checker.refusals(changes)
        assert printed(refused) == printed(full_refusals(self.root, self.tmp / "ref", changes))
        return refused

    def save(self, changes: Mapping[str, bytes]) -> None:
        """An accepted save: written, and the preview rebuilt (as its watcher would)."""
        write_all(self.root, changes)
        # With errors, the preview shows the site's problems and keeps its last good state.
        with contextlib.suppress(ContentError):
            self.preview.run([self.root / rel for rel in changes])


@pytest.fixture
def editor(tmp_path: Path) -> Editor:
    root = tmp_path / "site"
    generate(root, 12, seed=7)
    # The site's own city template, which fails for one population: a save can break a
    # page, and only rendering that page finds it.
    theme = Path(__file__).resolve().parent.parent / "src/cityprofiles/theme/templates"
    template = (theme / "city.html").read_text("utf-8")
    trap = (
        f"{{% block content %}}{{% if city.population and city.population.value == {BOOM} %}}"
        "{{ 1 // city.nationalities * 0 // 0 }}{% endif %}"
    )
    (root / "templates").mkdir()
    (root / "templates/city.html").write_text(template.replace("{% block content %}", trap, 1))
    return Editor(root, tmp_path)


def cities(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "content/cities").iterdir())


def edited(text: str, pattern: str, replacement: str | Callable[[re.Match[str]], str]) -> bytes:
    new = re.sub(pattern, replacement, text, count=1)
    assert new != text, pattern
    return new.encode("utf-8")


def population(value: str) -> Callable[[re.Match[str]], str]:
    return lambda match: f"{match.group(1)}{value}"


POPULATION = r"(population: \{value: )(\d+)"


def test_good_and_bad_saves_find_what_a_full_check_finds(editor: Editor) -> None:
    root = editor.root
    first, second = cities(root)[3], cities(root)[5]
    city = f"content/cities/{first}/city.yaml"
    text = editor.text(city)

    # A good save: nothing refused; written, and the next ones start from it.
    good = {city: edited(text, POPULATION, population("123456"))}
    assert editor.compare(good) == []
    editor.save(good)
    text = editor.text(city)

    many = editor.compare({city: edited(text, POPULATION, population("many"))})
    assert [p.path for p in many] == ["population.value"]
    sdg = editor.compare({city: edited(text, r"goal: \d+", "goal: 18")})
    assert len(sdg) == 1 and sdg[0].file == city
    network = editor.compare({city: edited(text, r"network: [\w-]+", "network: nowhere")})
    assert [p.path for p in network] == ["memberships[0].network"]

    # A page the save breaks (the site's template cannot show this population).
    broken_page = editor.compare({city: edited(text, POPULATION, population(str(BOOM)))})
    assert {p.file for p in broken_page} == {"templates/city.html"}

    # A deleted narrative: the city still builds, its other language falls back.
    story = f"content/cities/{second}/narrative.nl.md"
    assert editor.compare({story: None}) == []


def test_removing_a_network_or_a_city_that_others_use_is_refused_like_check_does(
    editor: Editor,
) -> None:
    root = editor.root
    networks = editor.text("content/networks.yaml")
    used = re.search(
        r"network: ([\w-]+)", editor.text(f"content/cities/{cities(root)[0]}/city.yaml")
    )
    assert used is not None
    block = rf"  {used.group(1)}:\n(?:    .*\n|      .*\n)+"
    removed = editor.compare({"content/networks.yaml": edited(networks, block, "")})
    assert removed and {p.file for p in removed} != {"content/networks.yaml"}

    # A URL name that a later city has: the clash is reported on that city, whose file
    # the save does not touch (its position comes from reading it again).
    ids = cities(root)
    first = f"content/cities/{ids[0]}/city.yaml"
    clash = editor.compare({first: editor.text(first).encode() + f"slug: {ids[-1]}\n".encode()})
    assert {p.file for p in clash} == {f"content/cities/{ids[-1]}/city.yaml"}
    assert all(p.line for p in clash)

    partners = {
        cid: re.findall(r"city: ([\w-]+)", editor.text(f"content/cities/{cid}/city.yaml"))
        for cid in cities(root)
    }
    named = sorted({p for found in partners.values() for p in found if p in partners})
    assert named  # a city another one names as its partner: its files deleted
    folder = f"content/cities/{named[0]}"
    gone = {f"{folder}/{p.name}": None for p in (root / folder).iterdir()}
    assert editor.compare(gone) != []


def test_a_new_city_is_checked_like_check_does_and_saved(editor: Editor) -> None:
    template = editor.text(f"content/cities/{cities(editor.root)[2]}/city.yaml")
    new = "content/cities/nieuwstad/city.yaml"
    yaml = template.replace("name: ", "name: Nieuwstad #", 1).encode("utf-8")
    stories = {
        f"content/cities/nieuwstad/narrative.{lang}.md": b"# Nieuwstad\n\nText.\n"
        for lang in ("en", "nl")
    }
    bad = editor.compare({new: edited(yaml.decode(), r"country: \w+", "country: XX"), **stories})
    assert [p.path for p in bad] == ["country"]
    good = {new: yaml, **stories}
    assert editor.compare(good) == []
    editor.save(good)
    assert editor.compare({"content/cities/nieuwstad/narrative.nl.md": None}) == []


def test_errors_the_site_already_had_do_not_block_a_save_and_are_looked_up_once(
    editor: Editor, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = editor.root
    broken, other = cities(root)[1], cities(root)[4]
    rel = f"content/cities/{broken}/city.yaml"
    (root / rel).write_text(
        re.sub(r"country: \w+", "country: XX", editor.text(rel), count=1), encoding="utf-8"
    )
    city = f"content/cities/{other}/city.yaml"
    text = editor.text(city)
    good = {city: edited(text, POPULATION, population("777"))}
    assert editor.compare(good) == []
    editor.save(good)
    # The site's errors after a save the editor wrote are known: no check of the site as
    # it is now runs for the next save.
    runs: list[object] = []
    real = SaveChecker._check

    def counted(self: SaveChecker, *args: object) -> list[Problem]:
        runs.append(args)
        return real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(SaveChecker, "_check", counted)
    again = {city: edited(editor.text(city), POPULATION, population("778"))}
    assert editor.checker.refusals(again) == []
    assert len(runs) == 1


def test_a_save_renders_only_the_pages_it_changes(
    editor: Editor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cityprofiles.pipeline import pages

    cid = cities(editor.root)[6]
    story = f"content/cities/{cid}/narrative.en.md"
    rendered: list[str] = []
    real = pages.check_pages

    def spy(renderer: Renderer, routes: list[Route], *args: Any) -> None:
        rendered.extend(route.output for route in routes)
        real(renderer, routes, *args)

    monkeypatch.setattr(pages, "check_pages", spy)
    for line in ("More.", "More again."):
        rendered.clear()
        editor.checker.problems_after({story: editor.text(story).encode() + f"\n{line}\n".encode()})
        # the city's page in each language (the Dutch one may fall back to this text)
        assert sorted(rendered) == [f"en/cities/{cid}/index.html", f"nl/steden/{cid}/index.html"]


def test_the_mirror_follows_the_site_and_forgets_a_refused_save(tmp_path: Path) -> None:
    from cityprofiles.cache import scan_inputs
    from cityprofiles.server.editor.mirror import Mirror

    root = tmp_path / "site"
    generate(root, 3, seed=7)
    first, second, third = cities(root)
    mirror = Mirror(root)

    def files(folder: Path) -> dict[str, bytes]:
        return {
            p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and ".cache" not in p.relative_to(folder).parts
        }

    path = mirror.update(scan_inputs(root), {"content/cities/new/city.yaml": b"name: New\n"})
    assert (path / "content/cities/new/city.yaml").read_bytes() == b"name: New\n"
    # The site changes behind the editor's back: a file rewritten, a city removed.
    story = root / f"content/cities/{first}/narrative.en.md"
    story.unlink()
    story.write_text("# Rewritten\n", encoding="utf-8")
    shutil.rmtree(root / f"content/cities/{second}")
    assert mirror.update(scan_inputs(root), {}) == path
    assert files(path) == files(root)  # the refused new city is gone, with its folder
    assert not (path / "content/cities/new").exists()
    assert not (path / f"content/cities/{second}").exists()
    # A change never writes through a hard link into the site.
    city = f"content/cities/{third}/city.yaml"
    before = (root / city).read_bytes()
    mirror.update(scan_inputs(root), {city: b"changed\n"})
    assert (root / city).read_bytes() == before
    mirror.close()
    assert not path.exists()


def test_a_check_pipeline_renders_again_only_what_changed_since_its_last_run(
    tmp_path: Path,
) -> None:
    root = tmp_path / "site"
    generate(root, 4, seed=7)
    pipeline = Pipeline(root, None, jobs=1)
    everything = pipeline.run().rendered
    assert everything > 50
    assert pipeline.run().rendered == 0  # nothing changed: nothing to render
    story = root / f"content/cities/{cities(root)[1]}/narrative.nl.md"
    story.write_text(story.read_text("utf-8") + "\nMeer.\n", encoding="utf-8")
    assert pipeline.run([story]).rendered == 2  # the city's page in each language
    assert Pipeline(root, None, jobs=1).run().rendered == everything  # a new one: all


def test_an_error_in_a_changed_city_is_reported_without_validating_every_city_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cityprofiles.pipeline.site import SiteLoader

    root = tmp_path / "site"
    generate(root, 6, seed=7)
    pipeline = Pipeline(root, tmp_path / "out", jobs=1, search=False)
    pipeline.run()
    reads: list[set[str] | None] = []
    real = SiteLoader._load

    def spy(self: SiteLoader, hashes: Any, reused: Any, only: set[str] | None) -> Any:
        reads.append(only)
        return real(self, hashes, reused, only)

    monkeypatch.setattr(SiteLoader, "_load", spy)
    ids = cities(root)
    city = root / f"content/cities/{ids[0]}/city.yaml"
    good = city.read_text("utf-8")
    city.write_text(re.sub(r"country: \w+", "country: XX", good, count=1), encoding="utf-8")
    with pytest.raises(ContentError) as bad:
        pipeline.run([city])
    assert reads == [{ids[0]}]  # its own file, read again: the error is where check puts it
    assert printed(list(bad.value.problems)) == printed(full_problems(root, tmp_path / "r", {}))
    # A URL name that another city has: that city's file was not read, so the site is
    # validated from its files, for the position of the clash in that file.
    reads.clear()
    city.write_text(good + f"slug: {ids[-1]}\n", encoding="utf-8")
    with pytest.raises(ContentError) as clash:
        pipeline.run([city])
    assert reads == [{ids[0]}, None]
    assert printed(list(clash.value.problems)) == printed(full_problems(root, tmp_path / "r", {}))
