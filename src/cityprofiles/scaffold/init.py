"""``cityprofiles init``: a new site that checks clean under ``--strict`` and builds at once.

The starter site ships inside the package (``starter/``) as ordinary files, so
what a new site receives can be read, reviewed and diffed like any content. A few
values are filled in when the site is made (``@TODAY@``, ``@BASE_URL@``…): dates
must be fresh or the accessibility statement would be stale on day one. The
starter is written in English and Dutch; a site that wants only some of those
languages gets the other language's lines left out. Folders and files whose
names start with a dot cannot travel in package data, so they are stored as
``dot-name`` and renamed on the way out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from cityprofiles import __version__, clock
from cityprofiles.errors import UsageError

if TYPE_CHECKING:  # importlib.abc.Traversable is deprecated from 3.12; only a type here
    from importlib.abc import Traversable

STARTER_LANGUAGES = ("en", "nl")
"""The languages the starter site is written in."""

STARTER_LOCALES = {"en": "en_GB", "nl": "nl_NL"}
"""Their locales in a new site: European dates (23 November 2026) and numbers; editable."""

DEFAULT_BASE_URL = "https://www.example.org/"

RELEASE_SOURCE = "cityprofiles @ git+https://github.com/cityprofiles/cityprofiles@v{version}"
"""Where a new site's CI installs cityprofiles from: the release's Git tag, pinned. No
release is on the Python Package Index yet; once one is, this becomes
``cityprofiles=={version}`` (CONTRIBUTING.md, "Releasing"). ``init --source`` overrides it."""

_PLACEHOLDER = re.compile(r"@([A-Z_]+)@")
_LANG_LINE = re.compile(r"^(?P<indent> *)(?P<dash>- )?(?P<lang>[a-z]{2,3}): ")
_DOT_PREFIX = "dot-"


def create_site(
    root: Path,
    *,
    languages: Sequence[str] = STARTER_LANGUAGES,
    base_url: str = DEFAULT_BASE_URL,
    force: bool = False,
    today: dt.date | None = None,
    source: str | None = None,
) -> list[str]:
    """Write a new site into ``root``; return the files written, relative to ``root``.

    Refuses a folder that is not empty unless ``force`` (then files of the same
    name are replaced and everything else is left alone). ``source`` is the pip
    requirement the site's CI installs cityprofiles from (default :data:`RELEASE_SOURCE`).
    """
    chosen = check_languages(languages)
    requirement = check_source(source or RELEASE_SOURCE.format(version=__version__))
    url = check_base_url(base_url)
    check_folder(root, force=force)
    values = {
        "BASE_URL": url,
        "LANGUAGES": "["
        + ", ".join(f"{{code: {c}, locale: {STARTER_LOCALES[c]}}}" for c in chosen)
        + "]",
        "DEFAULT_LANGUAGE": chosen[0],
        "LANGUAGE_NAMES": _language_names(chosen),
        "TODAY": (today or clock.today()).isoformat(),
        "VERSION": __version__,
        "SOURCE": requirement,
    }
    files = dict(starter_files(chosen, values))
    files.update(schema_files())
    for rel, text in sorted(files.items()):
        path = root / rel
        if path.is_dir():
            raise UsageError(f"cannot write {path}: a folder of that name is in the way")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    return sorted(files)


def check_languages(languages: Sequence[str]) -> tuple[str, ...]:
    """The chosen languages in order, or a usage error naming what the starter offers."""
    chosen = tuple(code.strip() for code in languages if code.strip())
    offered = " and ".join(STARTER_LANGUAGES)
    if not chosen:
        raise UsageError(f"choose at least one language; the starter site is written in {offered}")
    for code in chosen:
        if code not in STARTER_LANGUAGES:
            raise UsageError(
                f"the starter site is written in {offered}, not '{code}'; start with "
                f"--languages {','.join(STARTER_LANGUAGES)} (or one of them), then run "
                f"`cityprofiles i18n add {code}` in the new site (docs/translating.md)"
            )
    if len(set(chosen)) != len(chosen):
        raise UsageError(f"a language is listed twice in --languages {','.join(chosen)}")
    return chosen


def check_base_url(base_url: str) -> str:
    """The base URL with a trailing slash, or a usage error."""
    from cityprofiles.model import check_url

    try:
        check_url(base_url)
    except ValueError:
        raise UsageError(
            f"--base-url {base_url!r} is not a web address like https://www.example.org/"
        ) from None
    return base_url if base_url.endswith("/") else base_url + "/"


def check_source(source: str) -> str:
    """The requirement line for cityprofiles itself in the site's ``requirements.txt``.

    >>> check_source("cityprofiles==0.2.0")
    'cityprofiles==0.2.0'
    >>> check_source("https://example.org/cityprofiles-0.2.0-py3-none-any.whl")
    'cityprofiles @ https://example.org/cityprofiles-0.2.0-py3-none-any.whl'
    """
    source = source.strip()
    if "\n" in source or not source:
        raise UsageError("--source is one pip requirement, e.g. cityprofiles==0.2.0")
    if source.startswith("cityprofiles"):
        return source
    if re.match(r"^(https?|file|git\+[a-z]+)://", source):
        return f"cityprofiles @ {source}"
    raise UsageError(
        f"--source {source!r} is neither a requirement for cityprofiles (cityprofiles==0.2.0) "
        "nor an address of a wheel or Git repository (https://…, git+https://…@tag)"
    )


def check_folder(root: Path, *, force: bool) -> None:
    """Refuse to write into a file, or into a folder with anything in it unless ``force``."""
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} exists and is not a folder")
    if root.is_dir() and any(root.iterdir()) and not force:
        raise UsageError(
            f"{root} is not empty; choose a new or empty folder, or add --force to write "
            "the starter files into it (files with the same names are replaced)"
        )


def starter_files(languages: Sequence[str], values: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """The starter site's files for ``languages``, placeholders filled in."""
    drop = set(STARTER_LANGUAGES) - set(languages)
    for rel, entry in _walk(resources.files("cityprofiles").joinpath("starter"), ""):
        parts = rel.rsplit("/", 1)[-1].split(".")
        if len(parts) == 3 and parts[2] == "md" and parts[1] in drop:
            continue
        text = entry.read_text("utf-8")
        if rel.endswith((".yaml", ".yml")) and rel.startswith("content/"):
            text = keep_languages(text, drop)
        yield rel, fill(text, values, rel)


