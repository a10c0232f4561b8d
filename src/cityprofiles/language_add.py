"""``cityprofiles i18n add LANG``: a new language for a site, and what is left to translate.

The recipe a translator would otherwise follow by hand (docs/translating.md):

1. add the code to ``languages`` in ``content/site.yaml``, through a round-trip YAML
   writer (ruamel.yaml), so the file's comments, order and layout stay as they were;
2. make the site's UI catalogue ``locales/LANG/LC_MESSAGES/messages.po`` from the
   template (``locales/messages.pot``, extracted by Babel from the package's theme and
   code and the site's own templates): every string the package does not already
   translate into LANG, with an empty translation to fill in Poedit, Weblate or any
   gettext editor;
3. list what is left: UI strings, content fields, prose files and the names of the Goals.

The site builds at once: what is not translated yet falls back, marked with its own
language, and ``check --strict`` fails until everything is translated.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from cityprofiles.errors import ContentError, UsageError
from cityprofiles.model import LANG_PATTERN

SITE_YAML = Path("content") / "site.yaml"


def add_language(root: Path, code: str, *, locale: str | None = None) -> int:
    """Add ``code`` to the site under ``root``; print what was done and what is left."""
    _check_code(code, locale)
    site_yaml = root / SITE_YAML
    if not site_yaml.is_file():
        raise UsageError(
            f"{root} is not a cityprofiles site (no content/site.yaml); run this in a site "
            "or pass --site DIR"
        )
    text = _vetted_site_yaml(root)
    updated = add_to_languages(text, code, locale)
    catalogue, strings = create_catalogue(root, code)
    if updated is None:
        print(f"{code} is already one of the site's languages in {SITE_YAML.as_posix()}.")
    else:
        _write_atomically(site_yaml, updated)
        print(f"Added {code} to the languages in {SITE_YAML.as_posix()}.")
    if catalogue is not None:
        print(f"Created {catalogue} with {strings} UI strings to translate.")
    else:
        print(
            f"The UI catalogue of {code} is already there; `cityprofiles i18n update` refreshes it."
        )
    print()
    print(what_is_left(root, code))
    return 0


def _check_code(code: str, locale: str | None) -> None:
    from babel import Locale, UnknownLocaleError

    if not re.match(LANG_PATTERN, code):
        raise UsageError(f"'{code}' is not a language code like de, fr or fy")
    for name in (code, locale):
        if name is None:
            continue
        try:
            Locale.parse(name)
        except (ValueError, UnknownLocaleError):
            raise UsageError(
                f"unknown locale '{name}'; use a code Babel knows, like de, fr or de_AT"
            ) from None
    if locale is not None and Locale.parse(locale).language != code:
        raise UsageError(f"--locale {locale} is not a locale of the language '{code}'")


def _vetted_site_yaml(root: Path) -> str:
    """site.yaml's text, after the same checks as any content file (size, nesting, aliases,
    tags, duplicate keys): the round-trip parser below then only reads a vetted file."""
    from cityprofiles.load import load_yaml, read_text

    doc = load_yaml(root / SITE_YAML, root)
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("languages"), list):
        raise ContentError(
            [
                doc.source.problem(
                    doc.mark(("languages",)),
                    "expected a list of languages, e.g. languages: [en, nl]",
                    path="languages",
                    code="type",
                )
            ]
        )
    return read_text(root / SITE_YAML, root).text


def _round_trip() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line the editor wrote
    return yaml


def add_to_languages(text: str, code: str, locale: str | None = None) -> str | None:
    """``text`` (a site.yaml) with ``code`` appended to ``languages``; ``None`` when it is
    there already. Comments, key order, quoting and the list's flow or block style are kept.

    >>> print(add_to_languages("# Site\\nlanguages: [en, nl]  # menu order\\n", "de"), end="")
    # Site
    languages: [en, nl, de]  # menu order
    """
    yaml = _round_trip()
    data = yaml.load(text)
    languages = data["languages"]
    codes = [e if isinstance(e, str) else e.get("code") for e in languages]
    if code in codes:
        return None
    if locale is None:
        languages.append(code)
    else:
        from ruamel.yaml.comments import CommentedMap

        entry = CommentedMap([("code", code), ("locale", locale)])
        if languages.fa.flow_style():
            entry.fa.set_flow_style()
        languages.append(entry)
    _keep_indentation(yaml, text)
    out = io.StringIO()
    yaml.dump(data, out)
    written = out.getvalue()
    return written.replace("\n", "\r\n") if "\r\n" in text else written


def _keep_indentation(yaml: Any, text: str) -> None:
    """Use the file's own indentation of nested mappings and block lists when writing it."""
    mapping = re.search(r"^[^\s#][^\n]*:\s*\n( +)\S", text, re.MULTILINE)
    dash = re.search(r"^( *)- ", text, re.MULTILINE)
    indent = len(mapping.group(1)) if mapping else 2
    if dash is not None:
        offset = len(dash.group(1))
        yaml.indent(mapping=indent, sequence=offset + 2, offset=offset)
    else:
        yaml.indent(mapping=indent, sequence=indent + 2, offset=indent)


