"""``cityprofiles i18n extract / update / compile``: the UI catalogues, through Babel.

The UI strings (``_("…")`` in templates and Python) live in gettext catalogues:
the package's ``src/cityprofiles/locales/<lang>/LC_MESSAGES/messages.po``, and a
site's own ``locales/`` on top, which overrides any string it translates.

* ``extract`` collects the messages into ``<locales>/messages.pot``: with the
  project's ``babel.cfg`` when the folder has one (the cityprofiles repository),
  otherwise from the package's code and theme plus the site's ``templates/``;
* ``update`` merges the template into each language's ``messages.po`` (creating
  it for a new language; existing translations are kept, changed ones marked fuzzy);
* ``compile`` writes ``messages.mo`` files for tools that want them; the build
  never needs them, since it compiles the ``.po`` files in memory.

The commands find the site the way ``build`` does (``SITE``, ``--site`` or the current
folder, which must hold ``content/``) and write only under it: the catalogues are the
site's ``locales/``, or in the cityprofiles source repository (a site with
``babel.cfg``) the package's ``src/cityprofiles/locales/``; ``--locales`` chooses another
folder inside the site. The installed package is never written to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from cityprofiles import __version__
from cityprofiles.content import display_path
from cityprofiles.errors import ContentError, UsageError, counted
from cityprofiles.i18n import package_locales, read_catalogue

DOMAIN = "messages"
POT = f"{DOMAIN}.pot"
_JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "true"}


def locales_folder(root: Path, locales: Path | None) -> Path:
    """Which catalogues a command works on (see the module docstring); always inside ``root``."""
    if not (root / "content").is_dir():
        raise UsageError(
            f"{root} is not a cityprofiles site (it has no content/ folder); run this in a "
            "site or pass --site DIR"
        )
    if locales is None:
        source = _package_source(root)
        return source if _is_repository(root) and source.is_dir() else root / "locales"
    folder = locales.absolute()
    if not folder.resolve().is_relative_to(root.resolve()):
        raise UsageError(
            f"--locales {locales} is outside the site {root}; the catalogue commands write "
            "only inside the site"
        )
    return folder


def _package_source(root: Path) -> Path:
    """The package's catalogues in the cityprofiles source repository."""
    return root / "src" / "cityprofiles" / "locales"


def _is_repository(root: Path) -> bool:
    """The cityprofiles source repository: a site that extracts with its own ``babel.cfg``."""
    return (root / "babel.cfg").is_file()


def run_catalogue_command(action: str, root: Path, locales: Path | None) -> int:
    """Run ``extract``, ``update`` or ``compile``; print what was written."""
    folder = locales_folder(root, locales)
    if action == "extract":
        count = extract(root, folder)
        print(f"Extracted {counted(count, 'message')} into {display_path(folder / POT, root)}")
    elif action == "update":
        for path, created in update(folder, languages_for(root, folder)):
            print(f"{'Created' if created else 'Updated'} {display_path(path, root)}")
    elif action == "compile":
        for path, translated, total in compile_catalogues(folder, root):
            print(
                f"Compiled {display_path(path, root)} "
                f"({translated} of {counted(total, 'message')} translated)"
            )
    else:  # argparse restricts the choices; this guards a programming error
        raise UsageError(f"unknown i18n action {action!r}")
    return 0


def extract(root: Path, folder: Path) -> int:
    """Write ``folder/messages.pot``; return the number of messages. The package's own
    catalogues in the repository are extracted with ``babel.cfg``; any other folder (a
    site's ``locales/``, also the repository's own) gets the package's strings and those
    of the site's ``templates/``."""
    catalog = Catalog(
        project="cityprofiles",
        version=__version__,
        charset="utf-8",
        creation_date=dt.datetime.now(dt.timezone.utc),
    )
    config = root / "babel.cfg"
    if _is_repository(root) and folder.resolve() == _package_source(root).resolve():
        from babel.messages.frontend import parse_mapping_cfg

        with config.open(encoding="utf-8") as handle:
            method_map, options_map = parse_mapping_cfg(handle)  # type: ignore[no-untyped-call]
        _add(catalog, root, extract_from_dir(str(root), method_map, options_map))
    else:
        package = package_locales().parent
        _add(catalog, package.parent, _package_messages(package))
        templates = root / "templates"
        if templates.is_dir():
            methods = [("**.html", "jinja2"), ("**.xml", "jinja2"), ("**.txt", "jinja2")]
            options = {pattern: _JINJA_OPTIONS for pattern, _ in methods}
            found = extract_from_dir(str(templates), methods, options, DEFAULT_KEYWORDS)
            _add(catalog, root, found, prefix=templates)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / POT).open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True)
    return len(catalog)


def _package_messages(package: Path) -> Iterable[tuple[str, int, object, list[str], str | None]]:
    methods = [("**.py", "python"), ("theme/templates/**.html", "jinja2")]
    options = {"theme/templates/**.html": _JINJA_OPTIONS}
    for filename, line, message, comments, context in extract_from_dir(
        str(package), methods, options, DEFAULT_KEYWORDS
    ):
        yield f"cityprofiles/{filename}", line, message, comments, context


def _add(
    catalog: Catalog,
    base: Path,
    found: Iterable[tuple[str, int, object, list[str], str | None]],
    prefix: Path | None = None,
) -> None:
    for filename, line, message, comments, context in found:
        shown = display_path(prefix / filename, base) if prefix is not None else filename
        catalog.add(
            message,  # type: ignore[arg-type]
            None,
            [(shown, line)],
            auto_comments=comments,
            context=context,
        )


def languages_for(root: Path, folder: Path) -> list[str]:
    """The site's languages when there is a site, else the languages the folder already has."""
    if (root / "content" / "site.yaml").is_file():
        from cityprofiles.content import site_languages

        return site_languages(root)
    return sorted(p.name for p in folder.iterdir() if (p / "LC_MESSAGES").is_dir())


def update(folder: Path, languages: Iterable[str]) -> list[tuple[Path, bool]]:
    """Merge the template into every language's catalogue; return ``(path, created)`` pairs."""
    pot = folder / POT
    if not pot.is_file():
        raise UsageError(f"{pot} does not exist; run `cityprofiles i18n extract` first")
    with pot.open("rb") as handle:
        template = read_po(handle)
    result = []
    for lang in languages:
        path = folder / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        created = not path.is_file()
        if created:
            with pot.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
            catalog.locale = lang
            catalog.revision_date = dt.datetime.now(dt.timezone.utc)
            catalog.fuzzy = False
        else:
            catalog = read_catalogue(path, folder, lang)
            catalog.update(template)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, ignore_obsolete=True)
        result.append((path, created))
    return result


def compile_catalogues(folder: Path, root: Path) -> list[tuple[Path, int, int]]:
    """Write ``messages.mo`` next to every ``messages.po``; all broken catalogues are reported."""
    results = []
    problems = []
    for po in sorted(folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        lang = po.parent.parent.name
        try:
            catalog = read_catalogue(po, root, lang)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        messages = [m for m in catalog if m.id]
        translated = sum(1 for m in messages if _translated(m.string) and not m.fuzzy)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as handle:
            write_mo(handle, catalog)
        results.append((mo, translated, len(messages)))
    if problems:
        raise ContentError(problems)
    if not results:
        raise UsageError(f"no catalogues in {folder}; run `cityprofiles i18n update` first")
    return results


def _translated(string: object) -> bool:
    if isinstance(string, tuple | list):
        return all(bool(s) for s in string)
    return bool(string)