def _walk(folder: Traversable, prefix: str) -> Iterator[tuple[str, Traversable]]:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith((".", "__")):
            continue
        name = entry.name
        if name.startswith(_DOT_PREFIX):
            name = "." + name[len(_DOT_PREFIX) :]
        if entry.is_dir():
            yield from _walk(entry, f"{prefix}{name}/")
        else:
            yield f"{prefix}{name}", entry


def keep_languages(text: str, drop: set[str]) -> str:
    """Leave out the YAML lines of the languages in ``drop``.

    The starter writes every translated value as one ``<lang>: …`` line, so
    dropping a language drops lines; when a list item began with the dropped
    line, the next language's line takes over the list dash.

    >>> print(keep_languages("- en: Energy\\n  nl: Energie\\nname: X\\n", {"en"}), end="")
    - nl: Energie
    name: X
    """
    if not drop:
        return text
    out: list[str] = []
    pending_dash: str | None = None
    for line in text.splitlines(keepends=True):
        match = _LANG_LINE.match(line)
        if match and match["lang"] in drop:
            if match["dash"]:
                pending_dash = match["indent"]
            continue
        if (
            pending_dash is not None
            and match
            and not match["dash"]
            and match["lang"] in STARTER_LANGUAGES
            and len(match["indent"]) == len(pending_dash) + 2
        ):
            line = pending_dash + "- " + line[len(pending_dash) + 2 :]
        pending_dash = None
        out.append(line)
    return "".join(out)


def fill(text: str, values: Mapping[str, str], rel: str) -> str:
    """Replace ``@NAME@`` placeholders; an unknown one is a bug in the starter, not user error."""

    def value(match: re.Match[str]) -> str:
        try:
            return values[match[1]]
        except KeyError:
            raise RuntimeError(f"starter file {rel} uses unknown placeholder {match[0]}") from None

    return _PLACEHOLDER.sub(value, text)


def schema_files() -> dict[str, str]:
    """JSON Schema for each kind of content file: the same files ``cityprofiles schema`` writes.

    The starter's YAML files point at these (``# yaml-language-server: $schema=…``),
    which gives editors completion and hover help in VS Code from the first minute.
    """
    from cityprofiles.model import schema_text, schemas

    return {f"schema/{name}.schema.json": schema_text(s) for name, s in schemas().items()}


def _language_names(codes: Sequence[str]) -> str:
    from babel import Locale

    names = [str(Locale.parse("en").languages.get(code, code)) for code in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
