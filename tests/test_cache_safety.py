"""The build cache is data, not code: whatever is planted in it never runs.

A CI cache restored from another branch or a fork lands in ``SITE/.cache/``; the next
build must treat every byte there as untrusted. These tests plant a pickle whose
``__reduce__`` runs a shell command (and one that creates a file through ``open``) in
every place the cache reads, build, and check that nothing ran and that the output
equals a cold build.
"""

from __future__ import annotations

import ast
import json
import os
import pickle
import shutil
from pathlib import Path

import pytest
from benchmarks.corpus import generate

import cityprofiles
from cityprofiles import cache
from cityprofiles.pipeline import build
from test_build_equivalence import assert_same, snapshot

CITIES = 6


class ShellPayload:
    """Unpickling this runs a shell command that creates ``marker``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


class OpenPayload:
    """Unpickling this creates ``marker`` through ``open`` (no shell needed)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def payloads(marker: Path) -> list[bytes]:
    """The payloads in the oldest pickle protocol (plain text, which a careless reader
    might take for text) and the newest (binary)."""
    return [
        pickle.dumps(kind(marker), protocol=protocol)
        for kind in (ShellPayload, OpenPayload)
        for protocol in (0, pickle.HIGHEST_PROTOCOL)
    ]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("corpus"), CITIES, seed=5)


