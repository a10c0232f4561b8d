"""The inputs of a build: every file it reads, each with a content hash, and the keys made of them.

The inputs are the files under ``content/``, ``templates/``, ``static/`` and ``locales/``
(hidden ones left out) plus, for each city, its folder. Everything that can change the
output without changing content is part of the *global key*, which, when it differs,
makes every page be rendered again: the cityprofiles version and the hash of every file
of the installed package (code, theme, catalogues, SDG data), the site's templates,
static files and catalogues, ``site.yaml``, ``networks.yaml``, ``accessibility.yaml``,
the prose pages, the base-URL override, and today's date (the accessibility statement's
staleness warnings depend on it).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cityprofiles

INPUT_FOLDERS = ("content", "templates", "static", "locales")
_CITIES = "content/cities/"


def digest(*parts: str) -> str:
    """A short, stable hash of strings (NUL-separated, so ``("ab", "c") != ("a", "bc")``)."""
    return hashlib.blake2b("\0".join(parts).encode("utf-8"), digest_size=16).hexdigest()


def digest_bytes(data: bytes) -> str:
    """A short, stable hash of a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _input_files(root: Path, name: str) -> Iterator[tuple[str, str]]:
    """``(posix path relative to root, path)`` of each file under ``root/name``, hidden
    files and folders left out, in a stable order; strings only (Path objects for 3 000
    inputs took half of a no-change build's scan)."""
    base = os.path.join(root, name)
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        folder = name + dirpath[len(base) :].replace(os.sep, "/")
        for file in sorted(filenames):
            if not file.startswith("."):
                yield f"{folder}/{file}", os.path.join(dirpath, file)


def _files(folder: Path) -> Iterator[Path]:
    """The files under ``folder``, as :func:`_input_files` walks them."""
    for _, path in _input_files(folder.parent, folder.name):
        yield Path(path)


def hash_file(path: Path) -> str:
    """The content hash of one file (``"missing"`` when it cannot be read)."""
    try:
        return digest_bytes(path.read_bytes())
    except OSError:
        return "missing"


Stat = tuple[int, int, int, int]
"""(size, mtime_ns, ctime_ns, inode) of an input file when it was hashed."""

# A file whose mtime or ctime is this close to (or after) the moment it was hashed may
# still have changed within the same timestamp tick: it is hashed again ("racy" files,
# as in git).
RACY_NS = 2_000_000_000


@dataclass
class InputScan:
    """The inputs' hashes and, to skip re-reading unchanged files next time, their stats."""

    hashes: dict[str, str]
    stats: dict[str, Stat] = field(default_factory=dict)
    started_ns: int = 0


def scan_inputs(root: Path) -> dict[str, str]:
    """Every input file under ``root`` (posix path relative to it) -> its content hash."""
    return scan_inputs_since(root, None).hashes


def scan_inputs_since(root: Path, previous: InputScan | None) -> InputScan:
    """:func:`scan_inputs`, reusing the previous build's hash of each file whose size,
    mtime, ctime and inode are unchanged and which was not modified (content or metadata)
    around the time it was hashed; every other file is read and hashed. A no-change build
    of 1 000 cities reads no content file (60 -> 17 ms). The cache key stays the content
    hash: a file rewritten with the same bytes changes nothing downstream."""
    started = time.time_ns()
    known = previous.stats if previous is not None else {}
    trusted_before = previous.started_ns - RACY_NS if previous is not None else 0
    old = previous.hashes if previous is not None else {}
    hashes: dict[str, str] = {}
    stats: dict[str, Stat] = {}
    for name in INPUT_FOLDERS:
        for rel, path in _input_files(root, name):
            try:
                st = os.stat(path)
            except OSError:
                hashes[rel] = "missing"
                continue
            stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
            cached = old.get(rel)
            settled = max(st.st_mtime_ns, st.st_ctime_ns) < trusted_before
            if cached is not None and settled and known.get(rel) == stat:
                hashes[rel] = cached
            else:
                hashes[rel] = hash_file(Path(path))  # stat first: a later change is noticed
            stats[rel] = stat
    hashes.update(_city_folders(root))
    return InputScan(dict(sorted(hashes.items())), stats, started)


