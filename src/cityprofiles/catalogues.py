"""``cityprofiles i18n extract / update / compile``: the UI catalogues, through Babel.

The UI strings (``_("…")`` in templates and Python) live in gettext catalogues:
the package's ``src/cityprofiles/locales/<lang>/LC_MESSAGES/messages.po``, and a
site's own ``locales/`` on top, which overrides any string it translates.

* ``extract`` collects the messages into ``<locales>/messages.pot``: the package's
  code and theme plus the site's ``templates/``;
* ``update`` merges the template into each language's ``messages.po`` (creating
  it for a new language; existing translations are kept, changed ones marked fuzzy);
* ``compile`` writes ``messages.mo`` files for tools that want them; the build
  never needs them, since it compiles the ``.po`` files in memory.

The commands work on a site, found as ``build`` finds it (``SITE``, ``--site`` or the
current folder, which must hold ``content/``), and write only inside it: the catalogues
are the site's ``locales/``, or ``--locales DIR`` inside the site. Outside a site they
stop with exit code 2, so they can never rewrite the installed package's catalogues.
Developing cityprofiles itself, the repository is a site, and
``--locales src/cityprofiles/locales`` works on the package's own catalogues (then only
the package's strings are extracted).
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
from cityprofiles.errors import ContentError, UsageError
from cityprofiles.i18n import package_locales, read_catalogue
from cityprofiles.load import display_path

DOMAIN = "messages"
POT = f"{DOMAIN}.pot"
_JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "true"}


def locales_folder(root: Path, locales: Path | None) -> Path:
    """The catalogue folder a command works on: ``--locales`` or ``SITE/locales``, inside the
    site (a :class:`UsageError` otherwise, before anything is written)."""
    if not (root / "content").is_dir():
        raise UsageError(
            f"{root} is not a cityprofiles site (it has no content/ folder); run this in a "
            "site or pass --site DIR. These commands only write the catalogues of a site."
        )
    folder = (locales if locales is not None else root / "locales").absolute()
    if not folder.resolve().is_relative_to(root.resolve()):
        raise UsageError(
            f"--locales {locales} is outside the site {root}; the catalogues of a site live "
            "inside it (default: SITE/locales)"
        )
    return folder


def is_package_folder(folder: Path) -> bool:
    """Whether ``folder`` is the package's own catalogue folder (developing cityprofiles)."""
    return folder.resolve() == package_locales().resolve()


def run_catalogue_command(action: str, root: Path, locales: Path | None) -> int:
    """Run ``extract``, ``update`` or ``compile`` on a site's catalogues; print what was written."""
    folder = locales_folder(root, locales)
    if action == "extract":
        count = extract(root, folder, site_templates=not is_package_folder(folder))
        print(f"Extracted {count} messages into {display_path(folder / POT, root)}")
    elif action == "update":
        for path, created in update(folder, languages_for(root, folder)):
            print(f"{'Created' if created else 'Updated'} {display_path(path, root)}")
    elif action == "compile":
        for path, translated, total in compile_catalogues(folder, root):
            print(
                f"Compiled {display_path(path, root)} ({translated} of {total} messages translated)"
            )
    else:  # argparse restricts the choices; this guards a programming error
        raise UsageError(f"unknown i18n action {action!r}")
    return 0


def extract(root: Path, folder: Path, *, site_templates: bool = True) -> int:
    """Write ``folder/messages.pot``: the package's messages and, with ``site_templates``,
    those of the site's own ``templates/``; return the number of messages."""
    catalog = Catalog(
        project="cityprofiles",
        version=__version__,
        charset="utf-8",
        creation_date=dt.datetime.now(dt.timezone.utc),
    )
    package = package_locales().parent
    _add(catalog, package.parent, _package_messages(package))
    templates = root / "templates"
    if site_templates and templates.is_dir():
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
    """The site's languages; for the package's own catalogues, the languages they have."""
    if is_package_folder(folder):
        return sorted(p.name for p in folder.iterdir() if (p / "LC_MESSAGES").is_dir())
    from cityprofiles.scaffold import site_languages

    return site_languages(root)


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