def create_catalogue(root: Path, code: str) -> tuple[str | None, int]:
    """Make ``locales/<code>/LC_MESSAGES/messages.po`` from a freshly extracted template,
    without the strings the package's own catalogue of ``code`` translates already.
    Returns (its path for messages, or ``None`` when it existed; the number of strings)."""
    from babel.messages.pofile import write_po

    from cityprofiles.catalogues import DOMAIN, extract, update
    from cityprofiles.i18n import package_locales, read_catalogue
    from cityprofiles.load import display_path

    folder = root / "locales"
    path = folder / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if path.is_file():
        return None, 0
    extract(root, folder)
    ((created, _),) = update(folder, [code])
    shipped = package_locales() / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    catalog = read_catalogue(created, root, code)
    if shipped.is_file():
        known = {m.id for m in read_catalogue(shipped, shipped.parent, code) if m.string}
        for message in [m for m in catalog if m.id and m.id in known]:
            catalog.delete(message.id, context=message.context)
        with created.open("wb") as handle:
            write_po(handle, catalog, width=100, ignore_obsolete=True)
    strings = sum(1 for m in catalog if m.id)
    return display_path(created, root), strings


def what_is_left(root: Path, code: str) -> str:
    """The translator's list for ``code``: counts, files and the commands that show more."""
    from cityprofiles.i18n_status import content_status, ui_status

    lines = [f"Left to translate into {code}:"]
    try:
        _, status = content_status(root)
        ui_status(root, status)
    except ContentError:
        lines.append(
            "  (the site has errors: run `cityprofiles check` and fix them to see the list)"
        )
        return "\n".join(lines)
    lang = status[code]
    ui = len(lang.ui_missing)
    lines.append(
        f"  - {ui} UI strings in locales/{code}/LC_MESSAGES/messages.po "
        "(open it in Poedit or Weblate)"
        if ui
        else "  - UI strings: none"
    )
    gaps = [g for g in lang.gaps if g.kind in ("missing", "todo")]
    goals = [g for g in gaps if g.file == "content/sdgs.yaml"]
    prose = [g for g in gaps if g.file.endswith(".md")]
    fields = [g for g in gaps if g not in goals and g not in prose]
    files = sorted({g.file for g in fields})
    lines.append(
        f"  - {len(fields)} content fields in {len(files)} files (add a '{code}:' line to each)"
    )
    if prose:
        more = f" and {len(prose) - 1} more" if len(prose) > 1 else ""
        lines.append(f"  - Markdown files to write: {prose[0].file}{more}")
    if goals:
        lines.append(f"  - {len(goals)} names and descriptions of the Goals, in content/sdgs.yaml")
    if code not in _segment_languages():
        lines.append(
            f"  - optional: URL segments in {code} (languages[].segments in site.yaml); "
            "until then the English ones are used"
        )
    lines.append("")
    lines.append(
        "`cityprofiles i18n status` lists every item with its file and line; until all is "
        "translated, pages show the default language, marked, and `check --strict` fails. "
        "Steps for translators: docs/translating.md."
    )
    return "\n".join(lines)


def _segment_languages() -> set[str]:
    from cityprofiles.config import default_segments

    return set(default_segments())


def _write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one rename, keeping its permissions."""
    mode = path.stat().st_mode & 0o777
    fd, tmp = tempfile.mkstemp(prefix=".site-", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
