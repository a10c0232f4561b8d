"""The build state: what the last build made of its inputs, kept as JSON between builds.

A build remembers, per output folder, in ``SITE/.cache/cityprofiles/`` (never under
``content/``): the hash of every input file, the validated cities, a key per page naming
exactly the inputs that page was rendered from, and the size and mtime of each file it
wrote. The next build renders only pages whose key changed; unchanged pages are
hard-linked from the previous output, so they keep their mtime and deploy tools copy
nothing.

The file is JSON lines: a header (the format, the cityprofiles version, the global key
of :mod:`cityprofiles.cache.inputs`), the state without the cities, then per city a line
of facts (its hash and problems) and a line with the city itself
(:mod:`cityprofiles.cache.codec`), and a last line with their count. The cities are read
only when a build needs them, so a build that finds nothing changed reads none (15 MB at
1 000 cities). A file of another format or version, or one that cannot be read in full
(truncated, edited, not JSON), is ignored: the build starts from scratch. Nothing in it is code: no pickle, no compiled templates (Jinja compiles
them again in each process; marshal'd bytecode would run whatever it says).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import cityprofiles
from cityprofiles.cache.codec import (
    CacheFormatError,
    decode_problem,
    encode_problem,
    expect,
    int_tuple_map,
    str_map,
)
from cityprofiles.cache.inputs import InputScan, Stat, digest
from cityprofiles.errors import Problem
from cityprofiles.output import folder_stats

if TYPE_CHECKING:
    from cityprofiles.model import City

FORMAT = 5
"""The layout of the state file (3 and 4 were pickles, and are never read)."""

CityEntry = tuple[str, "bytes | City", tuple[Problem, ...]]
"""A city in the state: (hash of its files, the city, its validation problems). The city is
its JSON as read from the file (bytes: written back as they are), or the validated model,
encoded when saved."""


@dataclass
class BuildState:
    """What one build made of its inputs; enough to skip all unchanged work next time."""

    key: str
    inputs: dict[str, str]
    cities: Mapping[str, CityEntry] = field(default_factory=dict)
    page_keys: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, tuple[int, int]] = field(default_factory=dict)
    """output path -> (size, mtime_ns) as written, to notice files changed behind our back"""
    warnings: tuple[Problem, ...] = ()
    pages: dict[str, int] = field(default_factory=dict)
    search: bool = False
    """Whether the output has a search index (``--no-search`` and back must change it)."""
    folders: dict[str, int] = field(default_factory=dict)
    """output folder -> mtime_ns after the build, to notice files added behind our back"""
    input_stats: dict[str, Stat] = field(default_factory=dict)
    """Each input's stats when it was hashed (see :func:`~.inputs.scan_inputs_since`)."""
    scanned_ns: int = 0
    """When the inputs were scanned (wall clock, ns)."""

    @property
    def scan(self) -> InputScan:
        """The inputs as the last build scanned them."""
        return InputScan(self.inputs, self.input_stats, self.scanned_ns)


def state_path(root: Path, out: Path) -> Path:
    """One state file per output folder, under ``SITE/.cache/cityprofiles/``."""
    return root / ".cache" / "cityprofiles" / f"build-{digest(str(out.absolute()))}.json"


def load_state(path: Path) -> BuildState | None:
    """The saved state, or ``None`` when there is none or it is unusable (another format or
    version, not JSON, cut short). The cities are checked as a whole here (their count,
    in the file's last line) and read only when a build asks for them."""
    try:
        with path.open("rb") as handle:
            header = json.loads(handle.readline())
            if not isinstance(header, dict) or (header.get("format"), header.get("version")) != (
                FORMAT,
                cityprofiles.__version__,
            ):
                return None
            state, count = _head(expect(header.get("key"), str), json.loads(handle.readline()))
            state.cities = StoredCities(path, handle, count)
    except (OSError, ValueError, RecursionError):  # ValueError: JSON, UTF-8, CacheFormatError
        return None
    return state


_TAIL = 64
"""Bytes read from the end of the file for its last line (``{"cities":N}``)."""


class StoredCities(Mapping[str, CityEntry]):
    """The cities of a state file, two lines each (facts, then the city's JSON) and a last
    line with their count, read from the file when first asked for. A file replaced since
    (another build) or not what this version writes raises :class:`CacheFormatError`."""

    def __init__(self, path: Path, handle: IO[bytes], count: int) -> None:
        start = handle.tell()
        stat = os.fstat(handle.fileno())
        handle.seek(max(start, stat.st_size - _TAIL))
        tail = handle.read()
        # The last line is written last: a file cut short (the disk filled up, the build was
        # killed before the rename) does not end with it.
        last = tail.rfind(b"\n", 0, -1) + 1
        if not tail.endswith(b"\n") or (last == 0 and stat.st_size - len(tail) > start):
            raise CacheFormatError("the file is cut short, or does not end as this version ends it")
        if json.loads(tail[last:]) != {"cities": count}:
            raise CacheFormatError("the file is cut short, or does not end as this version ends it")
        self._path = path
        self._span = (start, stat.st_size - len(tail) + last)
        self._identity = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        self._count = count
        self._entries: dict[str, CityEntry] | None = None

    def _parsed(self) -> dict[str, CityEntry]:
        if self._entries is None:
            try:
                self._entries = _parse_cities(self._read().split(b"\n"), self._count)
            except (OSError, ValueError, RecursionError) as exc:  # JSON, UTF-8, format
                raise CacheFormatError(f"a city that cannot be read: {exc}") from None
        return self._entries

    def _read(self) -> bytes:
        start, end = self._span
        with self._path.open("rb") as handle:
            stat = os.fstat(handle.fileno())
            if (stat.st_ino, stat.st_size, stat.st_mtime_ns) != self._identity:
                raise CacheFormatError("the file was replaced since it was read")
            handle.seek(start)
            return handle.read(end - start)

    def __getitem__(self, cid: str) -> CityEntry:
        return self._parsed()[cid]

    def __iter__(self) -> Iterator[str]:
        return iter(self._parsed())

    def __len__(self) -> int:
        return self._count