def _city_folders(root: Path) -> dict[str, str]:
    """Each folder under ``content/cities/`` as an input of its own, so a new empty folder
    (an error) is noticed like a new file."""
    try:
        entries = list(os.scandir(root / "content" / "cities"))
    except OSError:
        return {}
    return {f"{_CITIES}{e.name}/": "folder" for e in entries if e.is_dir() and e.name[:1] != "."}


def rescan(root: Path, previous: dict[str, str], changed: Iterable[Path]) -> dict[str, str]:
    """``previous`` with only ``changed`` paths hashed again (a watcher's list of events).

    A changed folder is scanned whole; a path that no longer exists is dropped.
    """
    result = dict(previous)
    root_r = root.resolve()
    for path in changed:
        path = path if path.is_absolute() else root / path
        try:
            rel = path.resolve().relative_to(root_r).as_posix()
        except ValueError:
            continue  # outside the site: not an input
        if path.is_dir():
            for key in [k for k in result if k.startswith(rel + "/")]:
                del result[key]
            for file in _files(path):
                result[file.relative_to(root).as_posix()] = hash_file(file)
        elif path.is_file():
            if rel.split("/", 1)[0] in INPUT_FOLDERS and not path.name.startswith("."):
                result[rel] = hash_file(path)
        else:
            result.pop(rel, None)
            for key in [k for k in result if k.startswith(rel + "/")]:
                del result[key]
    for key in [k for k in result if k.endswith("/") and city_of(k) is not None]:
        del result[key]
    result.update(_city_folders(root))
    return dict(sorted(result.items()))


@functools.cache
def package_fingerprint() -> str:
    """The version plus a hash of every file of the installed package: a cache made by other
    code, another theme or another catalogue is never reused."""
    package = Path(cityprofiles.__file__).parent
    parts: list[str] = [cityprofiles.__version__, sys.version]
    for path in _files(package):
        if path.suffix not in (".pyc", ".mo"):
            parts += [path.relative_to(package).as_posix(), _package_file_identity(path)]
    return digest(*parts)


LARGE_PACKAGE_FILE = 1_000_000


def _package_file_identity(path: Path) -> str:
    """A package file's hash; a large vendored one (the editor's 5 MB Decap CMS bundle) by
    its size and modification time instead: hashing it would cost every build 14 ms."""
    try:
        stat = path.stat()
    except OSError:
        return "missing"
    if stat.st_size > LARGE_PACKAGE_FILE:
        return f"{stat.st_size}:{stat.st_mtime_ns}"
    return hash_file(path)


def city_of(rel: str) -> str | None:
    """``content/cities/utrecht/city.yaml`` -> ``utrecht``; ``None`` for other inputs."""
    if rel.startswith(_CITIES):
        rest = rel[len(_CITIES) :]
        if "/" in rest:
            return rest.split("/", 1)[0]
    return None


def global_key(inputs: dict[str, str], base_url: str | None, today: dt.date) -> str:
    """The key of everything except the cities: when it changes, nothing cached is reused
    (``today``: the day the date rules were checked against, as reviews fall due)."""
    shared = sorted(f"{rel}={h}" for rel, h in inputs.items() if city_of(rel) is None)
    return digest(
        package_fingerprint(),
        base_url or "",
        today.isoformat(),
        *shared,
    )


def city_hashes(inputs: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Per city: (hash of its ``city.yaml``, hash of all its files)."""
    grouped: dict[str, list[str]] = {}
    facts: dict[str, str] = {}
    start = len(_CITIES)
    for rel, h in inputs.items():
        if rel.startswith(_CITIES):
            city, slash, name = rel[start:].partition("/")
            if slash:
                grouped.setdefault(city, []).append(f"{name}={h}")
                if name == "city.yaml":
                    facts[city] = h
    return {c: (facts.get(c, ""), digest(*sorted(parts))) for c, parts in grouped.items()}