def _site(corpus: Path, tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "site"
    shutil.copytree(corpus, root)
    out = tmp_path / "out"
    build(root, out, jobs=1, search=False)
    return root, out


class Edits:
    """Two versions of one narrative, switched before each build so that every build is
    incremental and reads the cached cities of the others; each version's cold build is
    made once."""

    def __init__(self, root: Path, tmp_path: Path) -> None:
        city = sorted((root / "content/cities").iterdir())[0]
        self.narrative = city / "narrative.en.md"
        original = self.narrative.read_text("utf-8")
        self.texts = [original + "\nOne more sentence.\n", original + "\nAnother one.\n"]
        self.colds: list[dict[str, bytes]] = []
        for number, text in enumerate(self.texts):
            self.narrative.write_text(text, "utf-8")
            out = tmp_path / f"cold-{number}"
            build(root, out, jobs=1, cache=False, search=False)
            self.colds.append(snapshot(out))
        self.current = 1

    def switch(self) -> dict[str, bytes]:
        """Edit the narrative; return what a cold build of the site now gives."""
        self.current = 1 - self.current
        self.narrative.write_text(self.texts[self.current], "utf-8")
        return self.colds[self.current]


def _state_lines(state: Path) -> list[str]:
    return state.read_text("utf-8").splitlines()


def test_a_pickle_planted_as_any_cache_file_never_runs(corpus: Path, tmp_path: Path) -> None:
    root, out = _site(corpus, tmp_path)
    marker = tmp_path / "ran"
    state = cache.state_path(root, out)
    folder = state.parent
    # Every file the cache folder holds, the pickle file of older versions, and a few
    # names a future or older version might look for.
    places = [p for p in folder.iterdir() if p.is_file()]
    places += [state.with_suffix(".pickle"), folder / "bytecode.cache", folder / "state.pickle"]
    edits = Edits(root, tmp_path)
    for payload in payloads(marker):
        for place in places:
            place.write_bytes(payload)
        cold = edits.switch()
        report = build(root, out, jobs=1, search=False)
        assert not marker.exists(), "a planted pickle ran"
        assert report.rendered == sum(report.pages.values()) + 2  # from scratch
        assert_same(snapshot(out), cold)
        assert cache.load_state(state) is not None  # replaced by a good state again
    assert not state.with_suffix(".pickle").exists()  # the old format is cleaned away


@pytest.mark.parametrize("line", ["header", "head", "city facts", "city"])
def test_a_pickle_planted_inside_the_state_file_never_runs(
    corpus: Path, tmp_path: Path, line: str
) -> None:
    root, out = _site(corpus, tmp_path)
    marker = tmp_path / "ran"
    state = cache.state_path(root, out)
    index = {"header": 0, "head": 1, "city facts": 4, "city": 5}[line]
    edits = Edits(root, tmp_path)
    for payload in payloads(marker):
        lines = _state_lines(state)
        lines[index] = payload.decode("latin-1").replace("\n", " ")
        state.write_text("\n".join(lines) + "\n", encoding="utf-8")
        cold = edits.switch()
        build(root, out, jobs=1, search=False)
        assert not marker.exists(), "a planted pickle ran"
        assert_same(snapshot(out), cold)


@pytest.mark.parametrize(
    "city",
    [
        {"py/reduce": [{"py/function": "os.system"}, {"py/tuple": ["touch ran"]}]},
        {"__reduce__": "os.system"},
        {"name": "Alphen", "population": {"value": "many", "year": 2024}},
        {"country": ["NL"]},
        [],
        "text",
    ],
    ids=["jsonpickle", "reduce-key", "wrong-type", "list-for-text", "list", "string"],
)
def test_a_city_the_cache_cannot_give_back_is_validated_again(
    corpus: Path, tmp_path: Path, city: object
) -> None:
    """Valid JSON that is not a city this version wrote: the build validates every city
    from its files instead of trusting the cache, and still equals a cold build."""
    root, out = _site(corpus, tmp_path)
    state = cache.state_path(root, out)
    lines = _state_lines(state)
    stored = json.loads(lines[5])  # the second city (the first is about to be edited)
    lines[5] = json.dumps(city if not isinstance(city, dict) else {**stored, **city})
    state.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cold = Edits(root, tmp_path).switch()
    build(root, out, jobs=1, search=False)
    assert_same(snapshot(out), cold)


def test_a_cache_of_another_version_is_ignored(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out = _site(corpus, tmp_path)
    state = cache.state_path(root, out)
    assert cache.load_state(state) is not None
    monkeypatch.setattr(cityprofiles, "__version__", "999.0")
    assert cache.load_state(state) is None


def test_the_cities_are_read_when_asked_and_only_from_the_same_file(
    corpus: Path, tmp_path: Path
) -> None:
    """A build that finds nothing changed reads no city; cities asked for after the file
    was replaced (another build) are refused, never mixed with the other file's."""
    root, out = _site(corpus, tmp_path)
    path = cache.state_path(root, out)
    state = cache.load_state(path)
    assert state is not None and len(state.cities) == CITIES
    assert sorted(state.cities) == sorted(os.listdir(root / "content" / "cities"))
    replaced = cache.load_state(path)
    assert replaced is not None
    data = path.read_bytes()
    path.rename(path.with_suffix(".old"))  # kept, so the new file cannot get its inode
    path.write_bytes(data)  # the same bytes, another file
    with pytest.raises(cache.CacheFormatError):
        list(replaced.cities)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def test_no_module_can_deserialise_code() -> None:
    """Nothing in the package imports a serialiser that can build arbitrary objects or code
    (the forked workers' pipes are the standard library's business, not a file of ours)."""
    unsafe = {"pickle", "marshal", "shelve", "dill", "cloudpickle", "jsonpickle", "joblib"}
    package = Path(cityprofiles.__file__).parent
    offenders = {
        path.relative_to(package).as_posix(): sorted(_imports(path) & unsafe)
        for path in package.rglob("*.py")
        if _imports(path) & unsafe
    }
    assert offenders == {}


@pytest.mark.parametrize("which", ["shipped site", "benchmark corpus"])
def test_every_city_comes_back_from_the_cache_as_it_was_validated(corpus: Path, which: str) -> None:
    """The cache gives back each city equal to the validated one (a model field the codec
    could not carry would make every incremental build validate everything again)."""
    from cityprofiles.pipeline import load_site

    root = Path(__file__).parent.parent if which == "shipped site" else corpus
    site, _ = load_site(root)
    assert site.cities
    for city in site.cities:
        again = cache.decode_city(cache.encode_city(city))
        assert again == city
        assert (again.id, again.narrative) == (city.id, city.narrative)