def _parse_cities(lines: list[bytes], count: int) -> dict[str, CityEntry]:
    if len(lines) != 2 * count + 1:  # two lines a city, and the end of the last one
        raise CacheFormatError("more or fewer cities than the file says")
    entries: dict[str, CityEntry] = {}
    for number in range(count):
        facts = expect(json.loads(lines[2 * number]), dict)
        problems = tuple(decode_problem(p) for p in expect(facts.get("problems"), list))
        cid, hashed = expect(facts.get("id"), str), expect(facts.get("hash"), str)
        entries[cid] = (hashed, lines[2 * number + 1], problems)
    return entries


def _head(key: str, head: Any) -> tuple[BuildState, int]:
    data = expect(head, dict)
    pages = expect(data.get("pages"), dict)
    outputs, stats = data.get("outputs"), data.get("input_stats")
    state = BuildState(
        key=key,
        inputs=str_map(data.get("inputs")),
        page_keys=str_map(data.get("page_keys")),
        outputs={rel: (size, mtime) for rel, (size, mtime) in int_tuple_map(outputs, 2).items()},
        warnings=tuple(decode_problem(p) for p in expect(data.get("warnings"), list)),
        pages={expect(k, str): expect(v, int) for k, v in pages.items()},
        search=expect(data.get("search"), bool),
        folders={k: v[0] for k, v in int_tuple_map(data.get("folders"), 1).items()},
        input_stats={rel: (a, b, c, d) for rel, (a, b, c, d) in int_tuple_map(stats, 4).items()},
        scanned_ns=expect(data.get("scanned_ns"), int),
    )
    return state, expect(data.get("cities"), int)


def save_state(path: Path, state: BuildState) -> None:
    """Write the state atomically; a failure only costs the next build its cache.

    The cities are written one by one after the rest (a city held as a model is encoded
    here; one still as read is written as it is), so saving never holds every city's
    text at once."""
    from cityprofiles.cache.codec import encode_city

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        gitignore = path.parent.parent / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("# cityprofiles' build cache; safe to delete.\n*\n")
        fd, tmp = tempfile.mkstemp(prefix=".state-", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            header = {"format": FORMAT, "version": cityprofiles.__version__, "key": state.key}
            _line(handle, header)
            _line(handle, _head_data(state))
            for cid, (hashed, city, problems) in state.cities.items():
                _line(handle, {"id": cid, "hash": hashed, "problems": _problems(problems)})
                handle.write(city if isinstance(city, bytes) else encode_city(city).encode())
                handle.write(b"\n")
            _line(handle, {"cities": len(state.cities)})
        os.replace(tmp, path)
    except OSError:
        return
    with contextlib.suppress(OSError):  # the pickle of older versions, never read again
        path.with_suffix(".pickle").unlink()


def _head_data(state: BuildState) -> dict[str, Any]:
    return {
        "inputs": state.inputs,
        "input_stats": state.input_stats,
        "scanned_ns": state.scanned_ns,
        "page_keys": state.page_keys,
        "outputs": state.outputs,
        "folders": {folder: [mtime] for folder, mtime in state.folders.items()},
        "warnings": _problems(state.warnings),
        "pages": state.pages,
        "search": state.search,
        "cities": len(state.cities),
    }


def _problems(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    return [encode_problem(p) for p in problems]


def _line(handle: IO[bytes], data: Any) -> None:
    handle.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
    handle.write(b"\n")


def up_to_date(
    state: BuildState | None, key: str, inputs: dict[str, str], out: Path, search: bool
) -> bool:
    """Whether the last build used exactly these inputs and options and its output is as
    it left it."""
    return (
        state is not None
        and state.key == key
        and state.search == search
        and state.inputs == inputs
        and output_stats(out, state.outputs) == state.outputs
        and folder_stats(out, state.outputs) == state.folders
    )


def output_stats(out: Path, names: Iterable[str]) -> dict[str, tuple[int, int]]:
    """(size, mtime_ns) of each output file that exists."""
    result: dict[str, tuple[int, int]] = {}
    base = str(out) + os.sep
    for rel in names:
        try:
            st = os.stat(base + rel)
        except OSError:
            continue
        result[rel] = (st.st_size, st.st_mtime_ns)
    return result
